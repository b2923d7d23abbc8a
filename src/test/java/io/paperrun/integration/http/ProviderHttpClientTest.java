package io.paperrun.integration.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

class ProviderHttpClientTest {

    private static final Backoff FOUR_ATTEMPTS =
            new Backoff(4, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofMinutes(1));

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final FakeSleeper sleeper = new FakeSleeper();

    private ProviderHttpClient.Builder client() {
        return ProviderHttpClient.forAccount(new ProviderAccount("lob", "acme"))
                .rateLimits(new RateLimits())
                .backoff(FOUR_ATTEMPTS)
                .sleeper(sleeper);
    }

    private static MockResponse status(int code) {
        return new MockResponse.Builder().code(code).body("{}").build();
    }

    private static MockResponse ok(String body) {
        return new MockResponse.Builder().code(200).body(body).build();
    }

    private static MockResponse dropped() {
        return new MockResponse.Builder()
                .onResponseStart(SocketEffect.ShutdownConnection.INSTANCE)
                .build();
    }

    private Request get(String path) {
        return new Request.Builder().url(server.url(path)).build();
    }

    private Request post(String path, String keyHeader, String key) {
        Request.Builder builder = new Request.Builder()
                .url(server.url(path))
                .post(RequestBody.create("{\"to\":\"adr_1\"}", MediaType.get("application/json")));
        if (keyHeader != null) {
            builder.header(keyHeader, key);
        }
        return builder.build();
    }

    @Test
    void aGetIsRetriedOnServerErrorsUntilItSucceeds() throws IOException {
        server.enqueue(status(503));
        server.enqueue(status(502));
        server.enqueue(ok("{\"id\":\"psc_1\"}"));

        try (Response response = client().build().execute(get("/v1/postcards/psc_1"))) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.body().string()).contains("psc_1");
        }
        assertThat(server.getRequestCount()).isEqualTo(3);
        assertThat(sleeper.sleeps()).hasSize(2);
        assertThat(sleeper.sleeps().get(0)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(sleeper.sleeps().get(1)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
    }

    @Test
    void retryAfterInSecondsIsWaitedRatherThanTheShorterBackoff() throws IOException {
        server.enqueue(new MockResponse.Builder()
                .code(429)
                .setHeader("Retry-After", "7")
                .build());
        server.enqueue(ok("{}"));

        try (Response response = client().build().execute(get("/v1/postcards"))) {
            assertThat(response.code()).isEqualTo(200);
        }
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void retryAfterAsAnHttpDateIsWaitedUntil() throws IOException {
        String inNinetySeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                FakeSleeper.START.plusSeconds(90).atZone(ZoneOffset.UTC));
        server.enqueue(new MockResponse.Builder()
                .code(503)
                .setHeader("Retry-After", inNinetySeconds)
                .build());
        server.enqueue(ok("{}"));

        client().backoff(new Backoff(3, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMinutes(5)))
                .build()
                .execute(get("/v1/postcards"))
                .close();

        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(90));
    }

    @Test
    void retryAfterIsHonouredInRealTime() throws IOException {
        server.enqueue(new MockResponse.Builder()
                .code(429)
                .setHeader("Retry-After", "1")
                .build());
        server.enqueue(ok("{}"));
        ProviderHttpClient client = client().sleeper(Sleeper.system())
                .backoff(new Backoff(2, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofSeconds(30)))
                .build();

        long start = System.nanoTime();
        try (Response response = client.execute(get("/v1/postcards"))) {
            assertThat(response.code()).isEqualTo(200);
        }
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(elapsedMillis).isBetween(1_000L, 10_000L);
    }

    @Test
    void attemptsAreBoundedAndTheErrorSaysHowManyAndTheLastStatus() {
        for (int i = 0; i < 5; i++) {
            server.enqueue(status(500));
        }

        assertThatThrownBy(() -> client().build().execute(get("/v1/postcards?limit=10")))
                .isInstanceOf(ProviderHttpException.class)
                .hasMessage(
                        "GET " + server.url("/v1/postcards?limit=10") + ": gave up after 4 attempts, last status 500")
                .satisfies(e -> {
                    ProviderHttpException failure = (ProviderHttpException) e;
                    assertThat(failure.attempts()).isEqualTo(4);
                    assertThat(failure.lastStatus()).hasValue(500);
                });
        assertThat(server.getRequestCount()).isEqualTo(4);
    }

    @Test
    void totalTimeIsBoundedAndARetryAfterBeyondItIsNotWaitedFor() {
        server.enqueue(new MockResponse.Builder()
                .code(429)
                .setHeader("Retry-After", "300")
                .build());

        assertThatThrownBy(() -> client().build().execute(get("/v1/postcards")))
                .isInstanceOf(ProviderHttpException.class)
                .hasMessageEndingWith(
                        ": gave up after 1 attempt, last status 429 with Retry-After 300 s beyond the time left");
        assertThat(sleeper.sleeps()).isEmpty();
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aPostWithoutAnIdempotencyKeyIsNeverRetried() throws IOException {
        server.enqueue(status(503));

        try (Response response = client().build().execute(post("/v1/postcards", null, null))) {
            assertThat(response.code()).isEqualTo(503);
        }
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(sleeper.sleeps()).isEmpty();
    }

    @Test
    void aPostWithoutAnIdempotencyKeyIsNotRetriedAfterAConnectionFailure() {
        server.enqueue(dropped());
        server.enqueue(ok("{}"));

        assertThatThrownBy(() -> client().build().execute(post("/v1/postcards", null, null)))
                .isInstanceOf(ProviderHttpException.class)
                .hasMessageContaining("POST " + server.url("/v1/postcards"))
                .hasMessageContaining(
                        "not retried, since a POST without an Idempotency-Key header may already have taken effect");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aPostWithAnIdempotencyKeyIsRetriedWithTheSameKey() throws Exception {
        server.enqueue(status(500));
        server.enqueue(dropped());
        server.enqueue(ok("{\"id\":\"psc_1\"}"));

        try (Response response = client().build().execute(post("/v1/postcards", "Idempotency-Key", "rcp-42-v1"))) {
            assertThat(response.code()).isEqualTo(200);
        }
        assertThat(server.getRequestCount()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            RecordedRequest sent = server.takeRequest(1, TimeUnit.SECONDS);
            assertThat(sent.getMethod()).isEqualTo("POST");
            assertThat(sent.getHeaders().get("Idempotency-Key")).isEqualTo("rcp-42-v1");
        }
    }

    @Test
    void aPostTaggedSafeToRepeatIsRetriedOnServerErrorsAndConnectionFailures() throws IOException {
        server.enqueue(status(502));
        server.enqueue(dropped());
        server.enqueue(status(429));
        server.enqueue(ok("{\"data\":{}}"));
        Request query = post("/admin/api/2026-07/graphql.json", null, null)
                .newBuilder()
                .tag(ProviderHttpClient.SafeToRepeat.class, ProviderHttpClient.SafeToRepeat.RETRY_429)
                .build();

        try (Response response = client().build().execute(query)) {
            assertThat(response.code()).isEqualTo(200);
        }
        assertThat(server.getRequestCount()).isEqualTo(4);
        assertThat(sleeper.sleeps()).hasSize(3);
    }

    @Test
    void aPostTaggedToReturn429IsRetriedOnServerErrorsButA429IsHandedBack() throws IOException {
        server.enqueue(status(503));
        server.enqueue(new MockResponse.Builder()
                .code(429)
                .setHeader("Retry-After", "2")
                .body("{\"errors\":[{\"message\":\"Throttled\"}]}")
                .build());
        Request query = post("/admin/api/2026-07/graphql.json", null, null)
                .newBuilder()
                .tag(ProviderHttpClient.SafeToRepeat.class, ProviderHttpClient.SafeToRepeat.RETURN_429)
                .build();

        try (Response response = client().build().execute(query)) {
            assertThat(response.code()).isEqualTo(429);
            assertThat(response.header("Retry-After")).isEqualTo("2");
            assertThat(response.body().string()).contains("Throttled");
        }
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(sleeper.sleeps()).hasSize(1);
    }

    @Test
    void theCallerNamesTheIdempotencyKeyHeader() throws IOException {
        server.enqueue(status(503));
        server.enqueue(ok("{}"));
        ProviderHttpClient stannp =
                client().idempotencyKeyHeader("X-Idempotency-Key").build();

        stannp.execute(post("/api/v1/postcards/create", "X-Idempotency-Key", "rcp-42-v1"))
                .close();
        assertThat(server.getRequestCount()).isEqualTo(2);

        server.enqueue(status(503));
        stannp.execute(post("/api/v1/postcards/create", "Idempotency-Key", "rcp-43-v1"))
                .close();
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void clientErrorsAreNotRetried() throws IOException {
        server.enqueue(status(422));

        try (Response response = client().build().execute(get("/v1/postcards/psc_x"))) {
            assertThat(response.code()).isEqualTo(422);
        }
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aReadTimeoutIsRetriedForAGet() throws IOException {
        server.enqueue(new MockResponse.Builder()
                .onResponseStart(SocketEffect.Stall.INSTANCE)
                .build());
        server.enqueue(ok("{}"));
        ProviderHttpClient client = client().timeouts(
                        new HttpTimeouts(Duration.ofSeconds(2), Duration.ofMillis(200), Duration.ofSeconds(5)))
                .build();

        try (Response response = client.execute(get("/v1/postcards"))) {
            assertThat(response.code()).isEqualTo(200);
        }
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void theCallTimeoutBoundsOneAttempt() {
        for (int i = 0; i < 2; i++) {
            server.enqueue(new MockResponse.Builder()
                    .body("{}")
                    .headersDelay(2, TimeUnit.SECONDS)
                    .build());
        }
        ProviderHttpClient client = client().backoff(
                        new Backoff(2, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofMinutes(1)))
                .timeouts(new HttpTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMillis(300)))
                .build();

        long start = System.nanoTime();
        assertThatThrownBy(() -> client.execute(get("/v1/postcards")))
                .isInstanceOf(ProviderHttpException.class)
                .hasMessageEndingWith(": gave up after 2 attempts, last failure InterruptedIOException");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1_500);
    }

    @Test
    void aConnectionRefusedIsRetriedThenReported() throws IOException {
        MockWebServer closed = new MockWebServer();
        closed.start();
        Request request = new Request.Builder().url(closed.url("/v1/postcards")).build();
        closed.close();

        assertThatThrownBy(() -> client().build().execute(request))
                .isInstanceOf(ProviderHttpException.class)
                .hasMessageEndingWith(": gave up after 4 attempts, last failure ConnectException")
                .hasCauseInstanceOf(IOException.class);
        assertThat(sleeper.sleeps()).hasSize(3);
    }

    @Test
    void redirectsAreNotFollowed() throws IOException {
        server.enqueue(new MockResponse.Builder()
                .code(302)
                .setHeader("Location", "https://elsewhere.example/")
                .build());

        try (Response response = client().build().execute(get("/v1/postcards"))) {
            assertThat(response.code()).isEqualTo(302);
        }
    }
}
