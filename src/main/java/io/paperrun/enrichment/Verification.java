package io.paperrun.enrichment;

/** What verifying a recipient's address gave: nothing asked, a verdict, or the verifier refusing the address. */
public sealed interface Verification {

    /** Not verified: no verifier is configured, or the address is not one it verifies. */
    Verification NONE = new NotVerified();

    record NotVerified() implements Verification {}

    /** The verifier's verdict, as it wrote it ({@link Deliverability#code()}, or a value not known yet). */
    record Verdict(String deliverability) implements Verification {}

    /** The verifier could not read the address as one (Lob's 422); {@code detail} is its error code. */
    record Refused(String detail) implements Verification {}
}
