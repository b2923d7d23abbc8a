package io.paperrun.integration.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import okhttp3.Credentials;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A planted key goes through successes, retries and failures of every kind; it must appear in no
 * log line (ours, OkHttp's, resilience4j's) and in no exception message or stack trace.
 */
class SecretRedactionTest {

    private static final String PLANTED = "sk_live_PLANTED_123";
    private static final String PLANTED_BASIC = Credentials.basic(PLANTED, "").substring("Basic ".length());
    private static final String PLANTED_BASE64 = Base64.getEncoder().encodeToString(PLANTED.getBytes(UTF_8));

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final FakeSleeper sleeper = new FakeSleeper();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final List<Throwable> failures = new ArrayList<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    private final Logger paperrun = (Logger) LoggerFactory.getLogger("io.paperrun");
    private Level rootLevel;
    private Level paperrunLevel;
    private Secret key;

    @BeforeEach
    void captureEveryLogLine() {
        JdkLogging.forwardEverything();
        rootLevel = root.getLevel();
        paperrunLevel = paperrun.getLevel();
        root.setLevel(Level.TRACE);
        paperrun.setLevel(Level.TRACE);
        logs.start();
        root.addAppender(logs);
        key = SecretReference.parse("${LOB_API_KEY}").resolve(Map.of("LOB_API_KEY", PLANTED));
    }

    @AfterEach
    void stopCapturing() {
        root.detachAppender(logs);
        root.setLevel(rootLevel);
        paperrun.setLevel(paperrunLevel);
        JdkLogging.restore();
    }

    private ProviderHttpClient client(Authentication authentication) {
        return ProviderHttpClient.forAccount(new ProviderAccount("lob", "acme"))
                .rateLimits(new RateLimits())
                .rateLimit(RateLimit.of(12, Duration.ofMinutes(1), Duration.ZERO))
                .authentication(authentication)
                .backoff(new Backoff(3, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMinutes(1)))
                .sleeper(sleeper)
                .build();
    }

    private static MockResponse status(int code, String body) {
        return new MockResponse.Builder().code(code).body(body).build();
    }

    private Request postcards(String query) {
        return new Request.Builder().url(server.url("/v1/postcards" + query)).build();
    }

    private void expectFailure(ThrowingCall call) {
        Throwable failure = catchThrowable(call::run);
        assertThat(failure).as("a failure").isNotNull();
        failures.add(failure);
    }

    private interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void aPlantedKeyReachesTheProviderButNoLogLineNorMessage() throws Exception {
        ProviderHttpClient lob = client(Authentication.basicUser(key));
        ProviderHttpClient bearer = client(Authentication.bearer(key));

        server.enqueue(status(200, "{\"id\":\"psc_1\"}"));
        try (Response response = lob.execute(postcards("?limit=10"))) {
            assertThat(response.code()).isEqualTo(200);
        }
        RecordedRequest sent = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Basic " + PLANTED_BASIC);

        server.enqueue(status(503, "{\"error\":\"busy for " + PLANTED + "\"}"));
        server.enqueue(new MockResponse.Builder()
                .code(429)
                .setHeader("Retry-After", "1")
                .build());
        server.enqueue(status(200, "{}"));
        bearer.execute(postcards("")).close();

        for (int i = 0; i < 3; i++) {
            server.enqueue(status(500, PLANTED));
        }
        expectFailure(() -> lob.execute(postcards("")));

        server.enqueue(status(
                401, "{\"error\":{\"message\":\"invalid api key " + PLANTED + "\",\"code\":\"invalid_api_key\"}}"));
        try (Response response = lob.execute(postcards(""))) {
            failures.add(lob.failure(response, response.body().string()));
        }

        server.enqueue(new MockResponse.Builder()
                .onResponseStart(SocketEffect.ShutdownConnection.INSTANCE)
                .build());
        Request create = new Request.Builder()
                .url(server.url("/v1/postcards"))
                .post(RequestBody.create("{\"to\":\"adr_1\"}", MediaType.get("application/json")))
                .build();
        expectFailure(() -> lob.execute(create));

        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse.Builder()
                    .onResponseStart(SocketEffect.ShutdownConnection.INSTANCE)
                    .build());
        }
        expectFailure(() -> bearer.execute(postcards("?api_key=" + PLANTED)));

        MockWebServer closed = new MockWebServer();
        closed.start();
        Request refused = new Request.Builder()
                .url(closed.url("/v1/postcards")
                        .newBuilder()
                        .addQueryParameter("token", PLANTED)
                        .build())
                .build();
        closed.close();
        expectFailure(() -> bearer.execute(refused));

        server.enqueue(status(200, "{}"));
        Request withUserInfo = new Request.Builder()
                .url(server.url("/v1/postcards").newBuilder().username(PLANTED).build())
                .build();
        lob.execute(withUserInfo).close();

        ProviderHttpClient shopify = ProviderHttpClient.forAccount(new ProviderAccount("shopify", "acme"))
                .rateLimits(new RateLimits())
                .rateLimit(RateLimit.of(1, Duration.ofMinutes(1), Duration.ZERO))
                .authentication(Authentication.header("X-Shopify-Access-Token", key))
                .sleeper(sleeper)
                .build();
        server.enqueue(status(403, PLANTED));
        shopify.execute(postcards("")).close();
        expectFailure(() -> shopify.execute(postcards("?access_token=" + PLANTED)));

        assertThat(failures).hasSize(6);
        List<ILoggingEvent> logged = captured();
        assertThat(logged).as("log lines captured").hasSizeGreaterThan(20);
        assertThat(logged)
                .as("OkHttp's own log lines, through java.util.logging")
                .anyMatch(event -> event.getLoggerName().startsWith("okhttp3"));
        assertThat(render(logged))
                .contains(
                        "Authorization: [redacted]",
                        "X-Shopify-Access-Token: [redacted]",
                        "api_key=[redacted]",
                        "token=[redacted]");
        assertNoSecretIn(render(logged));
        for (Throwable failure : failures) {
            assertNoSecretIn(failure.getMessage());
            assertNoSecretIn(stackTrace(failure));
        }
        assertThat(failures.get(1).getMessage())
                .isEqualTo(
                        "GET " + server.url("/v1/postcards")
                                + ": status 401, {\"error\":{\"message\":\"invalid api key [redacted]\",\"code\":\"invalid_api_key\"}}");
    }

    @Test
    void redactionMasksSecretLookingHeadersAndQueryParameters() {
        Redaction redaction = Redaction.of(Authentication.header("X-Ometria-Auth", key));

        assertThat(redaction.isSecretHeader("Authorization")).isTrue();
        assertThat(redaction.isSecretHeader("x-api-key")).isTrue();
        assertThat(redaction.isSecretHeader("X-Ometria-Auth")).isTrue();
        assertThat(redaction.isSecretHeader("Idempotency-Key")).isFalse();
        assertThat(redaction.isSecretHeader("Content-Type")).isFalse();
        assertThat(Redaction.isSecretQueryParameter("api_key")).isTrue();
        assertThat(Redaction.isSecretQueryParameter("key")).isTrue();
        assertThat(Redaction.isSecretQueryParameter("access_token")).isTrue();
        assertThat(Redaction.isSecretQueryParameter("idempotency_key")).isFalse();
        assertThat(Redaction.isSecretQueryParameter("limit")).isFalse();
        assertThat(redaction.url(server.url("/p/" + PLANTED)
                        .newBuilder()
                        .username("user")
                        .password("pw")
                        .addQueryParameter("apikey", "x")
                        .addQueryParameter("limit", "10")
                        .build()))
                .isEqualTo(server.url("/p/") + "[redacted]?apikey=[redacted]&limit=10");
    }

    /** The lines logged so far; OkHttp's and the mock server's threads may still be appending. */
    private List<ILoggingEvent> captured() {
        synchronized (logs) {
            return List.copyOf(logs.list);
        }
    }

    private static String render(List<ILoggingEvent> events) {
        StringBuilder text = new StringBuilder();
        for (ILoggingEvent event : events) {
            if (event.getLoggerName().startsWith("mockwebserver3")) {
                continue; // the fake provider's own log of what it received, not ours
            }
            text.append(event.getLoggerName())
                    .append(' ')
                    .append(event.getFormattedMessage())
                    .append('\n');
            if (event.getThrowableProxy() != null) {
                text.append(ThrowableProxyUtil.asString(event.getThrowableProxy()))
                        .append('\n');
            }
        }
        return text.toString();
    }

    private static String stackTrace(Throwable failure) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }

    private static void assertNoSecretIn(String text) {
        assertThat(text).doesNotContain(PLANTED, PLANTED_BASIC, PLANTED_BASE64, "PLANTED");
    }

    @Test
    void aRequestRefusedByTheRateLimitIsDescribedWithoutItsSecrets() {
        ProviderHttpClient exhausted = ProviderHttpClient.forAccount(new ProviderAccount("lob", "tiny"))
                .rateLimits(new RateLimits())
                .rateLimit(RateLimit.of(1, Duration.ofMinutes(1), Duration.ZERO))
                .authentication(Authentication.bearer(key))
                .build();
        server.enqueue(status(200, "{}"));

        assertThatThrownBy(() -> {
                    exhausted.execute(postcards("?key=" + PLANTED)).close();
                    exhausted.execute(postcards("?key=" + PLANTED)).close();
                })
                .satisfies(failure -> {
                    assertThat(failure.getMessage()).contains("no permit", "key=[redacted]");
                    assertNoSecretIn(stackTrace(failure));
                });
    }
}
