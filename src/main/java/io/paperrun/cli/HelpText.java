package io.paperrun.cli;

import io.paperrun.batch.JobCatalog;
import io.paperrun.batch.RunGroup;
import java.util.ArrayList;
import java.util.List;

/** Help text made from the job catalog: the exit codes' footer, and text wrapped to a width. */
public final class HelpText {

    /** The widest line this class makes. */
    static final int WIDTH = 72;

    private HelpText() {}

    /** The exit codes of the interface spec; code 3 names the groups of jobs that run one at a time. */
    public static String[] exitCodes(JobCatalog catalog) {
        StringBuilder three = new StringBuilder("another execution of the same job is running, ");
        for (RunGroup group : catalog.groups()) {
            three.append("or another ")
                    .append(group.member())
                    .append(" (")
                    .append(String.join(", ", catalog.members(group)))
                    .append("), ");
        }
        three.append("or the data directory is in use");
        List<String> lines = new ArrayList<>(List.of(
                "  0  completed",
                "  1  failed or stopped (the execution can be restarted)",
                "  2  bad usage or bad input (including any rejected row)"));
        lines.addAll(wrapped("  3  ", "     ", three.toString()));
        return lines.toArray(String[]::new);
    }

    /** {@code text} in lines of at most {@link #WIDTH}, broken between words; the first starts with {@code first}. */
    static List<String> wrapped(String first, String next, String text) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder(first);
        boolean empty = true;
        for (String word : text.split(" ")) {
            if (!empty && line.length() + 1 + word.length() > WIDTH) {
                lines.add(line.toString());
                line = new StringBuilder(next);
                empty = true;
            }
            line.append(empty ? "" : " ").append(word);
            empty = false;
        }
        lines.add(line.toString());
        return lines;
    }
}
