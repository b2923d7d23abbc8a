package io.paperrun.experiment;

import java.math.BigDecimal;
import java.math.RoundingMode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code report experiment --format json}: the fields and names of interface.md, in its order. Amounts of money
 * are rounded to the cent; rates and statistics are given unrounded; an undefined value (or interval) is null.
 */
public final class ExperimentJson {

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private ExperimentJson() {}

    public static ObjectNode of(ExperimentReport report) {
        ExperimentAnalysis a = report.analysis();
        ObjectNode root = JSON.createObjectNode();
        root.put("campaign", report.campaign());
        root.put("metric", report.metric().code());
        root.put("alpha", a.alpha());
        root.set("experiment", group(a.experiment(), a.experimentRate()));
        root.set("control", group(a.control(), a.controlRate()));
        root.put("uplift", a.uplift());
        root.put("z_score", a.zScore());
        root.put("p_value", a.pValue());
        root.put("win_probability", a.winProbability());
        root.put("significant", a.significant());
        root.put("winner", a.winner());
        root.put("total_cost", cents(a.totalCost()));
        root.put("incremental_revenue", cents(a.incrementalRevenue()));
        root.put("incremental_roas", a.incrementalRoas());
        root.put("incremental_customers", a.incrementalCustomers());
        root.put("cac", cents(a.cac()));
        ObjectNode lift = root.putObject("lift_interval");
        lift.put("level", a.liftInterval().level());
        lift.set("absolute", interval(a.liftInterval().absolute()));
        lift.set("relative", interval(a.liftInterval().relative()));
        ObjectNode ratio = root.putObject("sample_ratio");
        ratio.put("expected_control_share", a.sampleRatio().expectedControlShare());
        ratio.put("observed_control_share", a.sampleRatio().observedControlShare());
        ratio.put("chi_square", a.sampleRatio().chiSquare());
        ratio.put("p_value", a.sampleRatio().pValue());
        ratio.put("mismatch", a.sampleRatio().mismatch());
        ObjectNode revenue = root.putObject("revenue_test");
        revenue.put("mean_experiment", a.revenueTest().meanExperiment());
        revenue.put("mean_control", a.revenueTest().meanControl());
        revenue.put("t", a.revenueTest().t());
        revenue.put("df", a.revenueTest().df());
        revenue.put("p_value", a.revenueTest().pValue());
        ObjectNode mde = root.putObject("mde");
        mde.put("power", a.mde().power());
        mde.put("absolute", a.mde().absolute());
        mde.put("relative", a.mde().relative());
        return root;
    }

    /** The document as the command writes it: indented, one field per line, ending with a newline. */
    public static String text(ExperimentReport report) {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(of(report)) + "\n";
    }

    private static ObjectNode group(GroupTotals g, Double rate) {
        ObjectNode node = JSON.createObjectNode();
        node.put("recipients", g.recipients());
        node.put("conversions", g.conversions());
        node.put("orders", g.orders());
        node.put("revenue", cents(g.revenue()));
        node.put("conversion_rate", rate);
        return node;
    }

    /** [low, high], or null when either end is undefined. */
    private static ArrayNode interval(ExperimentAnalysis.Interval interval) {
        if (interval == null || interval.low() == null || interval.high() == null) {
            return null;
        }
        ArrayNode node = JSON.createArrayNode();
        node.add(interval.low());
        node.add(interval.high());
        return node;
    }

    static BigDecimal cents(BigDecimal amount) {
        return amount == null ? null : amount.setScale(2, RoundingMode.HALF_UP);
    }

    static BigDecimal cents(Double amount) {
        return amount == null ? null : BigDecimal.valueOf(amount).setScale(2, RoundingMode.HALF_UP);
    }
}
