package io.paperrun.experiment;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * Everything a holdout report shows for one campaign and metric: the analysis, the revenue by day since sending
 * (day 0 is the campaign's first send), the funnel, and what may make the numbers less than final.
 *
 * @param firstSend the campaign's first send (explicit, else the earliest {@code sent_at}); null before any
 * @param inProgress recipients neither in a group nor out of the campaign yet (pending, proofed, sending)
 * @param unprocessed the campaign's attributions not yet decided by attribution-processing
 * @param holdoutMaximum the campaign's absolute maximum of holdouts, or null
 */
public record ExperimentReport(
        String organization,
        String campaign,
        String campaignName,
        ExperimentMetric metric,
        Instant generatedAt,
        Instant firstSend,
        BigDecimal holdoutPercentage,
        Integer holdoutMaximum,
        ExperimentAnalysis analysis,
        List<DailyRevenue> daily,
        Funnel funnel,
        long inProgress,
        long unprocessed) {

    /**
     * Counted revenue and orders of orders placed {@code day} whole days after the first send, per group; days
     * without an order in either group are left out. Orders before the first send fall on negative days.
     */
    public record DailyRevenue(int day, BigDecimal experimentRevenue, BigDecimal controlRevenue) {}
}
