package io.paperrun.batch;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * A running step's progress as its operator reads it: the items committed, the rate since the step started and,
 * when its total is known, the time left ({@link #line}); and when to say so ({@link Pace}). The partitions of a
 * step add to one.
 */
public final class StepProgress {

    /** When to print: not before the step has run {@code quietFor}, then at a commit {@code every} after the last. */
    public record Pace(Duration quietFor, Duration every) {

        /** On a terminal: every 5 seconds of a step that has run 5 seconds. */
        public static final Pace TERMINAL = new Pace(Duration.ofSeconds(5), Duration.ofSeconds(5));

        /** At every commit of a step that has run 5 seconds: a log's, by default (a short step says nothing). */
        public static final Pace LONG_STEPS = new Pace(Duration.ofSeconds(5), Duration.ZERO);

        /** At every commit. */
        public static final Pace EVERY_CHUNK = new Pace(Duration.ZERO, Duration.ZERO);
    }

    private final String step;
    private final Long total;
    private final Instant started;
    private final Pace pace;
    private long done;
    private Instant lastLine;

    /**
     * @param total the items the step has to do, or null when that is not known
     */
    public StepProgress(String step, Long total, Instant started, Pace pace) {
        this.step = step;
        this.total = total;
        this.started = started;
        this.pace = pace;
    }

    /** Adds {@code items} committed at {@code now}; returns the line to print if it is time for one. */
    public synchronized Optional<String> committed(long items, Instant now) {
        done += items;
        Duration running = Duration.between(started, now);
        if (running.compareTo(pace.quietFor()) < 0
                || (lastLine != null && Duration.between(lastLine, now).compareTo(pace.every()) < 0)) {
            return Optional.empty();
        }
        lastLine = now;
        return Optional.of(line(step, done, total, running));
    }

    /**
     * {@code order-sync-orders: 120,000 of 480,000 done, 8,400/s, ETA 00:00:43}: without "of" and ETA when the
     * total is not known, without a rate before any time has passed.
     */
    public static String line(String step, long done, Long total, Duration running) {
        StringBuilder line = new StringBuilder(step).append(": ").append(count(done));
        if (total != null) {
            line.append(" of ").append(count(total));
        }
        line.append(" done");
        if (running.isZero() || running.isNegative()) {
            return line.toString();
        }
        double perSecond = done * 1e9 / running.toNanos();
        line.append(", ")
                .append(perSecond < 10 ? String.format(Locale.ROOT, "%.1f", perSecond) : count(Math.round(perSecond)))
                .append("/s");
        if (total != null && perSecond > 0) {
            long left = (long) Math.ceil(Math.max(0, total - done) / perSecond);
            line.append(String.format(Locale.ROOT, ", ETA %02d:%02d:%02d", left / 3600, left / 60 % 60, left % 60));
        }
        return line.toString();
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
