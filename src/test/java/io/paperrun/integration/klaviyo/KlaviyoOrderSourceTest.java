package io.paperrun.integration.klaviyo;

import static io.paperrun.integration.klaviyo.FakeKlaviyo.event;
import static io.paperrun.integration.klaviyo.FakeKlaviyo.json;
import static io.paperrun.integration.klaviyo.FakeKlaviyo.metric;
import static io.paperrun.integration.klaviyo.FakeKlaviyo.profile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paperrun.batch.ImportLine;
import io.paperrun.batch.Page;
import io.paperrun.batch.Partitions;
import io.paperrun.enrichment.AddressKey;
import io.paperrun.integration.http.FakeSleeper;
import io.paperrun.integration.http.ProviderHttpException;
import io.paperrun.integration.http.RateLimits;
import io.paperrun.integration.http.Secrets;
import io.paperrun.order.IncomingOrder;
import io.paperrun.order.OrderReading;
import io.paperrun.order.OrderSource;
import io.paperrun.organization.IntegrationSettings;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mock.env.MockEnvironment;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Klaviyo order source against a fake Klaviyo serving the documented JSON:API shapes; every request it sends,
 * and every document the fake answers, is checked against Klaviyo's OpenAPI description.
 */
class KlaviyoOrderSourceTest {

    private static final String KEY = "pk_live_0123456789abcdef0123456789abcdef";
    private static final String PLACED_ORDER = "PoShop";

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final FakeKlaviyo klaviyo = new FakeKlaviyo();
    private final FakeSleeper sleeper = new FakeSleeper();
    private final MockEnvironment environment = new MockEnvironment().withProperty("KLAVIYO_KEY", KEY);

    @BeforeEach
    void serve() {
        server.setDispatcher(klaviyo);
    }

    @AfterEach
    void everyRequestAndAnswerAgreesWithTheDescription() throws InterruptedException {
        KlaviyoContract.assertEveryRequestValid(server);
        for (FakeKlaviyo.Answer answer :
                KlaviyoContract.available() ? klaviyo.answers() : List.<FakeKlaviyo.Answer>of()) {
            assertThat(KlaviyoContract.checkAnswer(answer.request(), answer.document())
                            .getMessages())
                    .as("the fake's answer to %s", answer.request().getUrl())
                    .isEmpty();
        }
    }

    private Map<String, String> settings() {
        Map<String, String> settings = new HashMap<>();
        settings.put("api_key", "${KLAVIYO_KEY}");
        settings.put("base_url", server.url("/").toString());
        return settings;
    }

    private OrderSource open(Map<String, String> settings, Partitions.Slice slice) {
        return new KlaviyoOrderSources(new Secrets(environment), sleeper, new RateLimits())
                .open(new OrderReading("acme", Map.of(), slice, "7", new IntegrationSettings("klaviyo", settings)));
    }

    private OrderSource open() {
        return open(settings(), Partitions.Slice.ALL);
    }

    /** Every page from the first, until one has no next. */
    private static List<Page<IncomingOrder>> readAll(OrderSource source, Instant since) throws Exception {
        List<Page<IncomingOrder>> pages = new ArrayList<>();
        String cursor = null;
        do {
            Page<IncomingOrder> page = source.fetch(since, cursor);
            pages.add(page);
            cursor = page.next();
        } while (cursor != null && pages.size() < 20);
        return pages;
    }

    private static List<IncomingOrder> orders(List<Page<IncomingOrder>> pages) {
        return pages.stream()
                .flatMap(page -> page.lines().stream())
                .map(line -> ((ImportLine.Accepted<IncomingOrder>) line).value())
                .toList();
    }

    private List<RecordedRequest> requests() throws InterruptedException {
        return KlaviyoContract.assertEveryRequestValid(server);
    }

    private FakeKlaviyo oneMetric() {
        return klaviyo.metricsPage(
                metric("VwProd", "Viewed Product", "Shopify", "eCommerce", "2023-02-01T00:00:00+00:00"),
                metric(PLACED_ORDER, "Placed Order", "Shopify", "eCommerce", "2023-02-01T00:00:00+00:00"));
    }

    /** An order event: Shopify-style properties, its own profile with an address. */
    private static ObjectNode order(String orderId, String datetime, String value) {
        return event(
                "ev" + orderId,
                PLACED_ORDER,
                datetime,
                "pr" + orderId,
                json("{'$event_id': '" + orderId + "', '$value': " + value + ", 'Discount Codes': []}"));
    }

    private static ObjectNode customer(String orderId) {
        return profile(
                "pr" + orderId,
                "customer" + orderId + "@example.com",
                json("{'address1': '1 Main St', 'city': 'Springfield', 'region': 'IL', 'zip': '62701',"
                        + " 'country': 'United States'}"),
                json("{}"));
    }

    @Test
    void findsThePlacedOrderMetricOnAnyPageOfMetrics() throws Exception {
        klaviyo.metricsPage(
                        metric("ActSite", "Active on Site", "API", "API", "2022-01-01T00:00:00+00:00"),
                        metric("VwProd", "Viewed Product", "Shopify", "eCommerce", "2023-02-01T00:00:00+00:00"))
                .metricsPage(metric(PLACED_ORDER, "Placed Order", "Shopify", "eCommerce", "2023-02-01T00:00:00+00:00"))
                .eventsPage(List.of(order("1001", "2024-02-01T10:00:00+00:00", "10")), customer("1001"));

        assertThat(orders(readAll(open(), null)))
                .extracting(IncomingOrder::providerOrderId)
                .containsExactly("1001");

        List<RecordedRequest> requests = requests();
        assertThat(requests)
                .extracting(r -> r.getUrl().encodedPath())
                .containsExactly("/api/metrics", "/api/metrics/", "/api/events");
        assertThat(requests.get(0).getUrl().queryParameter("fields[metric]")).isEqualTo("name,created,integration");
        assertThat(requests.get(1).getUrl().queryParameter("page[cursor]")).isEqualTo("cursor1");
        assertThat(requests.get(2).getUrl().queryParameter("filter")).isEqualTo("equals(metric_id,\"PoShop\")");
    }

    @Test
    void readsTheStorePlatformsPlacedOrderMetricWhenSeveralHaveTheName() throws Exception {
        klaviyo.metricsPage(
                        metric("PoApi", "Placed Order", "API", "API", "2020-05-01T00:00:00+00:00"),
                        metric(PLACED_ORDER, "Placed Order", "Shopify", "eCommerce", "2023-02-01T00:00:00+00:00"),
                        metric("PoWoo", "Placed Order", "WooCommerce", "eCommerce", "2024-07-01T00:00:00+00:00"))
                .eventsPage(List.of());

        readAll(open(), null);

        assertThat(requests().get(1).getUrl().queryParameter("filter")).isEqualTo("equals(metric_id,\"PoShop\")");
    }

    @Test
    void anAccountWithoutAPlacedOrderMetricHasNoOrders() throws Exception {
        klaviyo.metricsPage(metric("VwProd", "Viewed Product", "Shopify", "eCommerce", "2023-02-01T00:00:00+00:00"));

        Page<IncomingOrder> page = open().fetch(null, null);

        assertThat(page.lines()).isEmpty();
        assertThat(page.isLast()).isTrue();
        assertThat(requests()).extracting(r -> r.getUrl().encodedPath()).containsExactly("/api/metrics");
    }

    @Test
    void asksForTheMetricsEventsSinceTheCheckpointOldestFirstWithTheirProfiles() throws Exception {
        oneMetric().eventsPage(List.of());

        open().fetch(Instant.parse("2024-01-01T00:00:00.750Z"), null);

        RecordedRequest events = requests().get(1);
        HttpUrl url = events.getUrl();
        assertThat(events.getMethod()).isEqualTo("GET");
        assertThat(url.encodedPath()).isEqualTo("/api/events");
        assertThat(url.queryParameter("filter"))
                .isEqualTo("and(equals(metric_id,\"PoShop\"),greater-or-equal(datetime,2024-01-01T00:00:00Z))");
        assertThat(url.queryParameter("sort")).isEqualTo("datetime");
        assertThat(url.queryParameter("include")).isEqualTo("profile");
        assertThat(url.queryParameter("page[size]")).isEqualTo("200");
        assertThat(url.queryParameter("fields[profile]")).isEqualTo("email,location,properties");
        assertThat(events.getHeaders().get("Authorization")).isEqualTo("Klaviyo-API-Key " + KEY);
        assertThat(events.getHeaders().get("revision")).isEqualTo("2026-07-15");
        assertThat(events.getHeaders().get("accept")).isEqualTo("application/vnd.api+json");
    }

    @Test
    void withoutACheckpointAsksForAllTheMetricsEvents() throws Exception {
        oneMetric().eventsPage(List.of());

        open().fetch(null, null);

        assertThat(requests().get(1).getUrl().queryParameter("filter")).isEqualTo("equals(metric_id,\"PoShop\")");
    }

    @Test
    void readsEveryPageByItsNextLinkToTheLast() throws Exception {
        oneMetric()
                .eventsPage(
                        List.of(
                                order("1", "2024-02-01T10:00:00+00:00", "10"),
                                order("2", "2024-02-01T11:00:00+00:00", "20")),
                        customer("1"),
                        customer("2"))
                .eventsPage(List.of(order("3", "2024-02-02T10:00:00+00:00", "30")), customer("3"))
                .eventsPage(List.of(order("4", "2024-02-03T10:00:00+00:00", "40")), customer("4"));

        List<Page<IncomingOrder>> pages = readAll(open(), Instant.parse("2024-01-01T00:00:00Z"));

        assertThat(orders(pages)).extracting(IncomingOrder::providerOrderId).containsExactly("1", "2", "3", "4");
        assertThat(pages).hasSize(3);
        assertThat(pages.get(2).next()).isNull();
        List<RecordedRequest> requests = requests();
        assertThat(requests)
                .extracting(r -> r.getUrl().encodedPath())
                .containsExactly("/api/metrics", "/api/events", "/api/events/", "/api/events/");
        assertThat(requests.get(2).getUrl().toString()).isEqualTo(pages.get(0).next());
        assertThat(requests.get(3).getUrl().toString()).isEqualTo(pages.get(1).next());
        assertThat(requests.get(3).getUrl().queryParameter("page[cursor]")).isEqualTo("cursor2");
        assertThat(requests.get(3).getUrl().queryParameter("filter")).contains("greater-or-equal(datetime,");
    }

    @Test
    void aPagesCursorFetchesThatPageAgainInAnotherProcess() throws Exception {
        oneMetric()
                .eventsPage(List.of(order("1", "2024-02-01T10:00:00+00:00", "10")), customer("1"))
                .eventsPage(List.of(order("2", "2024-02-02T10:00:00+00:00", "20")), customer("2"));
        String cursor = open().fetch(null, null).next();
        requests();

        Page<IncomingOrder> again = open().fetch(null, cursor);

        assertThat(orders(List.of(again)))
                .extracting(IncomingOrder::providerOrderId)
                .containsExactly("2");
        assertThat(again.isLast()).isTrue();
        assertThat(requests()).extracting(r -> r.getUrl().toString()).containsExactly(cursor);
    }

    @Test
    void mapsAShopifyEventAndItsProfileToAnOrder() throws Exception {
        oneMetric()
                .eventsPage(
                        List.of(event(
                                "3qvVhKQtXdR",
                                PLACED_ORDER,
                                "2024-03-05T14:30:00+00:00",
                                "01HPROFILE",
                                json("{'$event_id': '5001', '$value': 59.970000000000006, '$currency_code': 'USD',"
                                        + " 'Discount Codes': ['WELCOME10', 'VIP'], 'Item Count': 3}"))),
                        profile(
                                "01HPROFILE",
                                "Sarah.Mason@Example.com",
                                json(
                                        "{'address1': '89 E 42nd Street', 'address2': 'Apt 4', 'city': 'New York', 'region':"
                                                + " 'NY', 'zip': '10017-1234', 'country': 'United States', 'latitude': '40.7128',"
                                                + " 'longitude': -74.006, 'timezone': 'America/New_York'}"),
                                json("{'active_subscription_start_date': '2024-01-15'}")));

        IncomingOrder order = orders(readAll(open(), null)).get(0);

        assertThat(order.providerOrderId()).isEqualTo("5001");
        assertThat(order.orderedAt()).isEqualTo(Instant.parse("2024-03-05T14:30:00Z"));
        assertThat(order.changedAt()).isEqualTo(order.orderedAt());
        assertThat(order.cancelledAt()).isNull();
        assertThat(order.total()).isEqualTo(new BigDecimal("59.97"));
        assertThat(order.currency()).isEqualTo("USD");
        assertThat(order.discountCodes()).containsExactly("WELCOME10", "VIP");
        assertThat(order.email()).isEqualTo("Sarah.Mason@Example.com");
        assertThat(order.emailLower()).isEqualTo("sarah.mason@example.com");
        assertThat(order.shippingAddress1()).isEqualTo("89 E 42nd Street");
        assertThat(order.shippingAddress2()).isEqualTo("Apt 4");
        assertThat(order.shippingCity()).isEqualTo("New York");
        assertThat(order.shippingRegion()).isEqualTo("NY");
        assertThat(order.shippingZip()).isEqualTo("10017-1234");
        assertThat(order.shippingCountry()).isEqualTo("US");
        assertThat(order.addressKey()).isEqualTo(AddressKey.of("89 E 42nd Street", "Apt 4", "10017-1234", "US"));
        assertThat(order.activeSubscriptionStart()).isEqualTo(Instant.parse("2024-01-15T00:00:00Z"));
    }

    @Test
    void mapsACustomApiEventToo() throws Exception {
        oneMetric()
                .eventsPage(
                        List.of(event(
                                "4vRpBTa9Hk2",
                                PLACED_ORDER,
                                "2024-04-01T08:00:00+00:00",
                                "01HBERLIN",
                                json(
                                        "{'OrderId': 'A-1001', '$event_id': 'A-1001-placed', '$value': '45.5', 'Currency': 'eur',"
                                                + " 'DiscountCode': 'SPRING', 'ShippingAddress': {'Address1': 'Torstrasse 1',"
                                                + " 'CountryCode': 'DE'}}"))),
                        profile(
                                "01HBERLIN",
                                "kunde@example.de",
                                json(
                                        "{'address1': 'Torstrasse 1', 'city': 'Berlin', 'zip': '10119', 'country': 'Germany'}"),
                                json("{'active_subscription_start_date': '2024-02-01T09:30:00+01:00'}")));

        IncomingOrder order = orders(readAll(open(), null)).get(0);

        assertThat(order.providerOrderId()).isEqualTo("A-1001");
        assertThat(order.total()).isEqualTo(new BigDecimal("45.50"));
        assertThat(order.currency()).isEqualTo("EUR");
        assertThat(order.discountCodes()).containsExactly("SPRING");
        assertThat(order.codesUpper()).containsExactly("SPRING");
        assertThat(order.shippingCountry()).isEqualTo("DE");
        assertThat(order.addressKey()).isEqualTo(AddressKey.of("Torstrasse 1", null, "10119", "DE"));
        assertThat(order.activeSubscriptionStart()).isEqualTo(Instant.parse("2024-02-01T08:30:00Z"));
    }

    @Test
    void aMalformedEventIsRejectedWithItsIdAndTheRestOfThePageIsRead() throws Exception {
        oneMetric()
                .eventsPage(
                        List.of(
                                order("1", "2024-02-01T10:00:00+00:00", "10"),
                                order("2", "2024-02-01T11:00:00+00:00", "'ten dollars'"),
                                order("3", "2024-02-01T12:00:00+00:00", "-5"),
                                order("4", "2024-02-01T13:00:00+00:00", "40")),
                        customer("1"),
                        customer("2"),
                        customer("3"),
                        customer("4"));

        List<ImportLine<IncomingOrder>> lines = open().fetch(null, null).lines();

        assertThat(lines).hasSize(4);
        assertThat(lines).allSatisfy(line -> assertThat(line.line()).isZero());
        assertThat(((ImportLine.Accepted<IncomingOrder>) lines.get(0)).value().providerOrderId())
                .isEqualTo("1");
        ImportLine.Rejected<IncomingOrder> notANumber = (ImportLine.Rejected<IncomingOrder>) lines.get(1);
        assertThat(notANumber.recordId()).isEqualTo("2");
        assertThat(notANumber.reason()).isEqualTo("event_properties.$value 'ten dollars' is not a number");
        assertThat(notANumber.raw()).startsWith("{\"type\":\"event\",\"id\":\"ev2\"");
        ImportLine.Rejected<IncomingOrder> negative = (ImportLine.Rejected<IncomingOrder>) lines.get(2);
        assertThat(negative.recordId()).isEqualTo("3");
        assertThat(negative.reason()).isEqualTo("total -5 is negative");
        assertThat(((ImportLine.Accepted<IncomingOrder>) lines.get(3)).value().providerOrderId())
                .isEqualTo("4");
    }

    @Test
    void waitsOutA429ForItsRetryAfterAndAsksAgain() throws Exception {
        klaviyo.answerFirst(FakeKlaviyo.throttled(7));
        oneMetric().eventsPage(List.of(order("1", "2024-02-01T10:00:00+00:00", "10")), customer("1"));

        List<IncomingOrder> orders = orders(readAll(open(), null));

        assertThat(orders).hasSize(1);
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(7));
        assertThat(requests())
                .extracting(r -> r.getUrl().encodedPath())
                .containsExactly("/api/metrics", "/api/metrics", "/api/events");
    }

    @Test
    void aServerErrorIsAskedAgainAfterABackoff() throws Exception {
        klaviyo.answerFirst(FakeKlaviyo.status(503, "error", "Service unavailable."));
        oneMetric().eventsPage(List.of(order("1", "2024-02-01T10:00:00+00:00", "10")), customer("1"));

        assertThat(orders(readAll(open(), null))).hasSize(1);
        assertThat(sleeper.sleeps()).hasSize(1);
        requests();
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void refusedCredentialsFailAtOnceSayingSoWithoutTheKey(int status) throws Exception {
        klaviyo.answerFirst(FakeKlaviyo.status(
                status, status == 401 ? "not_authenticated" : "permission_denied", "Incorrect authentication."));
        OrderSource source = open();

        assertThatThrownBy(() -> source.fetch(null, null))
                .isInstanceOf(ProviderHttpException.class)
                .hasMessageContaining("status " + status)
                .hasMessageContaining("Klaviyo refused the credentials")
                .hasMessageContaining("integrations.klaviyo.api_key")
                .hasMessageNotContaining(KEY);
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(sleeper.sleeps()).isEmpty();
        requests();
    }

    @Test
    void aRequestKlaviyoRefusesFailsWithItsErrorCode() throws Exception {
        klaviyo.answerFirst(
                FakeKlaviyo.status(400, "invalid", "Invalid filter provided. Verify your parentheses match."));

        assertThatThrownBy(() -> open().fetch(null, null))
                .isInstanceOf(ProviderHttpException.class)
                .hasMessageContaining("status 400")
                .hasMessageContaining("invalid: Invalid filter provided");
        requests();
    }

    @Test
    void theBaseUrlTakesTheRequestsWithTheDocumentedPaths() throws Exception {
        Map<String, String> settings = settings();
        settings.put("base_url", server.url("/").toString().replaceAll("/$", ""));
        oneMetric().eventsPage(List.of());

        open(settings, Partitions.Slice.ALL).fetch(null, null);

        assertThat(requests()).extracting(r -> r.getUrl().encodedPath()).containsExactly("/api/metrics", "/api/events");
    }

    @Test
    void withoutABaseUrlTheDocumentedHostIsTheOnlyOneTheKeyGoesTo() {
        Map<String, String> settings = settings();
        settings.remove("base_url");
        String cursor = server.url("/api/events/?page%5Bcursor%5D=cursor1").toString();

        assertThatThrownBy(() -> open(settings, Partitions.Slice.ALL).fetch(null, cursor))
                .hasMessageContaining("is not on the configured base URL https://a.klaviyo.com:443");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void aNextLinkToAnotherHostIsNotFollowed() throws Exception {
        klaviyo.linkTo(HttpUrl.get("https://klaviyo.example.net/"));
        oneMetric()
                .eventsPage(List.of(order("1", "2024-02-01T10:00:00+00:00", "10")), customer("1"))
                .eventsPage(List.of(order("2", "2024-02-02T10:00:00+00:00", "20")), customer("2"));

        assertThatThrownBy(() -> readAll(open(), null))
                .hasMessageContaining("klaviyo.example.net")
                .hasMessageContaining("not followed, so that the API key goes nowhere else");
        assertThat(requests()).hasSize(2);
    }

    @Test
    void aNextLinkOfTheMetricsToAnotherHostIsNotFollowedEither() throws Exception {
        klaviyo.linkTo(HttpUrl.get("http://127.0.0.2:" + server.getPort() + "/"))
                .metricsPage(metric("VwProd", "Viewed Product", "Shopify", "eCommerce", "2023-02-01T00:00:00+00:00"))
                .metricsPage(metric(PLACED_ORDER, "Placed Order", "Shopify", "eCommerce", "2023-02-01T00:00:00+00:00"));

        assertThatThrownBy(() -> open().fetch(null, null))
                .hasMessageStartingWith("klaviyo acme: the next page's link http://127.0.0.2:")
                .hasMessageContaining("not followed");
        assertThat(requests()).hasSize(1);
    }

    @Test
    void aCursorOnAnotherPortIsRefusedWithoutARequest() {
        String cursor = HttpUrl.get(
                        server.url("/api/events/?page%5Bcursor%5D=cursor1").toString())
                .newBuilder()
                .port(server.getPort() + 1)
                .build()
                .toString();

        assertThatThrownBy(() -> open().fetch(null, cursor)).hasMessageContaining("not on the configured base URL");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void eachPartitionKeepsTheOrdersWhoseIdHashesIntoItsSlice() throws Exception {
        List<ObjectNode> events = new ArrayList<>();
        List<ObjectNode> profiles = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            events.add(order(String.valueOf(i), "2024-02-01T10:00:00+00:00", "10"));
            profiles.add(customer(String.valueOf(i)));
        }
        oneMetric().eventsPage(events, profiles.toArray(ObjectNode[]::new));

        List<IncomingOrder> first = orders(readAll(open(settings(), new Partitions.Slice(0, 2)), null));
        List<IncomingOrder> second = orders(readAll(open(settings(), new Partitions.Slice(1, 2)), null));

        assertThat(first)
                .isNotEmpty()
                .allSatisfy(o -> assertThat(Math.floorMod(o.providerOrderId().hashCode(), 2))
                        .isZero());
        assertThat(second)
                .isNotEmpty()
                .allSatisfy(o -> assertThat(Math.floorMod(o.providerOrderId().hashCode(), 2))
                        .isOne());
        assertThat(first.size() + second.size()).isEqualTo(12);
        requests();
    }

    @Test
    void itsProviderAndLocationNameTheOrganizationNeverTheUrlOrKey() {
        OrderSource source = open();

        assertThat(source.provider()).isEqualTo("klaviyo");
        assertThat(source.location()).isEqualTo("klaviyo acme");
        assertThat(new KlaviyoOrderSources(new Secrets(environment)).provider()).isEqualTo("klaviyo");
    }

    @Test
    void aMissingApiKeyIsRefusedWhenTheSourceOpens() {
        Map<String, String> settings = settings();
        settings.remove("api_key");

        assertThatThrownBy(() -> open(settings, Partitions.Slice.ALL))
                .hasMessage("integrations.klaviyo.api_key is not set in the organization's apply file");
    }

    @Test
    void anUnsetKeyVariableIsRefusedNamingIt() {
        Map<String, String> settings = settings();
        settings.put("api_key", "${KLAVIYO_OTHER_KEY}");

        assertThatThrownBy(() -> open(settings, Partitions.Slice.ALL))
                .hasMessageContaining("integrations.klaviyo.api_key")
                .hasMessageContaining("KLAVIYO_OTHER_KEY");
    }
}
