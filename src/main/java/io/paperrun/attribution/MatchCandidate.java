package io.paperrun.attribution;

import io.paperrun.campaign.CampaignStatus;
import java.time.Instant;
import java.util.Comparator;

/**
 * A recipient that stage A may credit an order to, with what the rules need of
 * it and of its campaign. Emails are in their matching form (trimmed, lowercase),
 * codes trimmed and uppercase.
 */
public record MatchCandidate(
        long recipientId,
        long campaignId,
        String status,
        Instant createdAt,
        Instant sentAt,
        String emailLower,
        String addressKey,
        String discountCodeUpper,
        CampaignStatus campaignStatus,
        boolean campaignUsesUniqueCodes) {

    /** Most recently created first, then the highest id: the order in which candidates win. */
    public static final Comparator<MatchCandidate> MOST_RECENT_FIRST = Comparator.comparing(MatchCandidate::createdAt)
            .thenComparingLong(MatchCandidate::recipientId)
            .reversed();

    public boolean isSent() {
        return "sent".equals(status);
    }

    public boolean isHoldout() {
        return "holdout".equals(status);
    }
}
