package io.paperrun.experiment;

import static io.paperrun.experiment.HtmlPage.attributes;
import static io.paperrun.experiment.HtmlPage.element;
import static io.paperrun.experiment.HtmlPage.escape;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The reports' inline SVG charts. Each is an {@code svg.chart} with a {@code title}; each data mark carries its
 * value in {@code data-*} attributes (data space, not drawing coordinates) so the page can be read by a program too.
 */
final class Charts {

    private static final String INK = "#1f2937";
    private static final String AXIS = "#9ca3af";

    private Charts() {}

    /** A bar with its interval (either end null: none); a null value draws no bar but says {@code missing}. */
    record Bar(
            String group,
            String label,
            String sublabel,
            String color,
            Double value,
            Double low,
            Double high,
            String missing) {}

    /** A point in data space. */
    record Point(double x, double y) {}

    /** A line; with no points it draws nothing, and its legend says why when {@code missing} is not null. */
    record Series(String group, String label, String color, List<Point> points, String missing) {}

    /** A vertical bar of a column chart; {@code key} goes in the chart's {@code data-*} key attribute. */
    record Column(String key, String label, double value, String color) {}

    /** What a chart's values are, for its axis and labels. */
    enum Unit {
        SHARE,
        MONEY;

        /** A value as a label. */
        String label(double v) {
            return this == SHARE ? Figures.percent(v) : Figures.moneyPrecise(v);
        }

        /** An axis' tick, with as many decimals as the axis' step needs (money: none or at least two). */
        String tick(double v, double step) {
            if (this == SHARE) {
                return Figures.amount(v * 100, decimals(step * 100)) + "%";
            }
            int d = decimals(step);
            return Figures.amount(v, d == 0 ? 0 : Math.max(2, d));
        }

        private static int decimals(double step) {
            int d = 0;
            while (d < 8 && Math.abs(step * Math.pow(10, d) - Math.rint(step * Math.pow(10, d))) > 1e-6) {
                d++;
            }
            return d;
        }
    }

    /** Vertical bars of rates (shares) with their intervals as error bars. */
    static String rateBars(String title, List<Bar> bars) {
        int width = 320;
        int height = 290;
        double left = 50;
        double right = width - 8;
        double top = 28;
        double bottom = height - 46;
        double highest = 0;
        for (Bar b : bars) {
            highest = Math.max(highest, b.value() == null ? 0 : b.value());
            highest = Math.max(highest, b.high() == null ? 0 : b.high());
        }
        Scale y = Scale.of(0, highest <= 0 ? 0.01 : highest, 5);
        StringBuilder svg = open(title, width, height);
        yAxis(svg, y, left, right, top, bottom, Unit.SHARE);
        double slot = (right - left) / bars.size();
        double barWidth = Math.min(80, slot * 0.5);
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            double center = left + slot * (i + 0.5);
            svg.append("<text")
                    .append(attributes(
                            "x", n(center), "y", n(bottom + 20), "text-anchor", "middle", "font-weight", "600"))
                    .append('>')
                    .append(escape(b.label()))
                    .append("</text>");
            svg.append("<text")
                    .append(attributes("x", n(center), "y", n(bottom + 35), "text-anchor", "middle", "class", "muted"))
                    .append('>')
                    .append(escape(b.sublabel()))
                    .append("</text>");
            if (b.value() == null) {
                svg.append("<text")
                        .append(attributes(
                                "x", n(center), "y", n(bottom - 12), "text-anchor", "middle", "class", "muted"))
                        .append('>')
                        .append(escape(b.missing()))
                        .append("</text>");
                continue;
            }
            double barTop = y.at(b.value(), bottom, top);
            boolean interval = b.low() != null && b.high() != null;
            String tip = b.label() + ": " + Figures.percent(b.value())
                    + (interval
                            ? " (95% interval " + Figures.percent(b.low()) + " to " + Figures.percent(b.high()) + ")"
                            : "");
            svg.append("<rect")
                    .append(attributes(
                            "class", "bar",
                            "data-group", b.group(),
                            "data-value", Double.toString(b.value()),
                            "data-low", b.low() == null ? null : Double.toString(b.low()),
                            "data-high", b.high() == null ? null : Double.toString(b.high()),
                            "x", n(center - barWidth / 2),
                            "y", n(barTop),
                            "width", n(barWidth),
                            "height", n(Math.max(0, bottom - barTop)),
                            "rx", "3",
                            "fill", b.color()))
                    .append('>')
                    .append(element("title", tip))
                    .append("</rect>");
            double labelAbove = barTop;
            if (interval) {
                double low = y.at(Math.max(y.low, b.low()), bottom, top);
                double high = y.at(Math.min(y.high, b.high()), bottom, top);
                labelAbove = Math.min(barTop, high);
                svg.append("<g")
                        .append(attributes(
                                "class", "interval", "data-group", b.group(), "stroke", INK, "stroke-width", "1.5"))
                        .append('>')
                        .append(line(center, low, center, high))
                        .append(line(center - 9, low, center + 9, low))
                        .append(line(center - 9, high, center + 9, high))
                        .append("</g>");
            }
            svg.append("<text")
                    .append(attributes(
                            "x",
                            n(center),
                            "y",
                            n(labelAbove - 8),
                            "text-anchor",
                            "middle",
                            "font-weight",
                            "650",
                            "font-size",
                            "14"))
                    .append('>')
                    .append(escape(Figures.percent(b.value())))
                    .append("</text>");
        }
        return svg.append("</svg>").toString();
    }

    /** Lines over days since the first send, with axes, a marker at day 0 and a legend; {@code empty} when none. */
    static String lines(String title, List<Series> series, String xLabel, Unit unit, String empty) {
        int width = 480;
        int height = 290;
        double left = 50;
        double right = width - 48;
        double top = 40;
        double bottom = height - 46;
        List<Series> drawn = series.stream().filter(s -> !s.points().isEmpty()).toList();
        StringBuilder svg = open(title, width, height);
        legend(svg, series, left, 16);
        if (drawn.isEmpty()) {
            svg.append("<rect")
                    .append(attributes(
                            "x",
                            n(left),
                            "y",
                            n(top),
                            "width",
                            n(right - left),
                            "height",
                            n(bottom - top),
                            "fill",
                            "#f9fafb",
                            "stroke",
                            "#e5e7eb"))
                    .append("/>");
            svg.append("<text")
                    .append(attributes(
                            "x",
                            n((left + right) / 2),
                            "y",
                            n((top + bottom) / 2),
                            "text-anchor",
                            "middle",
                            "class",
                            "muted",
                            "font-size",
                            "14"))
                    .append('>')
                    .append(escape(empty))
                    .append("</text>");
            return svg.append("</svg>").toString();
        }
        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double minY = 0;
        double maxY = 0;
        for (Series s : drawn) {
            for (Point p : s.points()) {
                minX = Math.min(minX, p.x());
                maxX = Math.max(maxX, p.x());
                minY = Math.min(minY, p.y());
                maxY = Math.max(maxY, p.y());
            }
        }
        if (maxX <= minX) {
            maxX = minX + 1;
        }
        Scale y = Scale.of(minY, maxY <= minY ? minY + 1 : maxY, 5);
        Scale x = Scale.integers(minX, maxX, 7);
        yAxis(svg, y, left, right, top, bottom, unit);
        svg.append("<g class=\"axis\">");
        for (double t = x.low; t <= x.high + x.step / 2; t += x.step) {
            double px = x.at(t, left, right);
            svg.append(line(px, bottom, px, bottom + 5, AXIS));
            svg.append("<text")
                    .append(attributes("x", n(px), "y", n(bottom + 18), "text-anchor", "middle"))
                    .append('>')
                    .append(escape(Figures.count((long) Math.rint(t))))
                    .append("</text>");
        }
        svg.append("<text")
                .append(attributes("x", n((left + right) / 2), "y", n(bottom + 38), "text-anchor", "middle"))
                .append('>')
                .append(escape(xLabel))
                .append("</text></g>");
        if (x.low < 0 && x.high > 0) {
            double px = x.at(0, left, right);
            svg.append("<line")
                    .append(attributes(
                            "x1",
                            n(px),
                            "y1",
                            n(top),
                            "x2",
                            n(px),
                            "y2",
                            n(bottom),
                            "stroke",
                            AXIS,
                            "stroke-dasharray",
                            "4 3"))
                    .append("/>");
            svg.append("<text")
                    .append(attributes("x", n(px + 4), "y", n(top + 12), "class", "muted"))
                    .append(">first send</text>");
        }
        List<double[]> ends = new ArrayList<>();
        for (Series s : drawn) {
            StringBuilder points = new StringBuilder();
            StringBuilder data = new StringBuilder();
            for (Point p : s.points()) {
                points.append(n(x.at(p.x(), left, right)))
                        .append(',')
                        .append(n(y.at(p.y(), bottom, top)))
                        .append(' ');
                data.append((long) p.x())
                        .append(':')
                        .append(String.format(Locale.US, "%.6f", p.y()))
                        .append(' ');
            }
            Point last = s.points().get(s.points().size() - 1);
            svg.append("<polyline")
                    .append(attributes(
                            "class",
                            "line",
                            "data-group",
                            s.group(),
                            "data-value",
                            Double.toString(last.y()),
                            "data-points",
                            data.toString().trim(),
                            "points",
                            points.toString().trim(),
                            "fill",
                            "none",
                            "stroke",
                            s.color(),
                            "stroke-width",
                            "2.5",
                            "stroke-linejoin",
                            "round",
                            "stroke-linecap",
                            "round"))
                    .append('>')
                    .append(element("title", s.label() + ": " + unit.label(last.y())))
                    .append("</polyline>");
            ends.add(new double[] {x.at(last.x(), left, right), y.at(last.y(), bottom, top), last.y()});
        }
        separate(ends, 15);
        for (int i = 0; i < drawn.size(); i++) {
            double[] end = ends.get(i);
            svg.append("<circle")
                    .append(attributes(
                            "cx",
                            n(end[0]),
                            "cy",
                            n(y.at(end[2], bottom, top)),
                            "r",
                            "3.5",
                            "fill",
                            drawn.get(i).color()))
                    .append("/>");
            svg.append("<text")
                    .append(attributes(
                            "x",
                            n(end[0] + 8),
                            "y",
                            n(end[1] + 4),
                            "fill",
                            drawn.get(i).color(),
                            "font-weight",
                            "650"))
                    .append('>')
                    .append(escape(unit.label(end[2])))
                    .append("</text>");
        }
        return svg.append("</svg>").toString();
    }

    /** Horizontal bars, one per funnel stage, with their counts and share of the audience. */
    static String funnel(String title, Funnel funnel) {
        List<Funnel.Stage> stages = funnel == null || funnel.stages() == null ? List.of() : funnel.stages();
        int width = 880;
        int row = 30;
        double labelRight = 210;
        double barLeft = 220;
        double barRight = width - 150;
        int height = Math.max(60, stages.size() * row + 16);
        StringBuilder svg = open(title, width, height);
        if (stages.isEmpty()) {
            svg.append("<text")
                    .append(attributes("x", n(width / 2.0), "y", "34", "text-anchor", "middle", "class", "muted"))
                    .append(">No recipients yet.</text>");
            return svg.append("</svg>").toString();
        }
        long audience = funnel.count("audience");
        long most = stages.stream().mapToLong(Funnel.Stage::recipients).max().orElse(0);
        double scale = most <= 0 ? 0 : (barRight - barLeft) / most;
        for (int i = 0; i < stages.size(); i++) {
            Funnel.Stage s = stages.get(i);
            double yTop = 8 + i * row;
            double w = Math.max(s.recipients() > 0 ? 2 : 0, s.recipients() * scale);
            boolean nested = s.stage().equals("delivered") || s.stage().equals("returned");
            String label = stageLabel(s);
            String share = audience > 0 && !s.stage().equals("audience")
                    ? " · " + Figures.percent((double) s.recipients() / audience)
                    : "";
            svg.append("<text")
                    .append(attributes(
                            "x",
                            n(labelRight),
                            "y",
                            n(yTop + 16),
                            "text-anchor",
                            "end",
                            "class",
                            nested ? "muted" : null))
                    .append('>')
                    .append(escape((nested ? "↳ " : "") + label))
                    .append("</text>");
            svg.append("<rect")
                    .append(attributes(
                            "class", "bar",
                            "data-stage", s.stage(),
                            "data-reason", s.reason(),
                            "data-value", Long.toString(s.recipients()),
                            "x", n(barLeft),
                            "y", n(yTop + 3),
                            "width", n(w),
                            "height", n(row - 8),
                            "rx", "3",
                            "fill", stageColor(s.stage())))
                    .append('>')
                    .append(element("title", label + ": " + Figures.count(s.recipients())))
                    .append("</rect>");
            svg.append("<text")
                    .append(attributes("x", n(barLeft + w + 8), "y", n(yTop + 16)))
                    .append("><tspan font-weight=\"650\">")
                    .append(escape(Figures.count(s.recipients())))
                    .append("</tspan><tspan class=\"muted\" fill=\"#6b7280\">")
                    .append(escape(share))
                    .append("</tspan></text>");
        }
        return svg.append("</svg>").toString();
    }

    /** Vertical bars of amounts, each keyed by {@code data-KEYNAME}; {@code empty} when there is none. */
    static String columns(String id, String title, String keyName, List<Column> columns, String xLabel, String empty) {
        int width = 880;
        int height = 260;
        double left = 70;
        double right = width - 16;
        double top = 24;
        double bottom = height - 48;
        StringBuilder svg = open(id, title, width, height);
        if (columns.isEmpty()) {
            svg.append("<text")
                    .append(attributes(
                            "x",
                            n(width / 2.0),
                            "y",
                            n((top + bottom) / 2),
                            "text-anchor",
                            "middle",
                            "class",
                            "muted",
                            "font-size",
                            "14"))
                    .append('>')
                    .append(escape(empty))
                    .append("</text>");
            return svg.append("</svg>").toString();
        }
        double lowest = 0;
        double highest = 0;
        for (Column c : columns) {
            lowest = Math.min(lowest, c.value());
            highest = Math.max(highest, c.value());
        }
        Scale y = Scale.of(lowest, highest <= lowest ? lowest + 1 : highest, 5);
        yAxis(svg, y, left, right, top, bottom, Unit.MONEY);
        double slot = (right - left) / columns.size();
        double barWidth = Math.max(1, Math.min(56, slot * 0.7));
        int labelEvery = (int) Math.ceil(columns.size() / 16.0);
        double zero = y.at(0, bottom, top);
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            double center = left + slot * (i + 0.5);
            double v = y.at(c.value(), bottom, top);
            svg.append("<rect")
                    .append(attributes(
                            "class",
                            "bar",
                            "data-" + keyName,
                            c.key(),
                            "data-value",
                            Double.toString(c.value()),
                            "x",
                            n(center - barWidth / 2),
                            "y",
                            n(Math.min(v, zero)),
                            "width",
                            n(barWidth),
                            "height",
                            n(Math.abs(zero - v)),
                            "rx",
                            "2",
                            "fill",
                            c.color()))
                    .append('>')
                    .append(element("title", c.label() + ": " + Figures.money(c.value())))
                    .append("</rect>");
            if (i % labelEvery == 0) {
                svg.append("<text")
                        .append(attributes(
                                "x", n(center), "y", n(bottom + 18), "text-anchor", "middle", "class", "muted"))
                        .append('>')
                        .append(escape(c.key()))
                        .append("</text>");
            }
            if (columns.size() <= 12 && c.value() != 0) {
                svg.append("<text")
                        .append(attributes(
                                "x",
                                n(center),
                                "y",
                                n(Math.min(v, zero) - 6),
                                "text-anchor",
                                "middle",
                                "font-weight",
                                "600"))
                        .append('>')
                        .append(escape(Figures.money(c.value())))
                        .append("</text>");
            }
        }
        svg.append("<text")
                .append(attributes("x", n((left + right) / 2), "y", n(bottom + 38), "text-anchor", "middle"))
                .append('>')
                .append(escape(xLabel))
                .append("</text>");
        return svg.append("</svg>").toString();
    }

    /** The stage's name for people, with its reason: {@code Suppressed: do not mail}. */
    static String stageLabel(Funnel.Stage s) {
        String name = Character.toUpperCase(s.stage().charAt(0))
                + s.stage().substring(1).replace('_', ' ');
        return s.reason() == null || s.reason().isBlank()
                ? name
                : name + ": " + s.reason().replace('_', ' ');
    }

    private static String stageColor(String stage) {
        return switch (stage) {
            case "audience" -> "#334155";
            case "holdout" -> HtmlPage.CONTROL_COLOR;
            case "sent", "delivered" -> HtmlPage.MAILED_COLOR;
            case "pending", "proofed", "sending" -> "#93c5fd";
            case "failed", "returned" -> "#f87171";
            default -> "#cbd5e1";
        };
    }

    private static StringBuilder open(String title, int width, int height) {
        return open(null, title, width, height);
    }

    private static StringBuilder open(String id, String title, int width, int height) {
        return new StringBuilder("<svg")
                .append(attributes(
                        "id", id,
                        "class", "chart",
                        "viewBox", "0 0 " + width + " " + height,
                        "role", "img",
                        "preserveAspectRatio", "xMidYMid meet"))
                .append('>')
                .append(element("title", title));
    }

    private static void yAxis(
            StringBuilder svg, Scale y, double left, double right, double top, double bottom, Unit unit) {
        svg.append("<g class=\"grid\">");
        for (double t = y.low; t <= y.high + y.step / 2; t += y.step) {
            double py = y.at(t, bottom, top);
            svg.append(line(left, py, right, py, "#e5e7eb"));
        }
        svg.append("</g><g class=\"axis\">");
        for (double t = y.low; t <= y.high + y.step / 2; t += y.step) {
            double py = y.at(t, bottom, top);
            svg.append("<text")
                    .append(attributes("x", n(left - 8), "y", n(py + 4), "text-anchor", "end"))
                    .append('>')
                    .append(escape(unit.tick(Math.abs(t) < y.step / 1e6 ? 0 : t, y.step)))
                    .append("</text>");
        }
        svg.append(
                line(left, y.at(Math.max(0, y.low), bottom, top), right, y.at(Math.max(0, y.low), bottom, top), AXIS));
        svg.append("</g>");
    }

    private static void legend(StringBuilder svg, List<Series> series, double left, double y) {
        double x = left;
        for (Series s : series) {
            String text =
                    s.points().isEmpty() && s.missing() != null ? s.label() + " (" + s.missing() + ")" : s.label();
            svg.append("<rect")
                    .append(attributes(
                            "class",
                            "legend",
                            "data-group",
                            s.group(),
                            "x",
                            n(x),
                            "y",
                            n(y - 9),
                            "width",
                            "12",
                            "height",
                            "12",
                            "rx",
                            "2",
                            "fill",
                            s.color()))
                    .append("/>");
            svg.append("<text")
                    .append(attributes("x", n(x + 18), "y", n(y + 1)))
                    .append('>')
                    .append(escape(text))
                    .append("</text>");
            x += 18 + 7.2 * text.length() + 24;
        }
    }

    /** Moves labels' vertical positions ({@code [1]}) apart by at least {@code gap}. */
    private static void separate(List<double[]> ends, double gap) {
        if (ends.size() == 2 && Math.abs(ends.get(0)[1] - ends.get(1)[1]) < gap) {
            double middle = (ends.get(0)[1] + ends.get(1)[1]) / 2;
            boolean firstAbove = ends.get(0)[2] >= ends.get(1)[2];
            ends.get(0)[1] = middle + (firstAbove ? -gap / 2 : gap / 2);
            ends.get(1)[1] = middle + (firstAbove ? gap / 2 : -gap / 2);
        }
    }

    private static String line(double x1, double y1, double x2, double y2) {
        return "<line" + attributes("x1", n(x1), "y1", n(y1), "x2", n(x2), "y2", n(y2)) + "/>";
    }

    private static String line(double x1, double y1, double x2, double y2, String stroke) {
        return "<line" + attributes("x1", n(x1), "y1", n(y1), "x2", n(x2), "y2", n(y2), "stroke", stroke) + "/>";
    }

    /** A drawing coordinate with one decimal. */
    private static String n(double v) {
        return String.format(Locale.US, "%.1f", v);
    }

    /** A linear axis from {@code low} to {@code high} in steps of {@code step}, each a round number. */
    private record Scale(double low, double high, double step) {

        static Scale of(double min, double max, int ticks) {
            double step = roundStep((max - min) / (ticks - 1));
            return new Scale(Math.floor(min / step) * step, Math.ceil(max / step - 1e-9) * step, step);
        }

        static Scale integers(double min, double max, int ticks) {
            double step = Math.max(1, Math.round(roundStep((max - min) / (ticks - 1))));
            return new Scale(Math.floor(min / step) * step, Math.ceil(max / step - 1e-9) * step, step);
        }

        /** 1, 2, 2.5 or 5 times a power of ten, at least {@code raw}. */
        private static double roundStep(double raw) {
            if (raw <= 0 || Double.isNaN(raw)) {
                return 1;
            }
            double power = Math.pow(10, Math.floor(Math.log10(raw)));
            double f = raw / power;
            double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
            return nice * power;
        }

        /** The drawing coordinate of {@code v} between {@code from} (at low) and {@code to} (at high). */
        double at(double v, double from, double to) {
            return from + (v - low) / (high - low) * (to - from);
        }
    }
}
