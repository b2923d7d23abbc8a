package io.paperrun.experiment;

import java.util.ArrayList;
import java.util.List;

/**
 * One self-contained HTML5 report page (inline style, no external resource) written section by section. Text from
 * data goes through {@link #text} or {@link #escape}; {@link #raw} takes markup this package built.
 */
final class HtmlPage {

    static final String MAILED_COLOR = "#2563eb";
    static final String CONTROL_COLOR = "#ea580c";

    private static final String STYLE = """
            :root { --mailed: #2563eb; --control: #ea580c; --ink: #1f2937; --muted: #6b7280; --line: #e5e7eb;
              --bg: #f3f4f6; --good: #15803d; --bad: #b91c1c; --unsure: #b45309; }
            * { box-sizing: border-box; }
            html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
            body { margin: 0; background: var(--bg); color: var(--ink);
              font: 15px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
            main { max-width: 1000px; margin: 0 auto; padding: 28px 24px 40px; }
            header.page { margin: 0 4px 18px; }
            header.page h1 { font-size: 28px; line-height: 1.2; margin: 2px 0 4px; }
            .kicker { margin: 0; font-size: 12px; letter-spacing: .08em; text-transform: uppercase; color: var(--muted); }
            .sub { margin: 0; color: var(--muted); }
            section { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 18px 22px;
              margin: 0 0 16px; break-inside: avoid; }
            section h2 { font-size: 16px; margin: 0 0 12px; }
            .pair { display: grid; grid-template-columns: 2fr 3fr; gap: 16px; }
            .pair > section { margin-bottom: 16px; }
            #verdict { border-left: 6px solid var(--muted); }
            #verdict.positive { border-left-color: var(--good); }
            #verdict.negative { border-left-color: var(--bad); }
            #verdict.uncertain { border-left-color: var(--unsure); }
            .badge { display: inline-block; font-size: 13px; font-weight: 600; padding: 2px 10px; border-radius: 999px;
              background: var(--bg); color: var(--muted); }
            .positive .badge { background: #dcfce7; color: var(--good); }
            .negative .badge { background: #fee2e2; color: var(--bad); }
            .uncertain .badge { background: #fef3c7; color: var(--unsure); }
            .headline { font-size: 24px; line-height: 1.3; font-weight: 650; margin: 8px 0 6px; }
            .money { font-size: 18px; margin: 0; }
            .figures { display: grid; grid-auto-flow: column; grid-auto-columns: 1fr; gap: 10px; margin-top: 16px; }
            .figure { display: flex; flex-direction: column; justify-content: space-between; background: var(--bg);
              border-radius: 8px; padding: 10px 12px; }
            .figure .label { display: block; font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
            .figure .value { display: block; font-size: 22px; font-weight: 650; font-variant-numeric: tabular-nums; }
            #warnings, #notes.attention { background: #fffbeb; border-color: #fcd34d; }
            #warnings ul, #notes ul { margin: 0; padding-left: 20px; }
            #warnings li + li, #notes li + li { margin-top: 4px; }
            table { width: 100%; border-collapse: collapse; font-size: 14px; font-variant-numeric: tabular-nums; }
            th, td { padding: 6px 8px; border-bottom: 1px solid var(--line); text-align: right; vertical-align: top; }
            tbody td, tbody th { white-space: nowrap; }
            tbody td.meaning { white-space: normal; }
            th:first-child, td:first-child { text-align: left; }
            thead th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); font-weight: 600; }
            tbody th { font-weight: 600; }
            tr.group th { padding-top: 14px; font-size: 13px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
            td.meaning, table.explained thead th:last-child { text-align: left; }
            td.meaning { color: var(--muted); font-size: 13px; width: 55%; }
            tr.total th, tr.total td { font-weight: 650; border-top: 2px solid var(--line); }
            .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 8px; }
            .na { color: var(--muted); }
            .na small { font-size: 12px; }
            svg.chart { display: block; width: 100%; height: auto; }
            svg.chart text { font-family: inherit; font-size: 12px; fill: var(--ink); }
            svg.chart .axis text, svg.chart text.muted { fill: var(--muted); }
            svg.chart .grid line { stroke: var(--line); }
            .caption { margin: 8px 0 0; color: var(--muted); font-size: 13px; }
            footer { margin: 8px 4px 0; color: var(--muted); font-size: 13px; }
            footer dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0 0 10px; }
            footer dt { font-weight: 600; }
            footer dd { margin: 0; }
            footer p { margin: 6px 0 0; }
            @media screen and (max-width: 720px) { .pair { grid-template-columns: 1fr; } .figures { grid-auto-flow: row; grid-template-columns: repeat(2, 1fr); } }
            @media print { body { background: #fff; font-size: 13px; } main { padding: 0; max-width: none; }
              section { border-color: #d1d5db; } table { font-size: 12px; } tbody td, tbody th { white-space: normal; }
              .headline { font-size: 20px; } .figure .value { font-size: 18px; } }
            @page { margin: 14mm; }
            """;

    private final String title;
    private final StringBuilder body = new StringBuilder();

    HtmlPage(String title) {
        this.title = title;
    }

    /** {@code &}, {@code <}, {@code >}, {@code "} and {@code '} as entities; null as the empty string. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Name and value pairs as escaped attributes with a leading space each; a null value leaves its pair out. */
    static String attributes(String... namesAndValues) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                out.append(' ')
                        .append(namesAndValues[i])
                        .append("=\"")
                        .append(escape(namesAndValues[i + 1]))
                        .append('"');
            }
        }
        return out.toString();
    }

    /** An element with escaped text content. */
    static String element(String tag, String text, String... attributes) {
        return "<" + tag + attributes(attributes) + ">" + escape(text) + "</" + tag + ">";
    }

    /** The page's heading: a small line above, the title, a line below. */
    HtmlPage header(String kicker, String heading, String subtitle) {
        body.append("<header class=\"page\">")
                .append(element("p", kicker, "class", "kicker"))
                .append(element("h1", heading))
                .append(element("p", subtitle, "class", "sub"))
                .append("</header>\n");
        return this;
    }

    /** Opens a section with its id, class (or null) and heading (or null). */
    HtmlPage section(String id, String cssClass, String heading) {
        body.append("<section").append(attributes("id", id, "class", cssClass)).append('>');
        if (heading != null) {
            body.append(element("h2", heading));
        }
        return this;
    }

    HtmlPage endSection() {
        body.append("</section>\n");
        return this;
    }

    /** Markup built by this package. */
    HtmlPage raw(String markup) {
        body.append(markup);
        return this;
    }

    /** Text from data, escaped, inside {@code tag} with {@code attributes}. */
    HtmlPage text(String tag, String text, String... attributes) {
        body.append(element(tag, text, attributes));
        return this;
    }

    /** A list of sentences. */
    HtmlPage list(List<String> items) {
        body.append("<ul>");
        items.forEach(i -> body.append(element("li", i)));
        body.append("</ul>");
        return this;
    }

    /** Labelled key figures in a row of tiles. */
    HtmlPage figures(List<String[]> labelsAndValues) {
        body.append("<div class=\"figures\">");
        for (String[] f : labelsAndValues) {
            body.append("<div class=\"figure\">")
                    .append(element("span", f[0], "class", "label"))
                    .append(element("span", f[1], "class", "value"))
                    .append("</div>");
        }
        body.append("</div>");
        return this;
    }

    /** The footer: terms and their values, then paragraphs on how to read the page. */
    HtmlPage footer(List<String[]> termsAndValues, List<String> paragraphs) {
        body.append("<footer><dl>");
        for (String[] t : termsAndValues) {
            body.append(element("dt", t[0])).append(element("dd", t[1]));
        }
        body.append("</dl>");
        paragraphs.forEach(p -> body.append(element("p", p)));
        body.append("</footer>\n");
        return this;
    }

    String render() {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + element("title", title) + "\n<style>\n" + STYLE + "</style>\n</head>\n<body>\n<main>\n"
                + body + "</main>\n</body>\n</html>\n";
    }

    /** A table: a header row, then rows of cells; a cell's text is escaped, its class and attributes optional. */
    static final class Table {

        /** One cell; {@code note} follows the text in small print; {@code header} renders a {@code th}. */
        record Cell(String text, String note, String swatch, String cssClass, boolean header) {

            static Cell of(String text) {
                return new Cell(text, null, null, Figures.UNDEFINED.equals(text) ? "na" : null, false);
            }

            static Cell heading(String text) {
                return new Cell(text, null, null, null, true);
            }

            /** A row heading after a square of {@code color}, as in the charts' legends. */
            static Cell swatch(String text, String color) {
                return new Cell(text, null, color, null, true);
            }

            /** {@code —} with a short reason why the value is undefined (or null: none). */
            static Cell undefined(String reason) {
                return new Cell(Figures.UNDEFINED, reason == null ? null : "(" + reason + ")", null, "na", false);
            }
        }

        private final List<String> headings;
        private final StringBuilder rows = new StringBuilder();
        private String cssClass;

        Table(String... headings) {
            this.headings = List.of(headings);
        }

        /** Marks the table's last column as text saying what each row means. */
        Table explained() {
            cssClass = "explained";
            return this;
        }

        /** A row with the row's attributes (name, value pairs) and its cells. */
        Table row(String[] rowAttributes, Cell... cells) {
            rows.append("<tr").append(attributes(rowAttributes)).append('>');
            for (Cell c : cells) {
                String tag = c.header() ? "th" : "td";
                rows.append('<')
                        .append(tag)
                        .append(attributes("class", c.cssClass()))
                        .append('>');
                if (c.swatch() != null) {
                    rows.append("<span")
                            .append(attributes("class", "swatch", "style", "background:" + c.swatch()))
                            .append("></span>");
                }
                rows.append(escape(c.text()));
                if (c.note() != null) {
                    rows.append(" <small>").append(escape(c.note())).append("</small>");
                }
                rows.append("</").append(tag).append('>');
            }
            rows.append("</tr>");
            return this;
        }

        /** A row of plain cells, the first a row heading. */
        Table row(String heading, String... values) {
            List<Cell> cells = new ArrayList<>();
            cells.add(Cell.heading(heading));
            for (String v : values) {
                cells.add(Cell.of(v));
            }
            return row(new String[0], cells.toArray(Cell[]::new));
        }

        /** A heading across the whole table, grouping the rows below it. */
        Table group(String heading, int columns) {
            rows.append("<tr class=\"group\"><th colspan=\"")
                    .append(columns)
                    .append("\">")
                    .append(escape(heading))
                    .append("</th></tr>");
            return this;
        }

        String render() {
            StringBuilder out = new StringBuilder("<table")
                    .append(attributes("class", cssClass))
                    .append("><thead><tr>");
            headings.forEach(h -> out.append(element("th", h, "scope", "col")));
            return out.append("</tr></thead><tbody>")
                    .append(rows)
                    .append("</tbody></table>")
                    .toString();
        }
    }
}
