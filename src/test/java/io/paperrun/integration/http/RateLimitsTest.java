package io.paperrun.integration.http;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimitsTest {

    private static final RateLimit TWO_PER_MINUTE = RateLimit.of(2, Duration.ofMinutes(1), Duration.ZERO);

    private final RateLimits rateLimits = new RateLimits();

    @Test
    void twoLimitsForOneAccountAreRefused() {
        rateLimits.limiterFor(new ProviderAccount("klaviyo", "acme"), TWO_PER_MINUTE);

        assertThatThrownBy(() -> rateLimits.limiterFor(new ProviderAccount("klaviyo", "acme"),
                RateLimit.of(10, Duration.ofSeconds(1), Duration.ZERO)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the rate limit of klaviyo/acme is already");
    }

    @Test
    void theSharedLimitsHoldOneLimiterPerAccount() {
        ProviderAccount account = new ProviderAccount("rate-limits-test", "acme");

        assertThat(RateLimits.shared().limiterFor(account, TWO_PER_MINUTE))
                .isSameAs(RateLimits.shared().limiterFor(account, TWO_PER_MINUTE));
        assertThat(RateLimits.shared().limiterFor(new ProviderAccount("rate-limits-test", "globex"), TWO_PER_MINUTE))
                .isNotSameAs(RateLimits.shared().limiterFor(account, TWO_PER_MINUTE));
    }
}
