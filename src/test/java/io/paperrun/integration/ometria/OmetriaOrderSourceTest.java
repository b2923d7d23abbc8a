package io.paperrun.integration.ometria;

import static io.paperrun.integration.ometria.FakeOmetria.START;
import static io.paperrun.integration.ometria.FakeOmetria.order;
import static io.paperrun.integration.ometria.FakeOmetria.orders;
import static io.paperrun.integration.ometria.FakeOmetria.page;
import static io.paperrun.integration.ometria.FakeOmetria.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.paperrun.batch.ImportLine;
import io.paperrun.batch.Page;
import io.paperrun.batch.Partitions;
import io.paperrun.integration.http.FakeSleeper;
import io.paperrun.integration.http.ProviderAccount;
import io.paperrun.integration.http.ProviderHttpException;
import io.paperrun.integration.http.RateLimits;
import io.paperrun.integration.http.Secrets;
import io.paperrun.order.IncomingOrder;
import io.paperrun.order.OrderReading;
import io.paperrun.order.OrderSource;
import io.paperrun.organization.IntegrationSettings;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mock.env.MockEnvironment;

class OmetriaOrderSourceTest {

    private static final String KEY = "om-live-7f3a9c2e51";
    private static final Instant SINCE = START.minusSeconds(3600);

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final FakeSleeper sleeper = new FakeSleeper();
    private final RateLimits rateLimits = new RateLimits();
    private final OmetriaOrderSources sources = new OmetriaOrderSources(
            new Secrets(new MockEnvironment().withProperty("OMETRIA_KEY", KEY)), rateLimits, sleeper);

    private OrderSource open(String baseUrl) {
        Map<String, String> settings = new HashMap<>();
        settings.put("api_key", "${OMETRIA_KEY}");
        settings.put("base_url", baseUrl);
        return sources.open(new OrderReading(
                "acme", Map.of(), Partitions.Slice.ALL, "1", new IntegrationSettings("ometria", settings)));
    }

    private OrderSource open() {
        return open(server.url("/").toString());
    }

    private HttpUrl takeUrl() throws InterruptedException {
        return server.takeRequest().getUrl();
    }

    @Test
    void readsEveryPageUntilAShortOne() throws Exception {
        server.enqueue(page(orders(0, 100)));
        server.enqueue(page(orders(100, 100)));
        server.enqueue(page(orders(200, 30)));
        OrderSource source = open();

        List<IncomingOrder> read = new ArrayList<>();
        List<String> cursors = new ArrayList<>();
        String cursor = null;
        do {
            Page<IncomingOrder> page = source.fetch(SINCE, cursor);
            page.lines().forEach(line -> read.add(((ImportLine.Accepted<IncomingOrder>) line).value()));
            cursor = page.next();
            cursors.add(cursor);
        } while (cursor != null);

        assertThat(read).hasSize(230);
        assertThat(read)
                .extracting(IncomingOrder::providerOrderId)
                .startsWith("o0", "o1")
                .endsWith("o229");
        assertThat(cursors)
                .containsExactly("1 " + START.plusSeconds(60 * 99), "1 " + START.plusSeconds(60 * 199), null);
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void aFullLastPageIsFollowedByAnEmptyOne() throws Exception {
        server.enqueue(page(orders(0, 100)));
        server.enqueue(page(List.of()));
        OrderSource source = open();

        Page<IncomingOrder> first = source.fetch(null, null);
        Page<IncomingOrder> second = source.fetch(null, first.next());

        assertThat(first.next()).isNotNull();
        assertThat(second.lines()).isEmpty();
        assertThat(second.isLast()).isTrue();
    }

    @Test
    void theRequestAsksForTheOrdersUpdatedSinceByUpdateTimeAHundredAtATime() throws Exception {
        server.enqueue(page(List.of(order("o1", START))));

        open().fetch(SINCE, null);

        RecordedRequest request = server.takeRequest();
        assertThat(request.getMethod()).isEqualTo("GET");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/v2/orders");
        assertThat(request.getHeaders().get("X-Ometria-Auth")).isEqualTo(KEY);
        assertThat(request.getUrl().queryParameter("since")).isEqualTo("2026-04-30T23:00:00Z");
        assertThat(request.getUrl().queryParameter("orderby")).isEqualTo("timestamp_update");
        assertThat(request.getUrl().queryParameter("limit")).isEqualTo("100");
        assertThat(request.getUrl().queryParameter("offset")).isEqualTo("0");
    }

    @Test
    void withoutACheckpointEveryOrderIsAskedFor() throws Exception {
        server.enqueue(page(List.of()));

        open().fetch(null, null);

        HttpUrl url = takeUrl();
        assertThat(url.queryParameterNames()).containsExactlyInAnyOrder("orderby", "limit", "offset");
    }

    @Test
    void theNextPageStartsAtTheLastUpdateReadSkippingTheOrdersReadAtIt() throws Exception {
        Instant last = START.plusSeconds(3 * 3600);
        List<String> first = new ArrayList<>(orders(0, 97));
        first.add(order("tie-1", last));
        first.add(order("tie-2", last));
        first.add(order("tie-3", last));
        server.enqueue(page(first));
        server.enqueue(page(List.of(order("tie-4", last))));
        OrderSource source = open();

        Page<IncomingOrder> page = source.fetch(SINCE, null);
        source.fetch(SINCE, page.next());

        takeUrl();
        HttpUrl second = takeUrl();
        assertThat(second.queryParameter("since")).isEqualTo(last.toString());
        assertThat(second.queryParameter("offset")).isEqualTo("3");
    }

    @Test
    void aRestartedSourceFetchesTheSamePageFromTheCursor() throws Exception {
        server.enqueue(page(orders(0, 100)));
        server.enqueue(page(orders(100, 10)));
        server.enqueue(page(orders(100, 10)));
        String cursor = open().fetch(SINCE, null).next();
        open().fetch(SINCE, cursor);

        OrderSource restarted = open();
        Page<IncomingOrder> again = restarted.fetch(SINCE, cursor);

        takeUrl();
        assertThat(takeUrl()).isEqualTo(takeUrl());
        assertThat(again.lines()).hasSize(10);
    }

    @Test
    void aMalformedOrderIsRejectedWithItsIdAndThePageGoesOn() throws Exception {
        String bad = order("o2", START).replace("25.50", "\"twenty\"");
        server.enqueue(page(List.of(order("o1", START), bad, order("o3", START))));

        List<ImportLine<IncomingOrder>> lines = open().fetch(null, null).lines();

        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isInstanceOf(ImportLine.Accepted.class);
        assertThat(lines.get(1)).isInstanceOfSatisfying(ImportLine.Rejected.class, rejected -> {
            assertThat(rejected.recordId()).isEqualTo("o2");
            assertThat(rejected.reason()).isEqualTo("grand_total 'twenty' is not a number");
            assertThat(rejected.line()).isZero();
        });
        assertThat(lines.get(2)).isInstanceOf(ImportLine.Accepted.class);
    }

    @Test
    void aResponseWithADataArrayIsReadToo() throws Exception {
        server.enqueue(FakeOmetria.json("{\"data\":[" + order("o1", START) + "]}"));

        assertThat(open().fetch(null, null).lines()).hasSize(1);
    }

    @Test
    void aResponseOfAnotherShapeFailsTheFetch() {
        server.enqueue(FakeOmetria.json("{\"orders\":[]}"));

        assertThatThrownBy(() -> open().fetch(null, null))
                .isInstanceOf(IOException.class)
                .hasMessageEndingWith(": the response is neither an array of orders nor an object with a data array");
    }

    @Test
    void aResponseThatIsNotJsonFailsTheFetch() {
        server.enqueue(FakeOmetria.json("<html>maintenance</html>"));

        assertThatThrownBy(() -> open().fetch(null, null))
                .isInstanceOf(IOException.class)
                .hasMessageEndingWith(": the response is not JSON");
    }

    @Test
    void tooManyRequestsWaitsWhatRetryAfterAsksThenRetries() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(429)
                .setHeader("Retry-After", "7")
                .build());
        server.enqueue(page(List.of(order("o1", START))));

        Page<IncomingOrder> page = open().fetch(null, null);

        assertThat(page.lines()).hasSize(1);
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(7));
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aServerErrorIsRetriedWithBackoff() throws Exception {
        server.enqueue(status(503));
        server.enqueue(status(500));
        server.enqueue(page(List.of(order("o1", START))));

        Page<IncomingOrder> page = open().fetch(null, null);

        assertThat(page.lines()).hasSize(1);
        assertThat(sleeper.sleeps()).hasSize(2);
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void refusedCredentialsFailAtOnceWithoutTheKey(int code) {
        server.enqueue(new MockResponse.Builder()
                .code(code)
                .body("{\"message\":\"bad key " + KEY + "\"}")
                .build());
        server.enqueue(page(List.of()));

        assertThatThrownBy(() -> open().fetch(null, null))
                .isInstanceOf(ProviderHttpException.class)
                .hasMessageStartingWith("GET " + server.url("/v2/orders"))
                .hasMessageContaining("status " + code + ", Ometria refused the credentials")
                .message()
                .doesNotContain(KEY);
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(sleeper.sleeps()).isEmpty();
    }

    @Test
    void anotherClientErrorSaysTheRouteIsAssumed() {
        server.enqueue(status(404));

        assertThatThrownBy(() -> open().fetch(null, null))
                .isInstanceOf(ProviderHttpException.class)
                .hasMessageContaining("status 404, Ometria did not list the orders (route assumed");
    }

    @Test
    void everyAttemptTakesAPermitFromTheAccountsFourPerSecondLimit() throws Exception {
        server.enqueue(page(orders(0, 100)));
        server.enqueue(status(503));
        server.enqueue(page(orders(100, 1)));
        OrderSource source = open();
        RateLimiter limiter =
                rateLimits.limiterFor(new ProviderAccount("ometria", "acme"), OmetriaOrderSources.RATE_LIMIT);
        AtomicInteger permits = new AtomicInteger();
        limiter.getEventPublisher().onSuccess(event -> permits.incrementAndGet());

        source.fetch(null, source.fetch(null, null).next());

        assertThat(limiter.getRateLimiterConfig().getLimitForPeriod()).isEqualTo(4);
        assertThat(limiter.getRateLimiterConfig().getLimitRefreshPeriod()).isEqualTo(Duration.ofSeconds(1));
        assertThat(permits).hasValue(3);
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void theBaseUrlReplacesTheSchemeAndHostTheDocumentedPathFollowing() throws Exception {
        server.enqueue(page(List.of()));

        open(server.url("/").toString()).fetch(null, null);

        assertThat(takeUrl().encodedPath()).isEqualTo("/v2/orders");
    }

    @Test
    void withoutABaseUrlOmetriaItselfIsAsked() {
        assertThat(OmetriaOrders.url(HttpUrl.get(OmetriaOrderSources.DOCUMENTED_BASE), null, 200)
                        .toString())
                .isEqualTo("https://api.ometria.com/v2/orders?orderby=timestamp_update&limit=100&offset=200");
    }

    @Test
    void theSourceNamesItsProviderAndOrganization() {
        OrderSource source = open();

        assertThat(source.provider()).isEqualTo("ometria");
        assertThat(source.location()).isEqualTo("ometria acme");
        assertThat(sources.provider()).isEqualTo("ometria");
    }
}
