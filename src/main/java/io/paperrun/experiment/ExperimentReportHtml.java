package io.paperrun.experiment;

import io.paperrun.experiment.Charts.Bar;
import io.paperrun.experiment.Charts.Point;
import io.paperrun.experiment.Charts.Series;
import io.paperrun.experiment.ExperimentAnalysis.Interval;
import io.paperrun.experiment.ExperimentAnalysis.LiftInterval;
import io.paperrun.experiment.ExperimentAnalysis.MinimumDetectableEffect;
import io.paperrun.experiment.ExperimentAnalysis.RevenueTest;
import io.paperrun.experiment.ExperimentAnalysis.SampleRatio;
import io.paperrun.experiment.ExperimentReport.DailyRevenue;
import io.paperrun.experiment.ExperimentVerdict.Groups;
import io.paperrun.experiment.HtmlPage.Table;
import io.paperrun.experiment.HtmlPage.Table.Cell;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleFunction;
import java.util.function.Function;

/**
 * An experiment report as one self-contained HTML5 page a marketer reads at a glance: the verdict, the warnings, the
 * groups, charts of conversion, cumulative revenue per recipient and the funnel, and every statistic of the analysis.
 */
public final class ExperimentReportHtml {

    private static final String NO_RECIPIENTS = "a group has no recipients";
    private static final String NO_COST = "no cost recorded";

    private ExperimentReportHtml() {}

    public static String render(ExperimentReport report) {
        ExperimentAnalysis a = report.analysis();
        Groups g = Groups.of(a);
        ExperimentVerdict verdict = ExperimentVerdict.of(report);
        String name = campaignName(report.campaignName(), report.campaign());
        HtmlPage page = new HtmlPage(name + " · holdout experiment");
        page.header(
                "Holdout experiment" + (report.organization() == null ? "" : " · " + report.organization()),
                name,
                subtitle(report));

        page.section("verdict", tone(a, g), null)
                .text("span", badge(a, g), "class", "badge")
                .text("p", verdict.headline(), "class", "headline");
        if (verdict.money() != null) {
            page.text("p", verdict.money(), "class", "money");
        }
        page.figures(keyFigures(a, g)).endSection();

        if (!verdict.warnings().isEmpty()) {
            page.section("warnings", null, "Read with care")
                    .list(verdict.warnings())
                    .endSection();
        }

        page.section("groups", null, "Mailed and held-out customers")
                .raw(groups(a, g))
                .endSection();

        page.raw("<div class=\"pair\">");
        page.section("chart-conversion", null, "Conversion rate")
                .raw(conversionChart(a, g))
                .text(
                        "p",
                        "The share of each group that bought; the whiskers show the 95% interval.",
                        "class",
                        "caption")
                .endSection();
        page.section("chart-revenue", null, "Revenue per recipient over time")
                .raw(Charts.lines(
                        "Cumulative revenue per recipient by day since the first send",
                        revenueSeries(report, g),
                        "Days since the first send",
                        Charts.Unit.MONEY,
                        "No orders yet."))
                .text(
                        "p",
                        "Revenue of each group so far divided by its recipients; the gap between the lines is"
                                + " what each mailed customer brought in beyond the control group.",
                        "class",
                        "caption")
                .endSection();
        page.raw("</div>\n");

        page.section("chart-funnel", null, "Funnel")
                .raw(Charts.funnel("The campaign's recipients by stage", report.funnel()))
                .endSection();

        page.section("statistics", null, "Statistics")
                .raw(statistics(report, a, g))
                .endSection();

        page.footer(
                footerTerms(report, a),
                List.of(
                        "How to read it: the control group was held out at random and received no postcard, so the"
                                + " difference between the groups is what the postcards caused. A 95% interval is the range"
                                + " the true value most likely lies in; the win probability is how likely mailed customers"
                                + " truly buy more often. The result is significant when the p-value is below alpha.",
                        "Amounts are in the organization's currency. Revenue counts the orders the metric counts, on the"
                                + " day they were placed; day 0 is the first send."));
        return page.render();
    }

    private static String conversionChart(ExperimentAnalysis a, Groups g) {
        return Charts.rateBars(
                "Conversion rate per group with its 95% interval",
                List.of(
                        bar(
                                "experiment",
                                "Mailed",
                                HtmlPage.MAILED_COLOR,
                                g.experiment(),
                                g.experimentRate(),
                                a == null ? null : a.experimentRateInterval()),
                        bar(
                                "control",
                                "Control",
                                HtmlPage.CONTROL_COLOR,
                                g.control(),
                                g.controlRate(),
                                a == null ? null : a.controlRateInterval())));
    }

    /** The longest attribution window (a standard campaign's 63 days): a chart needs go no further without orders. */
    static final int WINDOW_DAYS = 63;

    /**
     * The cumulative revenue per recipient of each group, on to the report's generation while the campaign is
     * younger than the attribution window or its last order, whichever is later.
     */
    private static List<Series> revenueSeries(ExperimentReport report, Groups g) {
        List<DailyRevenue> daily = report.daily() == null ? List.of() : report.daily();
        int lastOrder = daily.stream().mapToInt(DailyRevenue::day).max().orElse(0);
        Integer end = report.firstSend() != null && report.generatedAt() != null
                ? (int) Math.min(
                        Math.max(lastOrder, WINDOW_DAYS),
                        Duration.between(report.firstSend(), report.generatedAt())
                                .toDays())
                : null;
        return List.of(
                new Series(
                        "experiment",
                        "Mailed",
                        HtmlPage.MAILED_COLOR,
                        cumulative(
                                daily,
                                DailyRevenue::experimentRevenue,
                                g.experiment().recipients(),
                                end),
                        g.experiment().recipients() == 0 ? "no recipients" : null),
                new Series(
                        "control",
                        "Control",
                        HtmlPage.CONTROL_COLOR,
                        cumulative(
                                daily, DailyRevenue::controlRevenue, g.control().recipients(), end),
                        g.control().recipients() == 0 ? "no recipients" : null));
    }

    /**
     * Revenue so far divided by {@code recipients} at each day with orders, flat in between (a point the day before
     * each jump) and from day 0 or the first day with orders; empty without orders or recipients.
     */
    private static List<Point> cumulative(
            List<DailyRevenue> daily, Function<DailyRevenue, BigDecimal> revenue, long recipients, Integer end) {
        if (daily.isEmpty() || recipients <= 0) {
            return List.of();
        }
        List<DailyRevenue> days = daily.stream()
                .sorted(Comparator.comparingInt(DailyRevenue::day))
                .toList();
        List<Point> points = new ArrayList<>();
        int start = Math.min(0, days.get(0).day());
        Integer previous = null;
        if (start < days.get(0).day()) {
            points.add(new Point(start, 0));
            previous = start;
        }
        BigDecimal sum = BigDecimal.ZERO;
        for (DailyRevenue d : days) {
            if (previous != null && previous < d.day() - 1) {
                points.add(new Point(d.day() - 1, sum.doubleValue() / recipients));
            }
            sum = sum.add(Objects.requireNonNullElse(revenue.apply(d), BigDecimal.ZERO));
            points.add(new Point(d.day(), sum.doubleValue() / recipients));
            previous = d.day();
        }
        if (end != null && end > previous) {
            points.add(new Point(end, sum.doubleValue() / recipients));
        }
        return points;
    }

    private static Bar bar(String group, String label, String color, GroupTotals t, Double rate, Interval i) {
        Interval interval = i == null ? Interval.UNDEFINED : i;
        return new Bar(
                group,
                label,
                Figures.plural(t.recipients(), "recipient", "recipients"),
                color,
                rate,
                interval.low(),
                interval.high(),
                "no recipients");
    }

    private static String groups(ExperimentAnalysis a, Groups g) {
        Table table = new Table(
                "Group",
                "Recipients",
                "Conversions",
                "Conversion rate",
                "95% interval",
                "Orders",
                "Revenue",
                "Revenue per recipient");
        groupRow(
                table,
                "experiment",
                "Mailed",
                HtmlPage.MAILED_COLOR,
                g.experiment(),
                g.experimentRate(),
                a == null ? null : a.experimentRateInterval());
        groupRow(
                table,
                "control",
                "Control (held out)",
                HtmlPage.CONTROL_COLOR,
                g.control(),
                g.controlRate(),
                a == null ? null : a.controlRateInterval());
        return table.render();
    }

    private static void groupRow(
            Table table, String group, String label, String color, GroupTotals t, Double rate, Interval interval) {
        BigDecimal revenue = t.revenue();
        table.row(
                new String[] {"data-group", group},
                Cell.swatch(label, color),
                Cell.of(Figures.count(t.recipients())),
                Cell.of(Figures.count(t.conversions())),
                rate == null ? Cell.undefined("no recipients") : Cell.of(Figures.percent(rate)),
                interval(interval, Figures::percent, t.recipients() == 0 ? "no recipients" : null),
                Cell.of(Figures.count(t.orders())),
                Cell.of(Figures.money(revenue)),
                t.recipients() == 0 || revenue == null
                        ? Cell.undefined("no recipients")
                        : Cell.of(Figures.moneyPrecise(revenue.doubleValue() / t.recipients())));
    }

    private static String tone(ExperimentAnalysis a, Groups g) {
        if (a == null || !g.measurable()) {
            return null;
        }
        if (Boolean.TRUE.equals(a.significant()) && "experiment".equals(a.winner())) {
            return "positive";
        }
        if (a.winProbability() != null && a.winProbability() < a.alpha()) {
            return "negative";
        }
        return "uncertain";
    }

    private static String badge(ExperimentAnalysis a, Groups g) {
        if (a == null || !g.measurable()) {
            return "Not enough data";
        }
        String alpha = "α = " + Figures.amount(a.alpha(), 2);
        if (a.significant() == null) {
            return "Not testable yet";
        }
        return (a.significant() ? "Significant at " : "Not significant at ") + alpha;
    }

    private static List<String[]> keyFigures(ExperimentAnalysis a, Groups g) {
        List<String[]> figures = new ArrayList<>();
        figures.add(new String[] {
            "Mailed conversion", g.experimentRate() == null ? Figures.UNDEFINED : Figures.percent(g.experimentRate())
        });
        figures.add(new String[] {
            "Control conversion", g.controlRate() == null ? Figures.UNDEFINED : Figures.percent(g.controlRate())
        });
        if (a == null) {
            return figures;
        }
        figures.add(new String[] {"Uplift", format(a.uplift(), ExperimentReportHtml::signedPercent)});
        figures.add(new String[] {"Win probability", format(a.winProbability(), Figures::probability)});
        figures.add(new String[] {"Incremental revenue", format(a.incrementalRevenue(), Figures::money)});
        figures.add(new String[] {"Return on spend", format(a.incrementalRoas(), Figures::roas)});
        return figures;
    }

    private static String statistics(ExperimentReport report, ExperimentAnalysis a, Groups g) {
        Table table = new Table("Measure", "Value", "What it means").explained();
        if (a == null) {
            table.row(new String[0], Cell.heading("Analysis"), Cell.undefined("not computed yet"), Cell.of(""));
            return table.render();
        }
        String groups = g.populated() ? null : NO_RECIPIENTS;
        boolean noConversions = g.measurable() && g.experimentRate() == 0 && g.controlRate() == 0;
        String test = groups != null ? groups : noConversions ? "no conversions yet" : "no variance";
        String controlZero =
                groups != null ? groups : Double.valueOf(0).equals(g.controlRate()) ? "control converted 0" : null;
        int columns = 3;

        table.group("Conversion", columns);
        stat(
                table,
                "Conversion rate, mailed",
                value(g.experimentRate(), Figures::percent, "no recipients"),
                "Share of mailed customers who bought.");
        stat(
                table,
                "95% interval, mailed",
                interval(a.experimentRateInterval(), Figures::percent, "no recipients"),
                "The range the mailed group's true rate most likely lies in.");
        stat(
                table,
                "Conversion rate, control",
                value(g.controlRate(), Figures::percent, "no recipients"),
                "Share of held-out customers who bought anyway.");
        stat(
                table,
                "95% interval, control",
                interval(a.controlRateInterval(), Figures::percent, "no recipients"),
                "The range the control group's true rate most likely lies in.");
        stat(
                table,
                "Uplift",
                value(a.uplift(), ExperimentReportHtml::signedPercent, controlZero),
                "How much more often mailed customers bought, relative to the control group.");

        table.group("Significance (two-proportion z-test, one-tailed)", columns);
        stat(
                table,
                "z-score",
                value(a.zScore(), v -> Figures.amount(v, 2), test),
                "Standard errors between the two rates.");
        stat(
                table,
                "p-value",
                value(a.pValue(), Figures::pValue, test),
                "Chance of a difference at least this large if the postcards did nothing.");
        stat(
                table,
                "Win probability",
                value(a.winProbability(), Figures::percent, test),
                "How likely mailed customers truly buy more often.");
        stat(
                table,
                "Significant",
                a.significant() == null ? Cell.undefined(test) : Cell.of(a.significant() ? "yes" : "no"),
                "Whether the p-value is below alpha (" + Figures.amount(a.alpha(), 2) + ").");
        stat(
                table,
                "Winner",
                a.winner() == null
                        ? Cell.undefined(test)
                        : Cell.of(a.winner().equals("experiment") ? "mailed (experiment)" : a.winner()),
                "The group with the higher conversion rate.");

        LiftInterval lift = a.liftInterval();
        String level = lift == null ? "95%" : Figures.percent(lift.level()).replace(".0%", "%");
        table.group("Lift, " + level + " interval", columns);
        stat(
                table,
                "Absolute lift",
                interval(lift == null ? null : lift.absolute(), Figures::points, groups),
                "The difference of the rates, in percentage points.");
        stat(
                table,
                "Relative lift",
                interval(lift == null ? null : lift.relative(), Figures::percent, controlZero),
                "The uplift's interval.");

        SampleRatio sr = a.sampleRatio();
        boolean capped = report.holdoutMaximum() != null && g.control().recipients() >= report.holdoutMaximum();
        String share = capped ? "holdout capped at its maximum" : "no holdout share set";
        table.group("Sample ratio (chi-square against the holdout share)", columns);
        stat(
                table,
                "Expected control share",
                value(sr == null ? null : sr.expectedControlShare(), Figures::percent, share),
                "The campaign's holdout percentage.");
        stat(
                table,
                "Observed control share",
                value(sr == null ? null : sr.observedControlShare(), Figures::percent, groups),
                "The control group's share of both groups.");
        stat(
                table,
                "Chi-square",
                value(sr == null ? null : sr.chiSquare(), v -> Figures.amount(v, 2), share),
                "How far the observed share is from the expected one.");
        stat(
                table,
                "p-value",
                value(sr == null ? null : sr.pValue(), Figures::pValue, share),
                "A mismatch is flagged below 0.001.");
        stat(
                table,
                "Mismatch",
                sr == null ? Cell.undefined(share) : Cell.of(sr.mismatch() ? "yes" : "no"),
                "When yes, the groups may not be comparable.");

        RevenueTest rt = a.revenueTest();
        String revenueTest = groups != null ? groups : "no variance in revenue";
        table.group("Revenue per recipient (Welch's t-test, one-tailed)", columns);
        stat(
                table,
                "Mean, mailed",
                value(rt == null ? null : rt.meanExperiment(), Figures::moneyPrecise, groups),
                "Revenue per mailed customer, buyers or not.");
        stat(
                table,
                "Mean, control",
                value(rt == null ? null : rt.meanControl(), Figures::moneyPrecise, groups),
                "Revenue per held-out customer, buyers or not.");
        stat(
                table,
                "t",
                value(rt == null ? null : rt.t(), v -> Figures.amount(v, 2), revenueTest),
                "Standard errors between the two means.");
        stat(
                table,
                "Degrees of freedom",
                value(rt == null ? null : rt.df(), v -> Figures.amount(v, 1), revenueTest),
                "Welch-Satterthwaite.");
        stat(
                table,
                "p-value",
                value(rt == null ? null : rt.pValue(), Figures::pValue, revenueTest),
                "Chance of a revenue gap at least this large if the postcards did nothing.");

        MinimumDetectableEffect mde = a.mde();
        table.group("Minimum detectable effect", columns);
        stat(
                table,
                "Power",
                mde == null ? Cell.undefined(groups) : Cell.of(Figures.percent(mde.power())),
                "The chance of detecting a lift of the size below.");
        stat(
                table,
                "Absolute",
                value(mde == null ? null : mde.absolute(), Figures::points, groups),
                "The smallest lift these group sizes detect, in percentage points.");
        stat(
                table,
                "Relative",
                value(mde == null ? null : mde.relative(), Figures::percent, controlZero),
                "The same, relative to the control group's rate.");

        Double customers = a.incrementalCustomers();
        boolean noCost = a.totalCost() == null || a.totalCost().signum() <= 0;
        table.group("Money", columns);
        stat(
                table,
                "Total cost",
                a.totalCost() == null ? Cell.undefined(NO_COST) : Cell.of(Figures.money(a.totalCost())),
                "The cost of the pieces mailed.");
        stat(
                table,
                "Incremental revenue",
                value(a.incrementalRevenue(), Figures::money, groups),
                "Revenue the postcards brought beyond what the mailed customers would have spent anyway.");
        stat(
                table,
                "Incremental ROAS",
                value(a.incrementalRoas(), Figures::roas, noCost ? NO_COST : groups),
                "Incremental revenue divided by the cost.");
        stat(
                table,
                "Incremental customers",
                value(customers, Figures::count, groups),
                "Orders beyond the control group's rate, scaled to the mailed group.");
        String cacReason = noCost ? NO_COST : customers != null && customers <= 0 ? "no incremental customers" : groups;
        stat(
                table,
                "Cost per incremental customer (CAC)",
                value(a.cac(), Figures::money, cacReason),
                "The cost divided by the incremental customers.");
        return table.render();
    }

    private static void stat(Table table, String name, Cell value, String meaning) {
        table.row(new String[0], Cell.heading(name), value, new Cell(meaning, null, null, "meaning", false));
    }

    private static Cell value(Double v, DoubleFunction<String> format, String reason) {
        return v == null ? Cell.undefined(reason) : Cell.of(format.apply(v));
    }

    private static Cell interval(Interval i, DoubleFunction<String> format, String reason) {
        if (i == null || i.low() == null || i.high() == null) {
            return Cell.undefined(reason);
        }
        String low = format.apply(i.low());
        String high = format.apply(i.high());
        String unit = high.endsWith(" points") ? " points" : "";
        return Cell.of(low.substring(0, low.length() - (low.endsWith(unit) ? unit.length() : 0)) + " to " + high);
    }

    private static String format(Double v, DoubleFunction<String> format) {
        return v == null ? Figures.UNDEFINED : format.apply(v);
    }

    private static String signedPercent(double v) {
        String p = Figures.percent(v);
        return v > 0 && !p.equals("0.0%") ? "+" + p : p;
    }

    private static List<String[]> footerTerms(ExperimentReport r, ExperimentAnalysis a) {
        List<String[]> terms = new ArrayList<>();
        terms.add(new String[] {
            "Campaign",
            campaignName(r.campaignName(), r.campaign())
                    + (r.campaign() != null && r.campaignName() != null ? " (" + r.campaign() + ")" : "")
        });
        if (r.organization() != null) {
            terms.add(new String[] {"Organization", r.organization()});
        }
        terms.add(new String[] {"Metric", metric(r.metric())});
        terms.add(new String[] {"Alpha", a == null ? Figures.UNDEFINED : Figures.amount(a.alpha(), 2) + ", one-tailed"
        });
        terms.add(new String[] {"Holdout", holdout(r)});
        terms.add(new String[] {"First send", Figures.time(r.firstSend())});
        terms.add(new String[] {"Generated", Figures.time(r.generatedAt())});
        return terms;
    }

    static String campaignName(String name, String key) {
        if (name != null && !name.isBlank()) {
            return name;
        }
        return key == null ? "Campaign" : key;
    }

    private static String subtitle(ExperimentReport r) {
        List<String> parts = new ArrayList<>();
        if (r.campaign() != null) {
            parts.add(r.campaign());
        }
        parts.add(metric(r.metric()));
        if (r.firstSend() != null) {
            parts.add("first send " + Figures.time(r.firstSend()));
        }
        parts.add("generated " + Figures.time(r.generatedAt()));
        return String.join(" · ", parts);
    }

    private static String metric(ExperimentMetric m) {
        if (m == null) {
            return Figures.UNDEFINED;
        }
        return switch (m) {
            case ALL_ORDERS -> "all orders";
            case FIRST_ORDER -> "first orders only";
        };
    }

    private static String holdout(ExperimentReport r) {
        if (r.holdoutPercentage() == null && r.holdoutMaximum() == null) {
            return "none configured";
        }
        String share = r.holdoutPercentage() == null
                ? "no share"
                : r.holdoutPercentage().stripTrailingZeros().toPlainString() + "% of the audience";
        return r.holdoutMaximum() == null ? share : share + ", at most " + Figures.count(r.holdoutMaximum());
    }
}
