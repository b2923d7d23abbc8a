package io.paperrun.recipient;

import java.time.Instant;

/** A recipient as an audience source delivers it, resolved to its campaign. */
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
        String discountCode) {}
