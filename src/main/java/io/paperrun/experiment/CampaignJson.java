package io.paperrun.experiment;

import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code report campaign --format json}: the funnel, the pieces mailed and their cost, the mailed group's
 * attributed orders and revenue (by method and by week since sending), its return on spend, and the control
 * group's orders apart. Amounts are to the cent; an undefined value is null.
 */
public final class CampaignJson {

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private CampaignJson() {}

    public static ObjectNode of(CampaignReport report) {
        ObjectNode root = JSON.createObjectNode();
        root.put("organization", report.organization());
        root.put("campaign", report.campaign());
        root.put("name", report.campaignName());
        root.put("status", report.status());
        root.put("generated_at", report.generatedAt().toString());
        root.put(
                "first_send",
                report.firstSend() == null ? null : report.firstSend().toString());
        ArrayNode funnel = root.putArray("funnel");
        for (Funnel.Stage stage : report.funnel().stages()) {
            ObjectNode node = funnel.addObject();
            node.put("stage", stage.stage());
            node.put("reason", stage.reason());
            node.put("recipients", stage.recipients());
        }
        root.put("mailed", report.mailed());
        root.put("cost", ExperimentJson.cents(report.cost()));
        root.put("orders", report.orders());
        root.put("revenue", ExperimentJson.cents(report.revenue()));
        root.put("roas", report.roas());
        ObjectNode control = root.putObject("control");
        control.put("orders", report.holdoutOrders());
        control.put("revenue", ExperimentJson.cents(report.holdoutRevenue()));
        ArrayNode methods = root.putArray("by_method");
        for (CampaignReport.MethodTotals m : report.byMethod()) {
            ObjectNode node = methods.addObject();
            node.put("method", m.method());
            node.put("group", m.holdout() ? "control" : "experiment");
            node.put("orders", m.orders());
            node.put("revenue", ExperimentJson.cents(m.revenue()));
        }
        ArrayNode weeks = root.putArray("by_week");
        for (CampaignReport.WeekTotals w : report.byWeek()) {
            ObjectNode node = weeks.addObject();
            node.put("week", w.week());
            node.put("orders", w.orders());
            node.put("revenue", ExperimentJson.cents(w.revenue()));
        }
        root.put("unprocessed_attributions", report.unprocessed());
        return root;
    }

    public static String text(CampaignReport report) {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(of(report)) + "\n";
    }
}
