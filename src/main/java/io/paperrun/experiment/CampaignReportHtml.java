package io.paperrun.experiment;

import io.paperrun.experiment.CampaignReport.MethodTotals;
import io.paperrun.experiment.CampaignReport.WeekTotals;
import io.paperrun.experiment.Charts.Column;
import io.paperrun.experiment.HtmlPage.Table;
import io.paperrun.experiment.HtmlPage.Table.Cell;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A campaign report as one self-contained HTML5 page, in the experiment report's style: what was mailed and what it
 * cost, the funnel, and the attributed orders and revenue by method and by week since sending.
 */
public final class CampaignReportHtml {

    /** Weeks without orders are drawn as empty bars up to this many weeks; beyond, only weeks with orders. */
    private static final int MAX_FILLED_WEEKS = 260;

    private CampaignReportHtml() {}

    public static String render(CampaignReport report) {
        String name = ExperimentReportHtml.campaignName(report.campaignName(), report.campaign());
        HtmlPage page = new HtmlPage(name + " · campaign report");
        page.header(
                "Campaign report" + (report.organization() == null ? "" : " · " + report.organization()),
                name,
                subtitle(report));

        page.section("summary", null, null)
                .text("p", headline(report), "class", "headline")
                .figures(List.of(
                        new String[] {"Mailed", Figures.count(report.mailed())},
                        new String[] {"Cost", Figures.money(report.cost())},
                        new String[] {"Attributed orders", Figures.count(report.orders())},
                        new String[] {"Attributed revenue", Figures.money(report.revenue())},
                        new String[] {
                            "Return on spend", report.roas() == null ? Figures.UNDEFINED : Figures.roas(report.roas())
                        }))
                .endSection();

        page.section("chart-funnel", null, "Funnel")
                .raw(Charts.funnel("The campaign's recipients by stage", report.funnel()))
                .endSection();

        page.section("by-method", null, "Orders by attribution method")
                .raw(byMethod(report))
                .endSection();

        List<WeekTotals> weeks = report.byWeek() == null
                ? List.of()
                : report.byWeek().stream()
                        .sorted(Comparator.comparingInt(WeekTotals::week))
                        .toList();
        page.section("by-week", null, "Revenue by week since sending")
                .raw(weekChart(weeks))
                .raw(weekTable(weeks))
                .endSection();

        List<String> notes = new ArrayList<>();
        if (report.unprocessed() > 0) {
            notes.add(ExperimentVerdict.unprocessed(report.unprocessed()));
        }
        notes.add("Orders count when their attribution passes the rules and is not archived. The control group's "
                + Figures.plural(report.holdoutOrders(), "order", "orders") + " (revenue "
                + Figures.money(report.holdoutRevenue())
                + ") are shown apart and never counted as the mail's.");
        notes.add("Attributed revenue is not all caused by the postcards: a holdout experiment report"
                + " (paperrun report experiment) measures what they added.");
        page.section("notes", report.unprocessed() > 0 ? "attention" : null, "Notes")
                .list(notes)
                .endSection();

        List<String[]> terms = new ArrayList<>();
        terms.add(new String[] {
            "Campaign",
            name + (report.campaign() != null && report.campaignName() != null ? " (" + report.campaign() + ")" : "")
        });
        if (report.organization() != null) {
            terms.add(new String[] {"Organization", report.organization()});
        }
        terms.add(new String[] {"Status", report.status() == null ? Figures.UNDEFINED : report.status()});
        terms.add(new String[] {"First send", Figures.time(report.firstSend())});
        terms.add(new String[] {"Generated", Figures.time(report.generatedAt())});
        page.footer(
                terms,
                List.of("How to read it: the funnel follows every recipient from the audience to the mailbox; orders"
                        + " and revenue are those attributed to mailed recipients, by the way they were matched"
                        + " (email, shipping address or discount code) and by whole weeks since each recipient's"
                        + " postcard was sent. Return on spend is attributed revenue divided by cost. Amounts are in"
                        + " the organization's currency."));
        return page.render();
    }

    private static String headline(CampaignReport r) {
        if (r.mailed() == 0) {
            return "No postcard mailed yet.";
        }
        String mailed = Figures.plural(r.mailed(), "postcard", "postcards") + " mailed"
                + (r.cost() == null ? "" : " for " + Figures.money(r.cost()));
        String brought = " brought " + Figures.plural(r.orders(), "attributed order", "attributed orders") + " and "
                + Figures.money(r.revenue()) + " in revenue";
        return mailed + brought + (r.roas() == null ? "." : ": " + Figures.roas(r.roas()) + " return.");
    }

    private static String subtitle(CampaignReport r) {
        List<String> parts = new ArrayList<>();
        if (r.campaign() != null) {
            parts.add(r.campaign());
        }
        if (r.status() != null) {
            parts.add(r.status());
        }
        if (r.firstSend() != null) {
            parts.add("first send " + Figures.time(r.firstSend()));
        }
        parts.add("generated " + Figures.time(r.generatedAt()));
        return String.join(" · ", parts);
    }

    private static String byMethod(CampaignReport r) {
        Table table = new Table("Method", "Orders, mailed", "Revenue, mailed", "Orders, control", "Revenue, control");
        List<MethodTotals> methods = r.byMethod() == null ? List.of() : r.byMethod();
        List<String> codes = methods.stream()
                .map(MethodTotals::method)
                .distinct()
                .sorted(Comparator.comparingInt(CampaignReportHtml::methodOrder)
                        .thenComparing(Comparator.nullsLast(Comparator.naturalOrder())))
                .toList();
        for (String code : codes) {
            MethodTotals mailed = totals(methods, code, false);
            MethodTotals control = totals(methods, code, true);
            table.row(
                    new String[] {"data-method", code},
                    Cell.heading(method(code)),
                    Cell.of(Figures.count(mailed.orders())),
                    Cell.of(Figures.money(mailed.revenue())),
                    Cell.of(Figures.count(control.orders())),
                    Cell.of(Figures.money(control.revenue())));
        }
        table.row(
                new String[] {"class", "total", "data-method", "all"},
                Cell.heading("All methods"),
                Cell.of(Figures.count(r.orders())),
                Cell.of(Figures.money(r.revenue())),
                Cell.of(Figures.count(r.holdoutOrders())),
                Cell.of(Figures.money(r.holdoutRevenue())));
        return table.render();
    }

    /** The orders and revenue of one method and group, summed (zero when there are none). */
    private static MethodTotals totals(List<MethodTotals> methods, String code, boolean holdout) {
        long orders = 0;
        BigDecimal revenue = BigDecimal.ZERO;
        for (MethodTotals m : methods) {
            if (Objects.equals(m.method(), code) && m.holdout() == holdout) {
                orders += m.orders();
                revenue = revenue.add(nonNull(m.revenue()));
            }
        }
        return new MethodTotals(code, holdout, orders, revenue);
    }

    /** The methods in the order matching tries them. */
    private static int methodOrder(String code) {
        return switch (code == null ? "" : code) {
            case "email" -> 0;
            case "physical_address" -> 1;
            case "discount_code" -> 2;
            default -> 3;
        };
    }

    private static String method(String code) {
        if (code == null || code.isBlank()) {
            return Figures.UNDEFINED;
        }
        return switch (code) {
            case "email" -> "Email";
            case "physical_address" -> "Shipping address";
            case "discount_code" -> "Discount code";
            default -> code;
        };
    }

    private static String weekChart(List<WeekTotals> weeks) {
        TreeMap<Integer, BigDecimal> revenue = new TreeMap<>();
        weeks.forEach(w -> revenue.merge(w.week(), nonNull(w.revenue()), BigDecimal::add));
        if (!revenue.isEmpty()) {
            int first = Math.min(0, revenue.firstKey());
            int last = revenue.lastKey();
            if ((long) last - first < MAX_FILLED_WEEKS) {
                for (int w = first; w <= last; w++) {
                    revenue.putIfAbsent(w, BigDecimal.ZERO);
                }
            }
        }
        List<Column> columns = revenue.entrySet().stream()
                .map(e -> new Column(
                        Integer.toString(e.getKey()),
                        "Week " + e.getKey(),
                        e.getValue().doubleValue(),
                        HtmlPage.MAILED_COLOR))
                .toList();
        return Charts.columns(
                "chart-weeks",
                "Attributed revenue of the mailed group by week since sending",
                "week",
                columns,
                "Weeks since sending",
                "No attributed orders yet.");
    }

    private static String weekTable(List<WeekTotals> weeks) {
        Table table = new Table("Week", "Days since sending", "Orders", "Revenue", "Revenue so far");
        BigDecimal sum = BigDecimal.ZERO;
        for (WeekTotals w : weeks) {
            sum = sum.add(nonNull(w.revenue()));
            table.row(
                    new String[] {"data-week", Integer.toString(w.week())},
                    Cell.heading("Week " + w.week()),
                    Cell.of((w.week() * 7L) + "–" + (w.week() * 7L + 6)),
                    Cell.of(Figures.count(w.orders())),
                    Cell.of(Figures.money(w.revenue())),
                    Cell.of(Figures.money(sum)));
        }
        return table.render();
    }

    private static BigDecimal nonNull(BigDecimal amount) {
        return amount == null ? BigDecimal.ZERO : amount;
    }
}
