package io.paperrun.experiment;

import static io.paperrun.experiment.ReportSamples.group;
import static io.paperrun.experiment.SelfContainedPage.chart;
import static io.paperrun.experiment.SelfContainedPage.parse;
import static io.paperrun.experiment.SelfContainedPage.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.paperrun.experiment.ExperimentReport.DailyRevenue;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.Test;

/** The experiment report's HTML page, parsed as a browser would: its sections, charts, escaping and nulls. */
class ExperimentReportHtmlTest {

    private static Document render(ExperimentReport report) {
        return parse(ExperimentReportHtml.render(report));
    }

    @Test
    void everySectionIsThereWithTheVerdictFirst() {
        Document doc = render(ReportSamples.report(ReportSamples.analysis(), ReportSamples.daily(), 12, 3));

        assertThat(doc.select("main > section, main > div > section").eachAttr("id"))
                .containsExactly(
                        "verdict",
                        "warnings",
                        "groups",
                        "chart-conversion",
                        "chart-revenue",
                        "chart-funnel",
                        "statistics");
        assertThat(doc.select("main > footer")).hasSize(1);
        assertThat(doc.select("#verdict .headline").text())
                .isEqualTo("Mailed customers bought 1.7× as often; 81% likely the postcards caused it.");
        assertThat(doc.select("#verdict .money").text())
                .isEqualTo("Incremental revenue 1,750.50 on a cost of 801.00: 2.18× return.");
        assertThat(doc.select("#warnings li").eachText()).hasSize(3);
        assertThat(doc.select("#warnings li").eachText().get(2)).contains("run paperrun run attribution-processing");
        assertThat(doc.select("footer").text())
                .contains(
                        "Winback spring 2024 (winback-2024)",
                        "all orders",
                        "0.05, one-tailed",
                        "2024-04-20 06:30 UTC",
                        "How to read it");
    }

    @Test
    void noWarningsNoWarningsSection() {
        ReportSamples.Analysis a = new ReportSamples.Analysis();
        a.significant = true;

        Document doc = render(ReportSamples.report(a.build(), ReportSamples.daily(), 0, 0));

        assertThat(doc.getElementById("warnings")).isNull();
        assertThat(doc.getElementById("verdict").hasClass("positive")).isTrue();
    }

    @Test
    void theGroupsTable() {
        Document doc = render(ReportSamples.report());

        assertThat(doc.select("#groups tbody tr[data-group=experiment] > *").eachText())
                .containsExactly("Mailed", "900", "45", "5.0%", "3.8% to 6.6%", "51", "3,100.50", "3.45");
        assertThat(doc.select("#groups tbody tr[data-group=control] > *").eachText())
                .containsExactly("Control (held out)", "100", "3", "3.0%", "1.0% to 8.5%", "3", "150.00", "1.50");
    }

    @Test
    void theConversionChartHasOneBarPerGroupWithItsInterval() {
        Element svg = chart(render(ReportSamples.report()), "chart-conversion");

        Elements bars = svg.select("rect.bar");
        assertThat(bars.eachAttr("data-group")).containsExactly("experiment", "control");
        assertThat(bars.eachAttr("data-value")).containsExactly("0.05", "0.03");
        assertThat(bars.eachAttr("data-low")).containsExactly("0.0375", "0.0103");
        assertThat(bars.eachAttr("data-high")).containsExactly("0.0663", "0.0845");
        assertThat(svg.select("g.interval").eachAttr("data-group")).containsExactly("experiment", "control");
        assertThat(svg.select("text").eachText()).contains("Mailed", "Control", "900 recipients", "5.0%", "3.0%");
        assertThat(bars.get(0).attr("fill")).isEqualTo(HtmlPage.MAILED_COLOR);
        assertThat(bars.get(1).attr("fill")).isEqualTo(HtmlPage.CONTROL_COLOR);
    }

    @Test
    void theRevenueChartCumulatesRevenuePerRecipientToTheDayOfTheReport() {
        List<DailyRevenue> daily = ReportSamples.daily();
        double experiment = daily.stream()
                        .map(DailyRevenue::experimentRevenue)
                        .reduce(BigDecimal.ZERO, BigDecimal::add)
                        .doubleValue()
                / 900;
        double control = daily.stream()
                        .map(DailyRevenue::controlRevenue)
                        .reduce(BigDecimal.ZERO, BigDecimal::add)
                        .doubleValue()
                / 100;

        Element svg = chart(render(ReportSamples.report()), "chart-revenue");

        Elements lines = svg.select("polyline.line");
        assertThat(lines.eachAttr("data-group")).containsExactly("experiment", "control");
        assertThat(Double.parseDouble(lines.get(0).attr("data-value"))).isCloseTo(3100.50 / 900, within(1e-9));
        assertThat(Double.parseDouble(lines.get(0).attr("data-value"))).isCloseTo(experiment, within(1e-9));
        assertThat(Double.parseDouble(lines.get(1).attr("data-value"))).isCloseTo(control, within(1e-9));
        assertThat(lastPoint(lines.get(0))).containsExactly(new double[] {49, experiment}, within(1e-6));
        assertThat(lastPoint(lines.get(1))).containsExactly(new double[] {49, control}, within(1e-6));
        // Day -2's order starts the mailed line; day 0 starts at 0 for both until then.
        assertThat(lines.get(0).attr("data-points")).startsWith("-2:0.044444 -1:0.044444 0:0.111667");
        assertThat(lines.get(1).attr("data-points")).startsWith("-2:0.000000 -1:0.000000 0:0.200000");
        assertThat(lines.get(0).attr("points").split(" "))
                .hasSameSizeAs(lines.get(0).attr("data-points").split(" "));
        assertThat(svg.select("rect.legend").eachAttr("data-group")).containsExactly("experiment", "control");
        assertThat(svg.text()).contains("Mailed", "Control", "Days since the first send", "3.45", "1.50");
    }

    @Test
    void anOldCampaignsRevenueLinesEndWithTheAttributionWindowNotToday() {
        ExperimentReport young = ReportSamples.report();
        ExperimentReport old = new ExperimentReport(
                young.organization(),
                young.campaign(),
                young.campaignName(),
                young.metric(),
                young.firstSend().plus(java.time.Duration.ofDays(1000)),
                young.firstSend(),
                young.holdoutPercentage(),
                young.holdoutMaximum(),
                young.analysis(),
                young.daily(),
                young.funnel(),
                0,
                0);
        Elements lines = chart(render(old), "chart-revenue").select("polyline.line");
        assertThat(lastPoint(lines.get(0))[0]).isEqualTo(ExperimentReportHtml.WINDOW_DAYS);
        assertThat(lastPoint(lines.get(1))[0]).isEqualTo(ExperimentReportHtml.WINDOW_DAYS);
    }

    private static double[] lastPoint(Element polyline) {
        String[] points = polyline.attr("data-points").split(" ");
        return Arrays.stream(points[points.length - 1].split(":"))
                .mapToDouble(Double::parseDouble)
                .toArray();
    }

    @Test
    void theFunnelHasOneBarPerStageWithItsCount() {
        Element svg = chart(render(ReportSamples.report()), "chart-funnel");

        Elements bars = svg.select("rect.bar");
        assertThat(bars.eachAttr("data-stage"))
                .containsExactly("audience", "suppressed", "undeliverable", "holdout", "sent", "delivered", "returned");
        assertThat(bars.eachAttr("data-value")).containsExactly("1100", "40", "60", "100", "900", "870", "12");
        assertThat(svg.select("rect.bar[data-reason]").eachAttr("data-reason"))
                .containsExactly("do_not_mail", "bad_address");
        assertThat(svg.text()).contains("Audience", "Suppressed: do not mail", "1,100", "870", "79.1%");
    }

    @Test
    void theStatisticsTableShowsEveryFieldOfTheAnalysis() {
        Document doc = render(ReportSamples.report());

        assertThat(value(doc, "statistics", "z-score")).isEqualTo("0.89");
        assertThat(value(doc, "statistics", "Uplift")).isEqualTo("+66.7%");
        assertThat(value(doc, "statistics", "Win probability")).isEqualTo("81.0%");
        assertThat(value(doc, "statistics", "Significant")).isEqualTo("no");
        assertThat(value(doc, "statistics", "Winner")).isEqualTo("mailed (experiment)");
        assertThat(value(doc, "statistics", "Absolute lift")).isEqualTo("-1.2 to 5.2 points");
        assertThat(value(doc, "statistics", "Relative lift")).isEqualTo("-41.0% to 174.0%");
        assertThat(value(doc, "statistics", "Degrees of freedom")).isEqualTo("312.4");
        assertThat(value(doc, "statistics", "Incremental ROAS")).isEqualTo("2.18×");
        assertThat(value(doc, "statistics", "Incremental customers")).isEqualTo("24.0");
        assertThat(value(doc, "statistics", "Cost per incremental customer (CAC)"))
                .isEqualTo("33.37");
        assertThat(doc.select("#statistics tbody tr:not(.group) > th").eachText())
                .containsExactly(
                        "Conversion rate, mailed",
                        "95% interval, mailed",
                        "Conversion rate, control",
                        "95% interval, control",
                        "Uplift",
                        "z-score",
                        "p-value",
                        "Win probability",
                        "Significant",
                        "Winner",
                        "Absolute lift",
                        "Relative lift",
                        "Expected control share",
                        "Observed control share",
                        "Chi-square",
                        "p-value",
                        "Mismatch",
                        "Mean, mailed",
                        "Mean, control",
                        "t",
                        "Degrees of freedom",
                        "p-value",
                        "Power",
                        "Absolute",
                        "Relative",
                        "Total cost",
                        "Incremental revenue",
                        "Incremental ROAS",
                        "Incremental customers",
                        "Cost per incremental customer (CAC)");
        assertThat(doc.select("#statistics td:eq(1)").eachText()).noneMatch(String::isBlank);
    }

    @Test
    void dataIsTextNeverMarkup() {
        String name = "<b>Spring & \"Co\"</b>";
        Funnel funnel = new Funnel(List.of(
                new Funnel.Stage("audience", null, 10), new Funnel.Stage("suppressed", "<i>odd</i> & \"x\"", 2)));
        String html = ExperimentReportHtml.render(
                ReportSamples.report(name, 500, ReportSamples.analysis(), ReportSamples.daily(), funnel, 0, 0));

        Document doc = parse(html);

        assertThat(doc.select("b, i")).isEmpty();
        assertThat(doc.select("h1").text()).isEqualTo(name);
        assertThat(doc.title()).isEqualTo(name + " · holdout experiment");
        assertThat(doc.select("footer dd").first().text()).isEqualTo(name + " (winback-2024)");
        assertThat(html).contains("&lt;b&gt;Spring &amp; &quot;Co&quot;&lt;/b&gt;");
        assertThat(doc.select("#chart-funnel rect.bar[data-stage=suppressed]").attr("data-reason"))
                .isEqualTo("<i>odd</i> & \"x\"");
        assertThat(doc.select("#chart-funnel svg").text()).contains("Suppressed: <i>odd</i> & \"x\"");
    }

    @Test
    void nullValuesShowAsADashWithTheReason() {
        ReportSamples.Analysis a =
                new ReportSamples.Analysis().groups(group(1000, 21, 22, "900.00"), group(100, 0, 0, "0"));
        a.uplift = null;
        a.liftInterval = new ExperimentAnalysis.LiftInterval(
                0.95, new ExperimentAnalysis.Interval(0.012, 0.03), ExperimentAnalysis.Interval.UNDEFINED);
        a.mde = new ExperimentAnalysis.MinimumDetectableEffect(0.8, 0.02, null);
        a.incrementalCustomers = -1.0;
        a.cac = null;
        a.sampleRatio = null;

        Document doc = render(ReportSamples.report(a.build(), ReportSamples.daily(), 0, 0));

        assertThat(value(doc, "statistics", "Uplift")).isEqualTo("— (control converted 0)");
        assertThat(value(doc, "statistics", "Relative lift")).isEqualTo("— (control converted 0)");
        assertThat(value(doc, "statistics", "Relative")).isEqualTo("— (control converted 0)");
        assertThat(value(doc, "statistics", "Cost per incremental customer (CAC)"))
                .isEqualTo("— (no incremental customers)");
        assertThat(value(doc, "statistics", "Expected control share")).isEqualTo("— (no holdout share set)");
        assertThat(value(doc, "statistics", "Mismatch")).isEqualTo("— (no holdout share set)");
        assertThat(doc.select("#statistics td.na")).allMatch(td -> td.text().startsWith("—"));
        assertThat(doc.select("#verdict .figure .value").eachText()).contains("—");
    }

    @Test
    void anAnalysisOfNullsAndNoAnalysisAtAll() {
        ReportSamples.Analysis a = new ReportSamples.Analysis().undefined();
        a.totalCost = null;
        Document nulls = render(ReportSamples.report(a.build(), List.of(), 0, 0));
        Document none = render(ReportSamples.report("Winback", null, null, null, null, 0, 0));

        assertThat(nulls.select("#statistics tbody tr:not(.group) > td:eq(1)").eachText())
                .hasSize(30)
                .allMatch(v -> v.startsWith("—"));
        assertThat(value(nulls, "statistics", "Total cost")).isEqualTo("— (no cost recorded)");
        assertThat(value(nulls, "statistics", "z-score")).isEqualTo("— (no variance)");
        assertThat(none.select("#verdict .headline").text()).isEqualTo("Not enough data yet: 0 mailed and 0 held out.");
        assertThat(value(none, "statistics", "Analysis")).isEqualTo("— (not computed yet)");
        assertThat(chart(none, "chart-conversion").select("rect.bar")).isEmpty();
        assertThat(chart(none, "chart-revenue").select("polyline")).isEmpty();
        assertThat(chart(none, "chart-funnel").text()).contains("No recipients yet.");
        assertThat(none.getElementById("verdict").classNames()).isEmpty();
    }

    @Test
    void withoutOrdersTheRevenueChartSaysSo() {
        Element svg = chart(render(ReportSamples.report(ReportSamples.analysis(), List.of(), 0, 0)), "chart-revenue");

        assertThat(svg.select("polyline")).isEmpty();
        assertThat(svg.text()).contains("No orders yet.").doesNotContain("no recipients");
    }

    @Test
    void anEmptyGroupDrawsNoBarNorLine() {
        ReportSamples.Analysis a = new ReportSamples.Analysis()
                .groups(group(900, 45, 51, "3100.50"), GroupTotals.EMPTY)
                .undefined();
        a.experimentRate = 0.05;

        Document doc = render(ReportSamples.report(a.build(), ReportSamples.daily(), 0, 0));

        assertThat(doc.select("#verdict .headline").text())
                .isEqualTo("Not enough data yet: 900 mailed and 0 held out.");
        assertThat(chart(doc, "chart-conversion").select("rect.bar").eachAttr("data-group"))
                .containsExactly("experiment");
        assertThat(chart(doc, "chart-conversion").text()).contains("no recipients");
        assertThat(chart(doc, "chart-revenue").select("polyline").eachAttr("data-group"))
                .containsExactly("experiment");
        assertThat(chart(doc, "chart-revenue").text()).contains("Control (no recipients)");
        assertThat(doc.select("#groups tr[data-group=control] > *").eachText())
                .containsExactly(
                        "Control (held out)",
                        "0",
                        "0",
                        "— (no recipients)",
                        "— (no recipients)",
                        "0",
                        "0.00",
                        "— (no recipients)");
        assertThat(value(doc, "statistics", "Incremental revenue")).isEqualTo("— (a group has no recipients)");
    }

    @Test
    void hugeNumbers() {
        ReportSamples.Analysis a = new ReportSamples.Analysis()
                .groups(group(1_000_000, 52_345, 60_000, "12345678.90"), group(100_000, 5_000, 5_100, "1000000.00"));
        a.incrementalRevenue = 2_345_678.9;
        List<DailyRevenue> daily = List.of(
                new DailyRevenue(0, new BigDecimal("12345678.90"), new BigDecimal("1000000.00")),
                new DailyRevenue(3650, BigDecimal.ZERO, BigDecimal.ZERO));
        Funnel funnel = new Funnel(List.of(
                new Funnel.Stage("audience", null, 1_100_000),
                new Funnel.Stage("holdout", null, 100_000),
                new Funnel.Stage("sent", null, 1_000_000)));

        Document doc = render(ReportSamples.report("Big", 500_000, a.build(), daily, funnel, 0, 0));

        assertThat(doc.select("#groups tr[data-group=experiment] > *").eachText())
                .containsExactly(
                        "Mailed", "1,000,000", "52,345", "5.2%", "3.8% to 6.6%", "60,000", "12,345,678.90", "12.35");
        assertThat(chart(doc, "chart-funnel").select("rect.bar").eachAttr("data-value"))
                .containsExactly("1100000", "100000", "1000000");
        assertThat(chart(doc, "chart-funnel").text()).contains("1,100,000", "1,000,000 · 90.9%");
        assertThat(lastPoint(chart(doc, "chart-revenue").selectFirst("polyline"))[1])
                .isCloseTo(12.3456789, within(1e-6));
        assertThat(doc.select("#verdict .money").text()).startsWith("Incremental revenue 2,345,678.90");
    }
}
