package io.paperrun.attribution;

import io.paperrun.campaign.AttributionWindow;
import io.paperrun.campaign.CampaignStatus;
import io.paperrun.campaign.FlowTrigger;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;

/**
 * Stage B, processing: decides whether an attribution passes the rules, its
 * {@code order_count} and whether it is archived. A pure function of the
 * attribution, its recipient and campaign, and the recipient's other
 * attributions in the campaign.
 */
public final class AttributionRules {

    private AttributionRules() {}

    /** An attributed order as stage B sees it. */
    public record Attributed(
            long orderId, Instant orderedAt, BigDecimal orderValue, AttributionMethod method, boolean holdout) {

        /** Earliest order time first, then the lowest order id. */
        public static final Comparator<Attributed> IN_ORDER =
                Comparator.comparing(Attributed::orderedAt).thenComparingLong(Attributed::orderId);
    }

    /** The recipient's dates. */
    public record Recipient(Instant createdAt, Instant sentAt) {}

    /** The campaign's settings; {@code firstSendDate} is explicit, else the earliest sent_at of its recipients. */
    public record Campaign(
            CampaignStatus status,
            FlowTrigger flowTrigger,
            boolean holdoutEnabled,
            LocalDate endDate,
            Instant firstSendDate) {

        AttributionWindow window() {
            return AttributionWindow.of(holdoutEnabled, flowTrigger);
        }
    }

    public record Decision(boolean passesRules, int orderCount, boolean archived) {}

    /**
     * @param attribution the attribution to decide
     * @param recipient   its recipient, or null when it has none
     * @param campaign    its campaign
     * @param recipientAttributions all of the recipient's attributions in this campaign, this one included
     *                              (ignored when there is no recipient)
     */
    public static Decision decide(
            Attributed attribution, Recipient recipient, Campaign campaign, List<Attributed> recipientAttributions) {
        Attributed first = null;
        int earlier = 0;
        if (recipient != null) {
            for (Attributed other : recipientAttributions) {
                if (Attributed.IN_ORDER.compare(other, attribution) < 0) {
                    earlier++;
                    if (first == null || Attributed.IN_ORDER.compare(other, first) < 0) {
                        first = other;
                    }
                }
            }
        }
        boolean passes = passes(attribution, recipient, campaign, first);
        // 6. Archived; 7. order_count.
        return new Decision(passes, 1 + earlier, campaign.status() == CampaignStatus.ARCHIVED);
    }

    /**
     * Steps 1–5 for one attribution.
     *
     * @param first the recipient's first attribution in the campaign when it is another order, else null
     */
    static boolean passes(Attributed attribution, Recipient recipient, Campaign campaign, Attributed first) {
        boolean passes;
        if (recipient == null || (!attribution.holdout() && recipient.sentAt() == null)) {
            // 1. No recipient, or never sent (experimental only): only a discount code can pass.
            passes = !attribution.holdout() && attribution.method() == AttributionMethod.DISCOUNT_CODE;
        } else {
            // 2. Window.
            passes = campaign.window()
                    .contains(attribution.orderedAt(), campaign.firstSendDate(), recipient.createdAt());
            // 3. Repeat orders: the recipient's first attribution in the campaign passed.
            if (!passes && first != null) {
                passes = passes(first, recipient, campaign, null);
            }
        }
        // 4. BFCM cutoff beats step 3. It is absolute ("fails, whatever else holds"), so it applies to
        // the attributions of step 1 too.
        if (campaign.flowTrigger() == FlowTrigger.BFCM
                && campaign.endDate() != null
                && AttributionWindow.afterBfcmCutoff(attribution.orderedAt(), campaign.endDate())) {
            passes = false;
        }
        // 5. Zero value beats everything.
        if (attribution.orderValue().signum() == 0) {
            passes = false;
        }
        return passes;
    }
}
