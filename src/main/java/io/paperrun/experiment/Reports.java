package io.paperrun.experiment;

import io.paperrun.campaign.Campaign;
import io.paperrun.organization.Organization;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Builds a campaign's reports from the database: each in one repeatable-read transaction, so that its numbers are
 * of one moment even while jobs write.
 */
@Component
public class Reports {

    private final ReportQueries queries;
    private final Clock clock;

    @Autowired
    public Reports(ReportQueries queries) {
        this(queries, Clock.systemUTC());
    }

    Reports(ReportQueries queries, Clock clock) {
        this.queries = queries;
        this.clock = clock;
    }

    /** The holdout analysis of {@code campaign} for {@code metric}, with what its HTML shows beside. */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public ExperimentReport experiment(
            Organization organization, Campaign campaign, ExperimentMetric metric, double alpha, boolean withCharts) {
        ReportQueries.Groups groups = queries.groups(campaign, metric);
        ExperimentAnalysis analysis = ExperimentStatistics.analyze(new ExperimentInput(
                groups.experiment(),
                groups.control(),
                groups.cost(),
                alpha,
                expectedControlShare(campaign),
                capped(campaign, groups.control())));
        Instant firstSend = withCharts ? queries.firstSend(campaign) : null;
        Funnel funnel = withCharts ? queries.funnel(campaign.id()) : null;
        return new ExperimentReport(
                organization.slug(),
                campaign.key(),
                campaign.name(),
                metric,
                now(),
                firstSend,
                campaign.holdoutPercentage(),
                campaign.holdoutAbsoluteMaximum(),
                analysis,
                withCharts ? queries.daily(campaign, metric, firstSend) : java.util.List.of(),
                funnel,
                funnel == null ? queries.inProgress(campaign.id()) : inProgress(funnel),
                queries.unprocessed(campaign.id()));
    }

    /** The campaign's funnel, cost, attributed orders and revenue, and return on spend. */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public CampaignReport campaign(Organization organization, Campaign campaign) {
        Instant firstSend = queries.firstSend(campaign);
        ReportQueries.Mailed mailed = queries.mailed(campaign);
        java.util.List<CampaignReport.MethodTotals> byMethod = queries.byMethod(campaign.id());
        long orders = 0;
        long holdoutOrders = 0;
        BigDecimal revenue = BigDecimal.ZERO;
        BigDecimal holdoutRevenue = BigDecimal.ZERO;
        for (CampaignReport.MethodTotals m : byMethod) {
            if (m.holdout()) {
                holdoutOrders += m.orders();
                holdoutRevenue = holdoutRevenue.add(m.revenue());
            } else {
                orders += m.orders();
                revenue = revenue.add(m.revenue());
            }
        }
        Double roas = mailed.cost().signum() == 0
                ? null
                : revenue.divide(mailed.cost(), 4, RoundingMode.HALF_EVEN).doubleValue();
        return new CampaignReport(
                organization.slug(),
                campaign.key(),
                campaign.name(),
                campaign.status().code(),
                now(),
                firstSend,
                queries.funnel(campaign.id()),
                mailed.pieces(),
                mailed.cost(),
                orders,
                revenue,
                roas,
                holdoutOrders,
                holdoutRevenue,
                byMethod,
                queries.byWeek(campaign.id(), firstSend),
                queries.unprocessed(campaign.id()));
    }

    /** The campaign's holdout share, or null when it holds none out. */
    static Double expectedControlShare(Campaign campaign) {
        if (!campaign.holdoutEnabled() || campaign.holdoutPercentage() == null) {
            return null;
        }
        return campaign.holdoutPercentage().doubleValue() / 100;
    }

    /** Whether the holdouts reached the campaign's maximum, past which the share no longer applies. */
    static boolean capped(Campaign campaign, GroupTotals control) {
        return campaign.holdoutAbsoluteMaximum() != null && control.recipients() >= campaign.holdoutAbsoluteMaximum();
    }

    private static long inProgress(Funnel funnel) {
        return funnel.count("pending") + funnel.count("proofed") + funnel.count("sending");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }
}
