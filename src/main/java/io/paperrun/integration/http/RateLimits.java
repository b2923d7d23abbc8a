package io.paperrun.integration.http;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One resilience4j {@link RateLimiter} per provider account, shared by every client of that account
 * built from the same {@code RateLimits} ({@link #shared()} for the whole process).
 */
public final class RateLimits {

    private static final RateLimits SHARED = new RateLimits();

    private record Limiter(RateLimit limit, RateLimiter limiter) {}

    private final Map<ProviderAccount, Limiter> limiters = new ConcurrentHashMap<>();

    /** The process's limits: every client of an account built from it shares that account's limiter. */
    public static RateLimits shared() {
        return SHARED;
    }

    /**
     * The account's limiter, created with {@code limit} the first time; asking again with a
     * different limit is refused, since two clients of one account must not disagree.
     */
    public RateLimiter limiterFor(ProviderAccount account, RateLimit limit) {
        Limiter limiter = limiters.computeIfAbsent(account, key -> new Limiter(limit, create(key, limit)));
        if (!limiter.limit().equals(limit)) {
            throw new IllegalStateException(
                    "the rate limit of " + account + " is already " + limiter.limit() + ", not " + limit);
        }
        return limiter.limiter();
    }

    private static RateLimiter create(ProviderAccount account, RateLimit limit) {
        RateLimiterConfig config = RateLimiterConfig.custom()
                .limitForPeriod(limit.permits())
                .limitRefreshPeriod(limit.period())
                .timeoutDuration(limit.maxWait())
                .build();
        return RateLimiter.of(account.toString(), config);
    }
}
