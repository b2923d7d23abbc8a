package io.paperrun.cli;

import io.paperrun.batch.ExecutionHistory.Execution;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The executions as {@code paperrun executions} prints them: aligned columns that fit {@link #WIDTH} characters,
 * the job's name and the exit message cut short with "…" where they must; or, wide, every column in full with
 * the parameters.
 */
final class ExecutionTable {

    static final int WIDTH = 100;

    /**
     * The widest a job's name is shown (the catalog's longest, which is never cut), and the least it is cut to
     * when very long ids and counts would leave the exit message less than {@link #MESSAGE_MIN}.
     */
    private static final int JOB_WIDTH = 22, JOB_MIN = 10;

    private static final int MESSAGE_MIN = 8;

    private static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private record Column(String header, boolean right, Function<Execution, String> value) {}

    private ExecutionTable() {}

    /**
     * The header line, then one line per execution.
     *
     * @param now when a running execution's duration ends, in the job repository's time (UTC)
     */
    static List<String> lines(List<Execution> executions, LocalDateTime now, boolean wide) {
        List<Column> columns = new ArrayList<>(List.of(
                new Column("ID", false, e -> String.valueOf(e.id())),
                new Column("JOB", false, Execution::job),
                new Column("STATUS", false, Execution::status),
                new Column("STARTED", false, e -> e.started() == null ? "-" : started(e.started())),
                new Column("DURATION", true, e -> duration(e, now)),
                new Column("READ", true, e -> String.valueOf(e.read())),
                new Column("WRITTEN", true, e -> String.valueOf(e.written())),
                new Column("REJECTED", true, e -> String.valueOf(e.rejected()))));
        if (wide) {
            columns.add(new Column("PARAMETERS", false, ExecutionTable::parameters));
        }
        int[] widths = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            widths[c] = columns.get(c).header().length();
            for (Execution e : executions) {
                widths[c] = Math.max(widths[c], columns.get(c).value().apply(e).length());
            }
        }
        int job = 1;
        int room = Integer.MAX_VALUE;
        if (!wide) {
            widths[job] = Math.min(widths[job], JOB_WIDTH);
            room = WIDTH - fixedWidth(widths);
            if (room < MESSAGE_MIN) {
                widths[job] = Math.max(
                        Math.max(JOB_MIN, columns.get(job).header().length()), widths[job] - (MESSAGE_MIN - room));
                room = WIDTH - fixedWidth(widths);
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add(line(columns.stream().map(Column::header).toList(), columns, widths, "EXIT MESSAGE", room));
        for (Execution e : executions) {
            List<String> cells = columns.stream().map(c -> c.value().apply(e)).toList();
            lines.add(line(cells, columns, widths, e.exitMessage(), room));
        }
        return lines;
    }

    /** The width of the columns before the exit message, each with the space after it. */
    private static int fixedWidth(int[] widths) {
        int sum = 0;
        for (int w : widths) {
            sum += w + 1;
        }
        return sum;
    }

    private static String line(List<String> cells, List<Column> columns, int[] widths, String message, int room) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            String cell = cut(cells.get(c), widths[c]);
            String padding = " ".repeat(widths[c] - cell.length());
            line.append(columns.get(c).right() ? padding + cell : cell + padding)
                    .append(' ');
        }
        line.append(cut(message == null ? "" : message, Math.max(0, room)));
        String text = line.toString().stripTrailing();
        return room == Integer.MAX_VALUE ? text : cut(text, WIDTH);
    }

    /** {@code text} in at most {@code width} characters, its end replaced by "…" when it is cut. */
    static String cut(String text, int width) {
        if (text.length() <= width) {
            return text;
        }
        return width <= 0 ? "" : text.substring(0, width - 1) + "…";
    }

    /** {@code 2026-12-04 16:09:08}. */
    static String started(LocalDateTime time) {
        return time.truncatedTo(ChronoUnit.SECONDS).format(STARTED);
    }

    private static String duration(Execution e, LocalDateTime now) {
        if (e.started() == null) {
            return "-";
        }
        return duration(Duration.between(e.started(), e.ended() == null ? now : e.ended()));
    }

    /** {@code 0.4s}, {@code 12s}, {@code 3m05s}, {@code 1h02m}: cut down, never rounded up. */
    static String duration(Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        long seconds = millis / 1000;
        if (seconds < 10) {
            return seconds + "." + millis % 1000 / 100 + "s";
        }
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds / 60 % 60);
    }

    /** {@code file=/data/orders.csv org=acme}: the parameters given, not the checksum a file import adds. */
    private static String parameters(Execution e) {
        return e.parameters().entrySet().stream()
                .filter(p -> !p.getKey().equals("sha256"))
                .map(p -> p.getKey() + "=" + p.getValue())
                .collect(Collectors.joining(" "));
    }
}
