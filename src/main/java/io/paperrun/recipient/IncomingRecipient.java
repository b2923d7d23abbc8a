package io.paperrun.recipient;

import java.time.Instant;

/**
 * A recipient as an audience source delivers it, resolved to its campaign. A null {@code status} means the
 * recipient is created by the rules of pipeline-rules.md §1 (suppression, holdout, else pending);
 * {@code addressSource} is where its address came from (import, klaviyo); {@code joinedGroupAt}, when it joined
 * the segment it was synced from (the sync's checkpoint).
 */
public record IncomingRecipient(
        long campaignId,
        String naturalKey,
        String externalId,
        String status,
        Instant createdAt,
        Instant sentAt,
        String email,
        String emailLower,
        String firstName,
        String lastName,
        String address1,
        String address2,
        String city,
        String region,
        String zip,
        String country,
        String addressKey,
        String discountCode,
        String addressSource,
        Instant joinedGroupAt) {

    /** An imported recipient (its address from the import, joining no segment). */
    public IncomingRecipient(
            long campaignId,
            String naturalKey,
            String externalId,
            String status,
            Instant createdAt,
            Instant sentAt,
            String email,
            String emailLower,
            String firstName,
            String lastName,
            String address1,
            String address2,
            String city,
            String region,
            String zip,
            String country,
            String addressKey,
            String discountCode) {
        this(
                campaignId,
                naturalKey,
                externalId,
                status,
                createdAt,
                sentAt,
                email,
                emailLower,
                firstName,
                lastName,
                address1,
                address2,
                city,
                region,
                zip,
                country,
                addressKey,
                discountCode,
                "import",
                null);
    }
}
