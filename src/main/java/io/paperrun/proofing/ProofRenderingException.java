package io.paperrun.proofing;

/** A proof that could not be rendered; the message names the side, the file or resource and the cause. */
public class ProofRenderingException extends RuntimeException {

    public ProofRenderingException(String message) {
        super(message);
    }

    public ProofRenderingException(String message, Throwable cause) {
        super(message, cause);
    }
}
