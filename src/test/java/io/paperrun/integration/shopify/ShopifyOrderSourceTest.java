package io.paperrun.integration.shopify;

import static io.paperrun.integration.shopify.ShopifyFixture.TOKEN;
import static io.paperrun.integration.shopify.ShopifyFixture.id;
import static io.paperrun.integration.shopify.ShopifyFixture.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paperrun.batch.ImportLine;
import io.paperrun.batch.Page;
import io.paperrun.batch.Partitions;
import io.paperrun.integration.http.Backoff;
import io.paperrun.integration.http.ProviderHttpException;
import io.paperrun.order.IncomingOrder;
import io.paperrun.order.OrderSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class ShopifyOrderSourceTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant FIRST_UPDATE = Instant.parse("2026-05-01T00:00:00Z");

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final ShopifyFixture fixture = new ShopifyFixture(server);

    private FakeShopify serve(FakeShopify.Builder shop) {
        FakeShopify fake = shop.build();
        server.setDispatcher(fake);
        return fake;
    }

    private static List<String> generatedIds(int from, int to) {
        return IntStream.range(from, to)
                .mapToObj(i -> String.valueOf(FakeShopify.FIRST_ID + i))
                .toList();
    }

    private JsonNode body(RecordedRequest request) {
        return JSON.readTree(request.getBody().utf8());
    }

    private RecordedRequest nextRequest() throws InterruptedException {
        return server.takeRequest(1, TimeUnit.SECONDS);
    }

    @Test
    void readsPageAfterPageUntilOneHasNoNext() throws Exception {
        serve(fixture.shop().generated(600, FIRST_UPDATE, 1));
        OrderSource source = fixture.open();

        Page<IncomingOrder> first = source.fetch(null, null);
        Page<IncomingOrder> second = source.fetch(null, first.next());
        Page<IncomingOrder> third = source.fetch(null, second.next());

        assertThat(first.lines()).hasSize(250);
        assertThat(second.lines()).hasSize(250);
        assertThat(third.lines()).hasSize(100);
        assertThat(first.next()).isNotNull();
        assertThat(second.next()).isNotNull().isNotEqualTo(first.next());
        assertThat(third.next()).isNull();
        List<String> ids = new ArrayList<>();
        for (Page<IncomingOrder> page : List.of(first, second, third)) {
            page.lines().forEach(line -> ids.add(id(line)));
            assertThat(page.lines()).allSatisfy(line -> assertThat(line.line()).isZero());
        }
        assertThat(ids).containsExactlyElementsOf(generatedIds(0, 600));
    }

    @Test
    void aPageIsAskedAgainWithTheSameCursorAndSinceAndComesBackTheSame() throws Exception {
        serve(fixture.shop().generated(600, FIRST_UPDATE, 1));
        Instant since = FIRST_UPDATE.plusSeconds(100);
        String cursor = fixture.open().fetch(since, null).next();

        Page<IncomingOrder> once = fixture.open().fetch(since, cursor);
        Page<IncomingOrder> again = fixture.open().fetch(since, cursor);

        assertThat(again).isEqualTo(once);
        assertThat(once.lines().stream().map(ShopifyFixture::id)).containsExactlyElementsOf(generatedIds(350, 600));
    }

    @Test
    void theQueryIsPostedToTheVersionsPathWithTheTokenTheSinceTheCursorAndTheSort() throws Exception {
        serve(fixture.shop().generated(300, FIRST_UPDATE, 1));
        OrderSource source = fixture.open();
        Instant since = Instant.parse("2026-05-01T00:00:10Z");

        String next = source.fetch(since, null).next();
        source.fetch(since, next);
        source.fetch(null, null);

        RecordedRequest first = nextRequest();
        assertThat(first.getMethod()).isEqualTo("POST");
        assertThat(first.getUrl().encodedPath()).isEqualTo("/admin/api/2026-07/graphql.json");
        assertThat(first.getHeaders().get("X-Shopify-Access-Token")).isEqualTo(TOKEN);
        assertThat(first.getHeaders().get("Content-Type")).startsWith("application/json");
        JsonNode body = body(first);
        assertThat(body.path("query").asString())
                .contains("orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT)");
        assertThat(body.path("variables").path("first").asInt()).isEqualTo(250);
        assertThat(body.path("variables").path("after").isNull()).isTrue();
        assertThat(body.path("variables").path("query").asString()).isEqualTo("updated_at:>='2026-05-01T00:00:10Z'");

        JsonNode second = body(nextRequest()).path("variables");
        assertThat(second.path("after").asString()).isEqualTo(next);
        assertThat(second.path("query").asString()).isEqualTo("updated_at:>='2026-05-01T00:00:10Z'");

        JsonNode all = body(nextRequest()).path("variables");
        assertThat(all.path("query").isNull()).isTrue();
    }

    @Test
    void aSinceWithAFractionAsksFromTheSecondBelowIt() {
        assertThat(ShopifyOrderSource.filter(Instant.parse("2026-05-01T00:00:10.750Z")))
                .isEqualTo("updated_at:>='2026-05-01T00:00:10Z'");
        assertThat(ShopifyOrderSource.filter(null)).isNull();
    }

    @Test
    void onlyOrdersUpdatedAtOrAfterSinceAreRead() throws Exception {
        serve(fixture.shop().generated(400, FIRST_UPDATE, 1));

        List<ImportLine<IncomingOrder>> lines = readAll(fixture.open(), FIRST_UPDATE.plusSeconds(123));

        assertThat(lines.stream().map(ShopifyFixture::id)).containsExactlyElementsOf(generatedIds(123, 400));
    }

    @Test
    void pageBoundariesInsideRunsOfEqualUpdateTimesLoseAndDoubleNoOrder() throws Exception {
        // 7 orders a second: pages of 250 end inside a second; since falls inside one too.
        serve(fixture.shop().generated(1_000, FIRST_UPDATE, 7));

        List<ImportLine<IncomingOrder>> lines = readAll(fixture.open(), FIRST_UPDATE.plusSeconds(10));

        assertThat(lines.stream().map(ShopifyFixture::id)).containsExactlyElementsOf(generatedIds(70, 1_000));
    }

    @Test
    void ordersAllUpdatedInTheSameSecondArePagedByIdWithoutLossOrDouble() throws Exception {
        Instant same = Instant.parse("2026-05-02T09:30:00Z");
        List<ObjectNode> orders = new ArrayList<>();
        for (int i = 0; i < 520; i++) {
            orders.add(FakeShopify.order(9_000 - i, same.minusSeconds(3600), same));
        }
        serve(fixture.shop().orders(orders));

        List<ImportLine<IncomingOrder>> lines = readAll(fixture.open(), same);

        List<String> ids = lines.stream().map(ShopifyFixture::id).toList();
        assertThat(ids).hasSize(520).doesNotHaveDuplicates();
        assertThat(new HashSet<>(ids))
                .isEqualTo(IntStream.range(0, 520)
                        .mapToObj(i -> String.valueOf(9_000 - i))
                        .collect(Collectors.toSet()));
    }

    @Test
    void theSlicesOfAPartitionedReadShareTheOrdersOut() throws Exception {
        serve(fixture.shop().generated(300, FIRST_UPDATE, 3));

        List<String> zero = readAll(fixture.open(fixture.settings(), new Partitions.Slice(0, 2)), null).stream()
                .map(ShopifyFixture::id)
                .toList();
        List<String> one = readAll(fixture.open(fixture.settings(), new Partitions.Slice(1, 2)), null).stream()
                .map(ShopifyFixture::id)
                .toList();

        assertThat(zero).isNotEmpty().doesNotContainAnyElementsOf(one);
        Set<String> both = new HashSet<>(zero);
        both.addAll(one);
        assertThat(both).containsExactlyInAnyOrderElementsOf(generatedIds(0, 300));
    }

    @Test
    void queriesArePacedByTheBucketSoTheShopNeverThrottles() throws Exception {
        // 252 points a page (2 + 250 x 1); the bucket of 1000 restores 100 a second.
        FakeShopify shop =
                serve(fixture.shop().generated(2_500, FIRST_UPDATE, 1).bucket(1_000, 100));

        List<ImportLine<IncomingOrder>> lines = readAll(fixture.open(), null);

        assertThat(lines).hasSize(2_500);
        assertThat(shop.throttledRequests()).isZero();
        assertThat(shop.requests()).isEqualTo(10);
        assertThat(fixture.clock.sleeps())
                .isNotEmpty()
                .allSatisfy(wait -> assertThat(wait).isLessThanOrEqualTo(Duration.ofMillis(2_520)));
        // 3 pages from the full bucket, then each page waits for what the last one spent: nothing is left over.
        assertThat(fixture.clock.slept()).isEqualTo(Duration.ofMillis((252 * 10 - 1_000) * 10));
        assertThat(shop.usage().throughputUsed()).isGreaterThan(0.99);
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 429})
    void aThrottledAnswerIsWaitedOutAndTheSamePageAskedAgain(int status) throws Exception {
        FakeShopify shop = serve(fixture.shop()
                .generated(600, FIRST_UPDATE, 1)
                .bucket(1_000, 100)
                .initiallyAvailable(0)
                .throttledStatus(status));

        Page<IncomingOrder> page = fixture.open().fetch(FIRST_UPDATE, null);

        assertThat(page.lines().stream().map(ShopifyFixture::id)).containsExactlyElementsOf(generatedIds(0, 250));
        assertThat(shop.throttledRequests()).isEqualTo(1);
        assertThat(shop.requests()).isEqualTo(2);
        assertThat(body(nextRequest())).isEqualTo(body(nextRequest()));
        // The answer said 0 of the 252 points the query requests were there, restoring 100 a second.
        assertThat(fixture.clock.sleeps()).containsExactly(Duration.ofMillis(2_520));
    }

    @Test
    void aRetryAfterLongerThanTheBucketNeedsIsHonoured() throws Exception {
        serve(fixture.shop()
                .generated(10, FIRST_UPDATE, 1)
                .bucket(1_000, 100)
                .initiallyAvailable(200)
                .throttledStatus(429)
                .retryAfterSeconds(3));

        assertThat(fixture.open().fetch(null, null).lines()).hasSize(10);

        // The bucket lacked 52 points (0.52 s); Retry-After asked for 3 s.
        assertThat(fixture.clock.slept()).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        assertThat(fixture.clock.sleeps().get(0)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aShopThatKeepsThrottlingFailsThePageAfterTheBound() {
        fixture.throttling(new Backoff(5, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMinutes(1)));
        MockResponse throttled = new MockResponse.Builder()
                .code(200)
                .body("{\"errors\":[{\"message\":\"Throttled\",\"extensions\":{\"code\":\"THROTTLED\"}}]}")
                .build();
        for (int i = 0; i < 12; i++) {
            server.enqueue(throttled);
        }

        assertThatThrownBy(() -> fixture.open().fetch(null, null))
                .isInstanceOf(ProviderHttpException.class)
                .hasMessageContaining("status 200")
                .hasMessageContaining("shopify still throttled the query after 5 attempts; gave up");
        assertThat(server.getRequestCount()).isEqualTo(5);
    }

    @Test
    void aBucketThatWouldTakeTooLongToRefillFailsThePage() {
        serve(fixture.shop().generated(10, FIRST_UPDATE, 1).bucket(1_000, 1).initiallyAvailable(0));

        assertThatThrownBy(() -> fixture.open().fetch(null, null))
                .hasMessageContaining("shopify acme-co: the cost bucket needs 252000 ms more")
                .hasMessageContaining("beyond the 120 s a page may wait");
    }

    @Test
    void aPageCostingMoreThanAQueryMayIsAskedForWithFewerOrders() throws Exception {
        // 5 points an order: 250 cost 1252, more than the 1000 a query may; 199 cost 997.
        FakeShopify shop = serve(fixture.shop().generated(500, FIRST_UPDATE, 1).perOrderCost(5));

        List<ImportLine<IncomingOrder>> lines = readAll(fixture.open(), null);

        assertThat(lines.stream().map(ShopifyFixture::id)).containsExactlyElementsOf(generatedIds(0, 500));
        assertThat(body(nextRequest()).path("variables").path("first").asInt()).isEqualTo(250);
        assertThat(body(nextRequest()).path("variables").path("first").asInt()).isEqualTo(199);
        assertThat(body(nextRequest()).path("variables").path("first").asInt()).isEqualTo(199);
        assertThat(shop.throttledRequests()).isZero();
    }

    @Test
    void serverErrorsAreRetried() throws Exception {
        FakeShopify shop = serve(fixture.shop().generated(10, FIRST_UPDATE, 1));
        shop.failNext(2, 503);

        assertThat(fixture.open().fetch(null, null).lines()).hasSize(10);
        assertThat(shop.requests()).isEqualTo(3);
    }

    @Test
    void serverErrorsBeyondTheRetriesFailThePage() {
        FakeShopify shop = serve(fixture.shop().generated(10, FIRST_UPDATE, 1));
        shop.failNext(10, 502);

        assertThatThrownBy(() -> fixture.open().fetch(null, null))
                .isInstanceOf(ProviderHttpException.class)
                .hasMessageContaining("gave up after 4 attempts, last status 502");
    }

    @Test
    void aWrongTokenFailsAtOnceNamingShopifyAndTheStatusButNotTheToken() throws Exception {
        FakeShopify shop = serve(fixture.shop().accessToken("shpat_another").generated(10, FIRST_UPDATE, 1));

        assertThatThrownBy(() -> fixture.open().fetch(null, null))
                .isInstanceOf(ProviderHttpException.class)
                .hasMessageContaining("status 401")
                .hasMessageContaining("shopify refused the credentials of shop acme-co")
                .hasMessageNotContaining(TOKEN);
        assertThat(shop.requests()).isEqualTo(1);
        assertThat(fixture.clock.sleeps()).isEmpty();
    }

    @Test
    void forbiddenFailsAtOnce() {
        server.enqueue(new MockResponse.Builder()
                .code(403)
                .body("{\"errors\":\"[API] This action requires merchant approval for read_orders scope.\"}")
                .build());
        server.enqueue(new MockResponse.Builder().code(200).body("{}").build());

        assertThatThrownBy(() -> fixture.open().fetch(null, null))
                .isInstanceOf(ProviderHttpException.class)
                .hasMessageContaining("status 403")
                .hasMessageContaining("shopify refused the credentials")
                .hasMessageNotContaining(TOKEN);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void otherGraphQlErrorsFailThePageWithTheirMessageRedacted() {
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .body("{\"errors\":[{\"message\":\"Field 'nope' doesn't exist (sent with " + TOKEN + ")\","
                        + "\"extensions\":{\"code\":\"undefinedField\"}}]}")
                .build());

        assertThatThrownBy(() -> fixture.open().fetch(null, null))
                .isInstanceOf(ProviderHttpException.class)
                .hasMessageContaining("the orders query failed: Field 'nope' doesn't exist (sent with [redacted])"
                        + " (undefinedField)")
                .hasMessageNotContaining(TOKEN);
    }

    @Test
    void anEmptyPageThatSaysMoreFollowWithoutANewCursorEndsTheReading() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .body("{\"data\":{\"orders\":{\"edges\":[],"
                        + "\"pageInfo\":{\"hasNextPage\":true,\"endCursor\":null}}}}")
                .build());
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .body("{\"data\":{\"orders\":{\"edges\":[],"
                        + "\"pageInfo\":{\"hasNextPage\":true,\"endCursor\":\"c2\"}}}}")
                .build());
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .body("{\"data\":{\"orders\":{\"edges\":[],"
                        + "\"pageInfo\":{\"hasNextPage\":true,\"endCursor\":\"c2\"}}}}")
                .build());
        OrderSource source = fixture.open();

        Page<IncomingOrder> noCursor = source.fetch(null, null);
        Page<IncomingOrder> newCursor = source.fetch(null, "c1");
        Page<IncomingOrder> sameCursor = source.fetch(null, "c2");

        assertThat(noCursor.lines()).isEmpty();
        assertThat(noCursor.next()).isNull();
        assertThat(newCursor.next()).isEqualTo("c2");
        assertThat(sameCursor.next()).isNull();
    }

    @Test
    void theProviderAndLocationNameTheShopNeverAUrl() {
        OrderSource source = fixture.open();

        assertThat(source.provider()).isEqualTo("shopify");
        assertThat(source.location()).isEqualTo("shopify acme-co");
    }

    @Test
    void withoutABaseUrlTheShopsOwnHostIsAsked() {
        Map<String, String> settings = fixture.settings();
        settings.remove("base_url");
        settings.remove("api_version");

        ShopifyOrderSource source = (ShopifyOrderSource) fixture.open(settings, Partitions.Slice.ALL);

        assertThat(source.endpoint().toString())
                .isEqualTo("https://acme-co.myshopify.com/admin/api/2026-07/graphql.json");
    }

    @Test
    void theBaseUrlReplacesSchemeAndHostAndTheDocumentedPathFollows() throws Exception {
        serve(fixture.shop().generated(1, FIRST_UPDATE, 1).apiVersion("2025-10"));
        Map<String, String> settings = fixture.settings();
        settings.put("api_version", "2025-10");

        OrderSource source = fixture.open(settings, Partitions.Slice.ALL);

        assertThat(((ShopifyOrderSource) source).endpoint()).isEqualTo(server.url("/admin/api/2025-10/graphql.json"));
        assertThat(source.fetch(null, null).lines()).hasSize(1);
    }

    @Test
    void missingSettingsAreRefusedByName() {
        Map<String, String> noShop = fixture.settings();
        noShop.remove("shop");
        Map<String, String> unsetToken = fixture.settings();
        unsetToken.put("access_token", "${NO_SUCH_SHOPIFY_TOKEN}");

        assertThatThrownBy(() -> fixture.open(noShop, Partitions.Slice.ALL))
                .hasMessage("integrations.shopify.shop is not set in the organization's apply file");
        assertThatThrownBy(() -> fixture.open(unsetToken, Partitions.Slice.ALL))
                .hasMessage("integrations.shopify.access_token: environment variable NO_SUCH_SHOPIFY_TOKEN is not set");
    }
}
