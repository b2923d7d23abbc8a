package io.paperrun.integration.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import okhttp3.Request;
import org.junit.jupiter.api.Test;

class RateLimitsTest {

    private static final RateLimit TWO_PER_MINUTE = RateLimit.of(2, Duration.ofMinutes(1), Duration.ZERO);

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final RateLimits rateLimits = new RateLimits();
    private final FakeSleeper sleeper = new FakeSleeper();

    private ProviderHttpClient client(String account, RateLimit limit) {
        return ProviderHttpClient.forAccount(new ProviderAccount("klaviyo", account))
                .rateLimits(rateLimits)
                .rateLimit(limit)
                .sleeper(sleeper)
                .build();
    }

    private Request get() {
        return new Request.Builder().url(server.url("/api/profiles")).build();
    }

    private void enqueueOk(int count) {
        for (int i = 0; i < count; i++) {
            server.enqueue(new MockResponse.Builder().body("{}").build());
        }
    }

    @Test
    void clientsOfOneAccountShareItsLimit() throws IOException {
        enqueueOk(3);
        ProviderHttpClient orderSync = client("acme", TWO_PER_MINUTE);
        ProviderHttpClient audienceSync = client("acme", TWO_PER_MINUTE);

        orderSync.execute(get()).close();
        audienceSync.execute(get()).close();

        assertThatThrownBy(() -> orderSync.execute(get()))
                .isInstanceOf(ProviderHttpException.class)
                .hasMessage("GET " + server.url("/api/profiles")
                        + ": no permit from the rate limit of klaviyo/acme within 0 ms; not sent")
                .satisfies(
                        e -> assertThat(((ProviderHttpException) e).attempts()).isZero());
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void accountsHaveTheirOwnLimits() throws IOException {
        enqueueOk(4);
        ProviderHttpClient acme = client("acme", TWO_PER_MINUTE);
        ProviderHttpClient globex = client("globex", TWO_PER_MINUTE);

        acme.execute(get()).close();
        acme.execute(get()).close();
        globex.execute(get()).close();
        globex.execute(get()).close();

        assertThat(server.getRequestCount()).isEqualTo(4);
    }

    @Test
    void everyAttemptTakesAPermit() throws IOException {
        server.enqueue(new MockResponse.Builder().code(503).build());
        enqueueOk(1);
        ProviderHttpClient acme = client("acme", TWO_PER_MINUTE);

        acme.execute(get()).close();

        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThatThrownBy(() -> acme.execute(get())).hasMessageContaining("no permit");
    }

    @Test
    void aRequestWaitsForTheNextPeriod() throws IOException {
        enqueueOk(3);
        ProviderHttpClient acme = client("acme", RateLimit.of(1, Duration.ofMillis(300), Duration.ofSeconds(5)));

        long start = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            acme.execute(get()).close();
        }

        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(300);
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void twoLimitsForOneAccountAreRefused() {
        client("acme", TWO_PER_MINUTE);

        assertThatThrownBy(() -> client("acme", RateLimit.of(10, Duration.ofSeconds(1), Duration.ZERO)))
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
