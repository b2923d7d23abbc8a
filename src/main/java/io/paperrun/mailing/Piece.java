package io.paperrun.mailing;

import io.paperrun.campaign.PostcardSize;

/**
 * One postcard to print and mail: who it goes to, from whom, its artwork, and the key that makes sending it again
 * harmless ({@code idempotencyKey}, deterministic per recipient; IntelliPrint's {@code reference}).
 */
public record Piece(
        long recipientId,
        String idempotencyKey,
        String organization,
        String campaign,
        String externalId,
        PostcardSize size,
        MailingAddress to,
        MailingAddress from,
        String mailType,
        String useType,
        Artwork artwork) {}
