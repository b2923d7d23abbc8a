package io.paperrun.experiment;

import static io.paperrun.experiment.SelfContainedPage.chart;
import static io.paperrun.experiment.SelfContainedPage.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.experiment.CampaignReport.MethodTotals;
import io.paperrun.experiment.CampaignReport.WeekTotals;
import java.math.BigDecimal;
import java.util.List;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.Test;

/** The campaign report's HTML page: its sections, the shared funnel chart, the weeks chart, escaping and nulls. */
class CampaignReportHtmlTest {

    private static CampaignReport campaign(
            String name,
            BigDecimal cost,
            Double roas,
            List<MethodTotals> methods,
            List<WeekTotals> weeks,
            long unprocessed) {
        CampaignReport s = ReportSamples.campaign();
        return new CampaignReport(
                s.organization(),
                s.campaign(),
                name,
                s.status(),
                s.generatedAt(),
                s.firstSend(),
                s.funnel(),
                s.mailed(),
                cost,
                s.orders(),
                s.revenue(),
                roas,
                s.holdoutOrders(),
                s.holdoutRevenue(),
                methods,
                weeks,
                unprocessed);
    }

    @Test
    void everySectionIsThere() {
        Document doc = parse(CampaignReportHtml.render(ReportSamples.campaign()));

        assertThat(doc.select("main > section").eachAttr("id"))
                .containsExactly("summary", "chart-funnel", "by-method", "by-week", "notes");
        assertThat(doc.select("main > footer")).hasSize(1);
        assertThat(doc.select("#summary .headline").text())
                .isEqualTo("900 postcards mailed for 801.00 brought 51 attributed orders and 3,100.50 in revenue:"
                        + " 3.87× return.");
        assertThat(doc.select("#summary .figure .value").eachText())
                .containsExactly("900", "801.00", "51", "3,100.50", "3.87×");
        assertThat(doc.select("#notes li").eachText())
                .first()
                .asString()
                .contains("The control group's 3 orders (revenue 150.00) are shown apart");
        assertThat(doc.getElementById("notes").hasClass("attention")).isFalse();
    }

    @Test
    void theFunnelIsTheExperimentReportsChart() {
        Document campaign = parse(CampaignReportHtml.render(ReportSamples.campaign()));
        Document experiment = parse(ExperimentReportHtml.render(ReportSamples.report()));

        Element svg = chart(campaign, "chart-funnel");
        assertThat(svg.select("rect.bar").eachAttr("data-value"))
                .containsExactly("1100", "40", "60", "100", "900", "870", "12");
        assertThat(svg.outerHtml()).isEqualTo(chart(experiment, "chart-funnel").outerHtml());
    }

    @Test
    void byMethodOneRowPerMethodWithBothGroupsAndTheTotals() {
        Document doc = parse(CampaignReportHtml.render(ReportSamples.campaign()));

        assertThat(doc.select("#by-method tbody tr").eachAttr("data-method"))
                .containsExactly("email", "physical_address", "discount_code", "all");
        assertThat(doc.select("#by-method tr[data-method=email] > *").eachText())
                .containsExactly("Email", "30", "1,800.00", "3", "150.00");
        assertThat(doc.select("#by-method tr[data-method=discount_code] > *").eachText())
                .containsExactly("Discount code", "9", "500.00", "0", "0.00");
        assertThat(doc.select("#by-method tr[data-method=all] > *").eachText())
                .containsExactly("All methods", "51", "3,100.50", "3", "150.00");
    }

    @Test
    void byWeekATableAndABarPerWeekFromWeekZero() {
        Document doc = parse(CampaignReportHtml.render(ReportSamples.campaign()));

        Element svg = doc.selectFirst("#by-week svg#chart-weeks");
        assertThat(svg).isNotNull();
        assertThat(svg.hasClass("chart")).isTrue();
        Elements bars = svg.select("rect.bar");
        assertThat(bars.eachAttr("data-week")).containsExactly("0", "1", "2", "3", "4", "5", "6");
        assertThat(bars.eachAttr("data-value"))
                .containsExactly("1200.0", "900.0", "500.5", "0.0", "300.0", "0.0", "200.0");
        assertThat(svg.text()).contains("Weeks since sending", "1,200.00");
        assertThat(doc.select("#by-week tbody tr").eachAttr("data-week")).containsExactly("0", "1", "2", "4", "6");
        assertThat(doc.select("#by-week tr[data-week=4] > *").eachText())
                .containsExactly("Week 4", "28–34", "6", "300.00", "2,900.50");
    }

    @Test
    void unprocessedAttributionsAreNoted() {
        Document doc = parse(CampaignReportHtml.render(
                campaign("Winback", new BigDecimal("801.00"), 3.87, List.of(), List.of(), 1234)));

        assertThat(doc.select("#notes li").eachText())
                .first()
                .isEqualTo("1,234 attributions are not processed yet, so their orders are not counted:"
                        + " run paperrun run attribution-processing.");
        assertThat(doc.getElementById("notes").hasClass("attention")).isTrue();
        assertThat(chart(doc, "by-week").text()).contains("No attributed orders yet.");
        assertThat(doc.select("#by-week svg rect.bar")).isEmpty();
        assertThat(doc.select("#by-method tbody tr").eachAttr("data-method")).containsExactly("all");
    }

    @Test
    void withoutCostNoReturnOnSpend() {
        Document doc = parse(CampaignReportHtml.render(campaign("Winback", null, null, null, null, 0)));

        assertThat(doc.select("#summary .figure .value").eachText()).containsExactly("900", "—", "51", "3,100.50", "—");
        assertThat(doc.select("#summary .headline").text())
                .isEqualTo("900 postcards mailed brought 51 attributed orders and 3,100.50 in revenue.");
    }

    @Test
    void dataIsTextNeverMarkup() {
        String name = "<b>Spring & \"Co\"</b>";
        String html = CampaignReportHtml.render(campaign(
                name,
                BigDecimal.TEN,
                1.0,
                List.of(new MethodTotals("<script>x</script>", false, 1, BigDecimal.ONE)),
                List.of(),
                0));

        Document doc = parse(html);

        assertThat(doc.select("b, script")).isEmpty();
        assertThat(doc.select("h1").text()).isEqualTo(name);
        assertThat(html).contains("&lt;b&gt;Spring &amp; &quot;Co&quot;&lt;/b&gt;");
        assertThat(doc.select("#by-method tbody tr").first().attr("data-method"))
                .isEqualTo("<script>x</script>");
        assertThat(doc.select("#by-method tbody tr").first().child(0).text()).isEqualTo("<script>x</script>");
    }
}
