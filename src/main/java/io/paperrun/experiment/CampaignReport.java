package io.paperrun.experiment;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A campaign's funnel, cost, attributed orders and revenue, and return on spend: what {@code report campaign}
 * shows. Orders are those whose attribution passes the rules and is not archived; the control group's are shown
 * apart and never counted as the mail's.
 *
 * @param mailed pieces sent; {@code cost} is theirs, the printer's cost else the campaign's cost per piece
 * @param roas attributed revenue (mailed group) divided by cost; null without cost
 * @param unprocessed the campaign's attributions not yet decided by attribution-processing
 */
public record CampaignReport(
        String organization,
        String campaign,
        String campaignName,
        String status,
        Instant generatedAt,
        Instant firstSend,
        Funnel funnel,
        long mailed,
        BigDecimal cost,
        long orders,
        BigDecimal revenue,
        Double roas,
        long holdoutOrders,
        BigDecimal holdoutRevenue,
        List<MethodTotals> byMethod,
        List<WeekTotals> byWeek,
        long unprocessed) {

    /** Passing orders and revenue by attribution method ({@code email}, {@code physical_address}, {@code discount_code}) and group. */
    public record MethodTotals(String method, boolean holdout, long orders, BigDecimal revenue) {}

    /**
     * Passing orders and revenue of the mailed group by whole weeks since the recipient's {@code sent_at} (week 0
     * is the first 7 days); orders without a sent recipient (a campaign code) count from the first send.
     */
    public record WeekTotals(int week, long orders, BigDecimal revenue) {}
}
