package io.paperrun.experiment;

import io.paperrun.campaign.Campaign;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The aggregates the reports are made of, each one statement over a campaign's recipients and attributions. An
 * order counts when its attribution passes the rules and is not archived (attribution-rules.md).
 */
@Repository
public class ReportQueries {

    /** The attributions that count for a metric; {@code :firstOnly} keeps only first orders. */
    static final String COUNTED = """
            a.campaign_id = :campaign AND a.processed AND a.passes_rules AND NOT a.archived
            AND (NOT :firstOnly OR a.order_count = 1)""";

    /**
     * The one aggregate the holdout analysis needs: per group, its recipients, converters, counted orders,
     * revenue, the sum of the squares of each recipient's revenue, and the mailed group's cost. Public for
     * {@code scripts/bench.sh report}, which times it alone. The per-recipient totals are MATERIALIZED: built once,
     * not again in each parallel worker of the plan (docs/performance.md).
     */
    public static final String GROUPS = """
            WITH counted AS MATERIALIZED (
                SELECT a.recipient_id, count(*) AS orders, sum(a.order_value) AS revenue
                FROM attribution a
                WHERE a.recipient_id IS NOT NULL AND %s
                GROUP BY a.recipient_id)
            SELECT r.status = 'holdout' AS control,
                   count(*) AS recipients,
                   count(k.recipient_id) AS conversions,
                   coalesce(sum(k.orders), 0) AS orders,
                   coalesce(sum(k.revenue), 0) AS revenue,
                   coalesce(sum(k.revenue * k.revenue), 0) AS revenue_squares,
                   coalesce(sum(coalesce(r.cost, :costPerPiece, 0)), 0) AS cost
            FROM recipient r
            LEFT JOIN counted k ON k.recipient_id = r.id
            WHERE r.campaign_id = :campaign AND r.status IN ('sent', 'holdout')
            GROUP BY 1
            """.formatted(COUNTED);

    private final JdbcClient jdbc;

    public ReportQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The two groups' totals and the cost of the pieces mailed. */
    public record Groups(GroupTotals experiment, GroupTotals control, BigDecimal cost) {}

    public Groups groups(Campaign campaign, ExperimentMetric metric) {
        GroupTotals[] totals = {GroupTotals.EMPTY, GroupTotals.EMPTY};
        BigDecimal[] cost = {BigDecimal.ZERO};
        jdbc.sql(GROUPS)
                .params(Map.of(
                        "campaign",
                        campaign.id(),
                        "firstOnly",
                        metric == ExperimentMetric.FIRST_ORDER,
                        "costPerPiece",
                        costPerPiece(campaign)))
                .query(rs -> {
                    boolean control = rs.getBoolean("control");
                    totals[control ? 1 : 0] = new GroupTotals(
                            rs.getLong("recipients"),
                            rs.getLong("conversions"),
                            rs.getLong("orders"),
                            rs.getBigDecimal("revenue"),
                            rs.getBigDecimal("revenue_squares"));
                    if (!control) {
                        cost[0] = rs.getBigDecimal("cost");
                    }
                });
        return new Groups(totals[0], totals[1], cost[0]);
    }

    /** The campaign's first send: explicit, else the earliest {@code sent_at}; null before any. */
    public Instant firstSend(Campaign campaign) {
        if (campaign.firstSendDate() != null) {
            return campaign.firstSendDate();
        }
        return jdbc.sql("SELECT min(sent_at) FROM recipient WHERE campaign_id = ? AND sent_at IS NOT NULL")
                .param(campaign.id())
                .query((rs, i) -> instant(rs, 1))
                .optional()
                .orElse(null);
    }

    /** Counted revenue of each group by whole days since {@code firstSend}, days with an order only. */
    public List<ExperimentReport.DailyRevenue> daily(Campaign campaign, ExperimentMetric metric, Instant firstSend) {
        if (firstSend == null) {
            return List.of();
        }
        return jdbc.sql("""
                SELECT floor(extract(epoch FROM a.ordered_at - :firstSend) / 86400)::int AS day,
                       coalesce(sum(a.order_value) FILTER (WHERE r.status = 'sent'), 0) AS experiment,
                       coalesce(sum(a.order_value) FILTER (WHERE r.status = 'holdout'), 0) AS control
                FROM attribution a
                JOIN recipient r ON r.id = a.recipient_id
                WHERE r.status IN ('sent', 'holdout') AND %s
                GROUP BY 1
                ORDER BY 1
                """.formatted(COUNTED))
                .params(Map.of(
                        "campaign",
                        campaign.id(),
                        "firstOnly",
                        metric == ExperimentMetric.FIRST_ORDER,
                        "firstSend",
                        Timestamp.from(firstSend)))
                .query((rs, i) ->
                        new ExperimentReport.DailyRevenue(rs.getInt(1), rs.getBigDecimal(2), rs.getBigDecimal(3)))
                .list();
    }

    /** The campaign's recipients by stage, in the order {@link Funnel} gives. */
    public Funnel funnel(long campaignId) {
        List<Funnel.Stage> stages = new ArrayList<>();
        long[] all = {0};
        Map<String, long[]> byStage = new java.util.LinkedHashMap<>();
        for (String stage : STAGES) {
            byStage.put(stage, new long[] {0});
        }
        Map<String, Map<String, Long>> reasons = new java.util.TreeMap<>();
        jdbc.sql("""
                SELECT status, suppression_reason, delivery_status, count(*)
                FROM recipient WHERE campaign_id = ?
                GROUP BY 1, 2, 3
                """).param(campaignId).query(rs -> {
            String status = rs.getString(1);
            long n = rs.getLong(4);
            all[0] += n;
            String stage = stage(status);
            if (stage.equals("suppressed") || stage.equals("undeliverable")) {
                String reason = rs.getString(2) == null ? "unknown" : rs.getString(2);
                reasons.computeIfAbsent(stage, s -> new java.util.TreeMap<>()).merge(reason, n, Long::sum);
                return;
            }
            byStage.get(stage)[0] += n;
            if (stage.equals("sent")) {
                String delivery = rs.getString(3);
                if ("delivered".equals(delivery)) {
                    byStage.get("delivered")[0] += n;
                } else if ("returned_to_sender".equals(delivery)) {
                    byStage.get("returned")[0] += n;
                }
            }
        });
        stages.add(new Funnel.Stage("audience", null, all[0]));
        for (String stage : STAGES) {
            if (reasons.containsKey(stage)) {
                reasons.get(stage).forEach((reason, n) -> stages.add(new Funnel.Stage(stage, reason, n)));
            } else if (byStage.get(stage)[0] > 0) {
                stages.add(new Funnel.Stage(stage, null, byStage.get(stage)[0]));
            }
        }
        return new Funnel(List.copyOf(stages));
    }

    private static final List<String> STAGES = List.of(
            "suppressed",
            "undeliverable",
            "holdout",
            "pending",
            "proofed",
            "sending",
            "sent",
            "delivered",
            "returned",
            "failed",
            "cancelled");

    /** The funnel's stage of a recipient's status: the steps inside a stage count as the stage. */
    static String stage(String status) {
        return switch (status) {
            case "pending", "proofing_staged", "proofing" -> "pending";
            case "proofed", "sending_staged" -> "proofed";
            default -> status; // sending, sent, holdout, suppressed, undeliverable, failed, cancelled
        };
    }

    /** The pieces mailed (status sent) and their cost: the printer's, else the campaign's cost per piece. */
    public record Mailed(long pieces, BigDecimal cost) {}

    public Mailed mailed(Campaign campaign) {
        return jdbc.sql("""
                SELECT count(*), coalesce(sum(coalesce(cost, :costPerPiece, 0)), 0)
                FROM recipient WHERE campaign_id = :campaign AND status = 'sent'
                """)
                .params(Map.of("campaign", campaign.id(), "costPerPiece", costPerPiece(campaign)))
                .query((rs, i) -> new Mailed(rs.getLong(1), rs.getBigDecimal(2)))
                .single();
    }

    /** Counted orders and revenue by method and group, mailed group first. */
    public List<CampaignReport.MethodTotals> byMethod(long campaignId) {
        return jdbc.sql("""
                SELECT a.method, a.holdout, count(*), sum(a.order_value)
                FROM attribution a
                WHERE %s
                GROUP BY 1, 2
                ORDER BY 2, 1
                """.formatted(COUNTED))
                .params(Map.of("campaign", campaignId, "firstOnly", false))
                .query((rs, i) -> new CampaignReport.MethodTotals(
                        rs.getString(1), rs.getBoolean(2), rs.getLong(3), rs.getBigDecimal(4)))
                .list();
    }

    /**
     * The mailed group's counted orders and revenue by whole weeks since the recipient's {@code sent_at}, else
     * since {@code firstSend}; orders with neither are left out.
     */
    public List<CampaignReport.WeekTotals> byWeek(long campaignId, Instant firstSend) {
        Map<String, Object> params = new java.util.HashMap<>();
        params.put("campaign", campaignId);
        params.put("firstOnly", false);
        params.put("firstSend", firstSend == null ? null : Timestamp.from(firstSend));
        return jdbc.sql("""
                SELECT floor(extract(epoch FROM a.ordered_at
                                 - coalesce(r.sent_at, CAST(:firstSend AS timestamptz))) / 604800)::int AS week,
                       count(*), sum(a.order_value)
                FROM attribution a
                LEFT JOIN recipient r ON r.id = a.recipient_id
                WHERE NOT a.holdout AND %s
                  AND coalesce(r.sent_at, CAST(:firstSend AS timestamptz)) IS NOT NULL
                GROUP BY 1
                ORDER BY 1
                """.formatted(COUNTED))
                .params(params)
                .query((rs, i) -> new CampaignReport.WeekTotals(rs.getInt(1), rs.getLong(2), rs.getBigDecimal(3)))
                .list();
    }

    /** The campaign's recipients on their way to being mailed (pending, proofed, sending), by its partial indexes. */
    public long inProgress(long campaignId) {
        return jdbc.sql("""
                SELECT (SELECT count(*) FROM recipient
                        WHERE campaign_id = :campaign AND status IN ('pending', 'proofing_staged', 'proofing'))
                     + (SELECT count(*) FROM recipient
                        WHERE campaign_id = :campaign AND status IN ('proofed', 'sending_staged', 'sending'))
                """).param("campaign", campaignId).query(Long.class).single();
    }

    /** The campaign's attributions not decided yet by attribution-processing. */
    public long unprocessed(long campaignId) {
        // Through stage B's queue (one row per undecided attribution), not a scan of every attribution.
        return jdbc.sql("""
                SELECT count(*) FROM attribution_pending p JOIN attribution a ON a.id = p.attribution_id
                WHERE a.campaign_id = ?
                """).param(campaignId).query(Long.class).single();
    }

    private static BigDecimal costPerPiece(Campaign campaign) {
        return campaign.costPerPiece() == null ? BigDecimal.ZERO : campaign.costPerPiece();
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
