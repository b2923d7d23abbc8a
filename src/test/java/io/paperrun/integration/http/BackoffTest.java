package io.paperrun.integration.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff =
            new Backoff(10, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMinutes(1));

    @Test
    void theDelayDoublesWithinJitterOfHalfOfIt() {
        assertThat(backoff.delayAfter(1, 0.0)).isEqualTo(Duration.ofMillis(50));
        assertThat(backoff.delayAfter(1, 0.999)).isBetween(Duration.ofMillis(99), Duration.ofMillis(100));
        assertThat(backoff.delayAfter(2, 0.0)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.delayAfter(3, 0.0)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.delayAfter(4, 0.5)).isEqualTo(Duration.ofMillis(600));
    }

    @Test
    void theDelayStopsGrowingAtTheMaximum() {
        assertThat(backoff.delayAfter(5, 0.0)).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.delayAfter(9, 0.999)).isBetween(Duration.ofMillis(999), Duration.ofSeconds(1));
        assertThat(backoff.delayAfter(1000, 0.0)).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void retryAfterInSeconds() {
        assertThat(RetryAfter.parse("5", Instant.EPOCH)).contains(Duration.ofSeconds(5));
        assertThat(RetryAfter.parse(" 0 ", Instant.EPOCH)).contains(Duration.ZERO);
    }

    @Test
    void retryAfterAsAnHttpDate() {
        Instant now = Instant.parse("2026-06-01T12:00:00Z");
        String inTwoMinutes =
                DateTimeFormatter.RFC_1123_DATE_TIME.format(now.plusSeconds(120).atZone(ZoneOffset.UTC));

        assertThat(inTwoMinutes).isEqualTo("Mon, 1 Jun 2026 12:02:00 GMT");
        assertThat(RetryAfter.parse("Mon, 01 Jun 2026 12:02:00 GMT", now)).contains(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse("Mon, 01 Jun 2026 11:00:00 GMT", now)).contains(Duration.ZERO);
    }

    @Test
    void noRetryAfterWhenAbsentOrUnreadable() {
        assertThat(RetryAfter.parse(null, Instant.EPOCH)).isEqualTo(Optional.empty());
        assertThat(RetryAfter.parse("soon", Instant.EPOCH)).isEmpty();
        assertThat(RetryAfter.parse("-3", Instant.EPOCH)).isEmpty();
    }

    @Test
    void withoutRetryAfterARateLimitResetSaysTheWait() {
        Instant now = Instant.parse("2026-06-01T12:00:00Z");
        Map<String, String> lob = Map.of("X-Rate-Limit-Reset", Long.toString(now.getEpochSecond() + 4));
        Map<String, String> stannp = Map.of("X-RateLimit-Reset", "7");
        Map<String, String> both = Map.of("Retry-After", "2", "X-RateLimit-Reset", "7");

        assertThat(RetryAfter.of(lob::get, now)).contains(Duration.ofSeconds(4));
        assertThat(RetryAfter.of(stannp::get, now)).contains(Duration.ofSeconds(7));
        assertThat(RetryAfter.of(both::get, now)).contains(Duration.ofSeconds(2));
        assertThat(RetryAfter.of(Map.<String, String>of()::get, now)).isEmpty();
    }
}
