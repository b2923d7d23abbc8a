package io.paperrun.batch;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.springframework.scheduling.support.CronExpression;

/**
 * When the scheduler launches a job: every interval, every interval drawn between two bounds, at the times of a
 * cron expression (UTC), after each run of another job, or never. Set as interface.md says: a cron expression, an
 * ISO-8601 duration ({@code PT5M}) or {@code off}.
 */
public sealed interface Cadence {

    /** The next launch due after {@code now}; empty when the cadence sets none (off, after another job). */
    Optional<Instant> next(Instant now, RandomGenerator random);

    /** As a person reads it, e.g. "every PT5M", "at 0 0 6 * * * (UTC)". */
    String describe();

    /** A fixed interval from each launch's due time. */
    record Every(Duration interval) implements Cadence {
        public Every {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("an interval must be longer than zero, not " + interval);
            }
        }

        @Override
        public Optional<Instant> next(Instant now, RandomGenerator random) {
            return Optional.of(now.plus(interval));
        }

        @Override
        public String describe() {
            return "every " + interval;
        }
    }

    /** An interval drawn anew, uniformly between {@code least} and {@code most}, before each launch. */
    record Jittered(Duration least, Duration most) implements Cadence {
        public Jittered {
            if (least.isNegative() || least.isZero() || most.compareTo(least) < 0) {
                throw new IllegalArgumentException("a jittered interval needs 0 < least <= most");
            }
        }

        @Override
        public Optional<Instant> next(Instant now, RandomGenerator random) {
            long spread = most.toMillis() - least.toMillis();
            long millis = least.toMillis() + (spread == 0 ? 0 : random.nextLong(spread + 1));
            return Optional.of(now.plusMillis(millis));
        }

        @Override
        public String describe() {
            return "every " + least.toSeconds() + "-" + most.toSeconds() + " s (jittered)";
        }
    }

    /** The times of a cron expression in UTC (Spring's: seconds first; five fields are taken as minutes first). */
    record Cron(String expression, CronExpression cron) implements Cadence {
        @Override
        public Optional<Instant> next(Instant now, RandomGenerator random) {
            return Optional.ofNullable(cron.next(now.atZone(ZoneOffset.UTC))).map(t -> t.toInstant());
        }

        @Override
        public String describe() {
            return "at " + expression + " (UTC)";
        }
    }

    /** After each run of {@code job}, whatever its outcome. */
    record After(String job) implements Cadence {
        @Override
        public Optional<Instant> next(Instant now, RandomGenerator random) {
            return Optional.empty();
        }

        @Override
        public String describe() {
            return "after each " + job;
        }
    }

    /** Never. */
    record Off() implements Cadence {
        @Override
        public Optional<Instant> next(Instant now, RandomGenerator random) {
            return Optional.empty();
        }

        @Override
        public String describe() {
            return "off";
        }
    }

    /**
     * A setting's cadence: {@code off}, an ISO-8601 duration, or a cron expression of five (minute first) or six
     * (second first) fields, or a macro such as {@code @daily}.
     *
     * @throws IllegalArgumentException saying why, when it is none of these
     */
    static Cadence parse(String text) {
        String value = text.trim();
        if (value.equalsIgnoreCase("off")) {
            return new Off();
        }
        if (value.toUpperCase(java.util.Locale.ROOT).startsWith("P")) {
            try {
                return new Every(Duration.parse(value));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + value + "' is not an ISO-8601 duration (e.g. PT5M)");
            }
        }
        String expression = value.split("\\s+").length == 5 ? "0 " + value : value;
        try {
            return new Cron(value, CronExpression.parse(expression));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + value + "' is not a cron expression, an ISO-8601 duration (e.g. "
                    + "PT5M) or off: " + e.getMessage());
        }
    }
}
