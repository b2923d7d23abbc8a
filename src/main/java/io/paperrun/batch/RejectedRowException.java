package io.paperrun.batch;

/** A row of input is bad: the message is the reason recorded for it. */
public class RejectedRowException extends Exception {
    public RejectedRowException(String reason) {
        super(reason, null, false, false);
    }
}
