package io.paperrun.integration.http;

import java.time.Duration;

/**
 * How retries are spaced and bounded: at most {@code maxAttempts} attempts in all, within
 * {@code totalTime}; the delay doubles from {@code firstDelay} up to {@code maxDelay}, with jitter.
 */
public record Backoff(int maxAttempts, Duration firstDelay, Duration maxDelay, Duration totalTime) {

    /** 4 attempts, 0.5 s doubling up to 30 s, within 2 minutes. */
    public static final Backoff DEFAULT =
            new Backoff(4, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(2));

    /** One attempt only. */
    public static final Backoff NONE = new Backoff(1, Duration.ZERO, Duration.ZERO, Duration.ofDays(1));

    public Backoff {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("at least one attempt is needed");
        }
        if (firstDelay.isNegative() || maxDelay.compareTo(firstDelay) < 0 || totalTime.isNegative()) {
            throw new IllegalArgumentException("delays must satisfy 0 <= firstDelay <= maxDelay, totalTime >= 0");
        }
    }

    /**
     * The delay after failed attempt {@code attempt} (1-based): half the doubled delay plus
     * {@code jitter} (in [0, 1)) times the other half, so that clients that failed together spread out.
     */
    public Duration delayAfter(int attempt, double jitter) {
        long ceiling = maxDelay.toMillis();
        long doubled = firstDelay.toMillis();
        for (int i = 1; i < attempt && doubled < ceiling; i++) {
            doubled = doubled > ceiling / 2 ? ceiling : doubled * 2;
        }
        ceiling = Math.min(doubled, ceiling);
        long half = ceiling / 2;
        return Duration.ofMillis(half + (long) (jitter * (ceiling - half)));
    }
}
