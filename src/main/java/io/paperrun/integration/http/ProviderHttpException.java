package io.paperrun.integration.http;

import java.io.IOException;
import java.util.OptionalInt;

/**
 * A provider call that failed. The message names the method, the redacted URL, the attempts made
 * and the last status or failure; it is never built from headers or bodies.
 */
public final class ProviderHttpException extends IOException {

    private final int attempts;
    private final Integer lastStatus;

    ProviderHttpException(String message, int attempts, Integer lastStatus, Throwable cause) {
        super(message, cause);
        this.attempts = attempts;
        this.lastStatus = lastStatus;
    }

    /**
     * How many times the request was sent when retrying gave up; 0 when it was never sent or when
     * the caller raised this from a response it got.
     */
    public int attempts() {
        return attempts;
    }

    /** The status of the last response, if there was one. */
    public OptionalInt lastStatus() {
        return lastStatus == null ? OptionalInt.empty() : OptionalInt.of(lastStatus);
    }
}
