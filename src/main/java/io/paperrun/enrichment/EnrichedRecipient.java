package io.paperrun.enrichment;

/**
 * A recipient as enrichment leaves it, all written at once: its address for mailing and that address's key, where
 * it came from, the address as received, where an appended one lies, the verifier's verdict (null when not
 * verified), and its status and reason. {@code appended} and {@code verified} say what the providers did.
 */
public record EnrichedRecipient(
        long id,
        PostalAddress address,
        String addressKey,
        String addressSource,
        PostalAddress original,
        Double latitude,
        Double longitude,
        String deliverability,
        EnrichmentRules.Outcome outcome,
        boolean appended,
        boolean verified) {}
