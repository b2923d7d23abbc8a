package io.paperrun.integration.http;

import io.github.resilience4j.ratelimiter.RateLimiter;
import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/** Takes a permit from the account's limiter before each attempt; fails without sending when none comes in time. */
final class RateLimitInterceptor implements Interceptor {

    private final RateLimiter limiter;
    private final Redaction redaction;

    RateLimitInterceptor(RateLimiter limiter, Redaction redaction) {
        this.limiter = limiter;
        this.redaction = redaction;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        if (!limiter.acquirePermission()) {
            throw new ProviderHttpException(
                    redaction.describe(chain.request()) + ": no permit from the rate limit of "
                            + limiter.getName() + " within "
                            + limiter.getRateLimiterConfig()
                                    .getTimeoutDuration()
                                    .toMillis()
                            + " ms; not sent",
                    0,
                    null,
                    null);
        }
        return chain.proceed(chain.request());
    }
}
