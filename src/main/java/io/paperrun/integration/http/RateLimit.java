package io.paperrun.integration.http;

import java.time.Duration;

/**
 * At most {@code permits} requests per {@code period} for one provider account; a request waits
 * up to {@code maxWait} for a permit, then fails.
 */
public record RateLimit(int permits, Duration period, Duration maxWait) {

    /** No practical limit, for providers that publish none. */
    public static final RateLimit UNLIMITED = new RateLimit(Integer.MAX_VALUE, Duration.ofSeconds(1), Duration.ZERO);

    public RateLimit {
        if (permits < 1 || period.isNegative() || period.isZero() || maxWait.isNegative()) {
            throw new IllegalArgumentException("a rate limit needs permits >= 1, a positive period and maxWait >= 0");
        }
    }

    /** {@code permits} per {@code period}, waiting up to {@code maxWait} for one. */
    public static RateLimit of(int permits, Duration period, Duration maxWait) {
        return new RateLimit(permits, period, maxWait);
    }
}
