package io.paperrun.enrichment;

/**
 * A recipient not enriched yet, of the mailed group ({@code pending}) or the control group ({@code holdout}): its
 * email (trimmed, lower case), name, address as received, and where that address came from.
 */
public record RecipientToEnrich(
        long id,
        String status,
        String email,
        String firstName,
        String lastName,
        PostalAddress address,
        String addressSource) {}
