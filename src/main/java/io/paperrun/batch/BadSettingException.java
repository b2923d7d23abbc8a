package io.paperrun.batch;

/** A setting the application cannot run with, said in one line that names it: bad usage (exit 2), not a failure. */
public final class BadSettingException extends IllegalArgumentException {

    public BadSettingException(String message) {
        super(message);
    }
}
