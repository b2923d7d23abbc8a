package io.paperrun.integration.shopify;

import io.paperrun.batch.Excerpt;
import io.paperrun.batch.ImportLine;
import io.paperrun.batch.Page;
import io.paperrun.batch.Partitions;
import io.paperrun.batch.RejectedRowException;
import io.paperrun.integration.http.Backoff;
import io.paperrun.integration.http.ProviderHttpClient;
import io.paperrun.integration.http.RetryAfter;
import io.paperrun.integration.http.Sleeper;
import io.paperrun.order.IncomingOrder;
import io.paperrun.order.OrderSource;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One shop's orders from the Admin GraphQL API, oldest update first, {@value #PAGE_SIZE} a page (fewer if Shopify
 * finds that too costly), the cursor being Shopify's {@code endCursor}. An order's id is the number of its gid
 * ({@code gid://shopify/Order/123}: 123), as Shopify's exports show it. Queries wait for the shop's cost bucket; a
 * THROTTLED answer is waited out and asked again within {@code throttling}; test orders are rejected as skipped.
 */
public final class ShopifyOrderSource implements OrderSource {

    private static final Logger log = LoggerFactory.getLogger(ShopifyOrderSource.class);

    static final String PROVIDER = "shopify";

    /** The most orders Shopify returns a page. */
    static final int PAGE_SIZE = 250;

    /** What Shopify counts for a connection, besides what each of its nodes costs. */
    private static final double CONNECTION_COST = 2;

    /** The reason of a test order's rejected line: it is counted as skipped. */
    static final String TEST_ORDER = "test order, not synced";

    static final String QUERY = """
            query PaperRunOrders($first: Int!, $after: String, $query: String) {
              orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
                edges {
                  node {
                    id
                    createdAt
                    updatedAt
                    cancelledAt
                    test
                    email
                    discountCodes
                    totalPriceSet { shopMoney { amount currencyCode } }
                    shippingAddress { address1 address2 city province provinceCode zip countryCodeV2 }
                    customer { email }
                  }
                }
                pageInfo { hasNextPage endCursor }
              }
            }
            """;

    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ProviderHttpClient http;
    private final HttpUrl endpoint;
    private final String shop;
    private final Partitions.Slice slice;
    private final CostBucket bucket;
    private final Sleeper sleeper;
    private final Backoff throttling;

    /** {@value #PAGE_SIZE}, or fewer once Shopify refused a page's cost as more than a query may cost. */
    private int pageSize = PAGE_SIZE;

    /**
     * @param endpoint   {@code <base>/admin/api/<version>/graphql.json}
     * @param slice      the orders read: those whose id hashes into it
     * @param bucket     the shop's cost bucket, shared by the sources reading the shop
     * @param throttling how many THROTTLED answers one page may get and how long it may wait for the bucket in
     *                   all; its delays space the attempts when an answer tells nothing of the bucket
     */
    ShopifyOrderSource(
            ProviderHttpClient http,
            HttpUrl endpoint,
            String shop,
            Partitions.Slice slice,
            CostBucket bucket,
            Sleeper sleeper,
            Backoff throttling) {
        this.http = http;
        this.endpoint = endpoint;
        this.shop = shop;
        this.slice = slice;
        this.bucket = bucket;
        this.sleeper = sleeper;
        this.throttling = throttling;
    }

    /** Where the queries go: {@code <base>/admin/api/<version>/graphql.json}. */
    HttpUrl endpoint() {
        return endpoint;
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public String location() {
        return PROVIDER + " " + shop;
    }

    /**
     * The page after {@code cursor} of the orders updated at or after {@code since} (to the second below it:
     * Shopify's times have whole seconds). A node that is not a valid order is a rejected line; the rest go on.
     */
    @Override
    public Page<IncomingOrder> fetch(Instant since, String cursor) throws IOException {
        JsonNode orders = query(since, cursor).path("data").path("orders");
        if (!orders.isObject()) {
            throw new IOException(location() + ": the answer to the orders query has no data.orders");
        }
        List<ImportLine<IncomingOrder>> lines = new ArrayList<>();
        for (JsonNode edge : orders.path("edges")) {
            JsonNode node = edge.path("node");
            String id = ShopifyOrder.id(node);
            if (slice.holds(id == null ? 0 : id.hashCode())) {
                lines.add(line(id, node));
            }
        }
        return new Page<>(lines, next(orders.path("pageInfo"), cursor));
    }

    /** The search of the orders updated at or after {@code since}, to the second below it; null: all orders. */
    static String filter(Instant since) {
        return since == null
                ? null
                : "updated_at:>='" + DateTimeFormatter.ISO_INSTANT.format(since.truncatedTo(ChronoUnit.SECONDS)) + "'";
    }

    private Request request(Instant since, String cursor) {
        ObjectNode body = JSON.createObjectNode();
        body.put("query", QUERY);
        ObjectNode variables = body.putObject("variables");
        variables.put("first", pageSize);
        variables.put("after", cursor);
        variables.put("query", filter(since));
        return new Request.Builder()
                .url(endpoint)
                .post(RequestBody.create(body.toString(), JSON_TYPE))
                .tag(ProviderHttpClient.SafeToRepeat.class, ProviderHttpClient.SafeToRepeat.RETURN_429)
                .build();
    }

    private static ImportLine<IncomingOrder> line(String id, JsonNode node) {
        if (ShopifyOrder.isTest(node)) {
            return new ImportLine.Rejected<>(0, id, TEST_ORDER, Excerpt.of(node.toString()));
        }
        try {
            return new ImportLine.Accepted<>(0, ShopifyOrder.read(node));
        } catch (RejectedRowException rejected) {
            return new ImportLine.Rejected<>(0, id, rejected.getMessage(), Excerpt.of(node.toString()));
        }
    }

    /**
     * {@code endCursor} while more pages follow. A page that says more follow but gives no cursor past
     * {@code cursor} (shopify-api-js#947) ends the reading rather than asking for it again for ever.
     */
    private String next(JsonNode pageInfo, String cursor) {
        if (!pageInfo.path("hasNextPage").asBoolean(false)) {
            return null;
        }
        JsonNode end = pageInfo.path("endCursor");
        if (!end.isString() || end.stringValue().isEmpty() || end.stringValue().equals(cursor)) {
            log.warn(
                    "{}: the page after cursor {} says more pages follow but gives no new cursor; the reading ends"
                            + " here, the next sync starting from the last order read",
                    location(),
                    cursor);
            return null;
        }
        return end.stringValue();
    }

    /** The answer to the page's query, once the bucket holds its cost and Shopify no longer throttles it. */
    private JsonNode query(Instant since, String cursor) throws IOException {
        Instant deadline = sleeper.now().plus(throttling.totalTime());
        for (int attempt = 1; ; attempt++) {
            waitForTheBucket(deadline);
            try (Response response = http.execute(request(since, cursor))) {
                int status = response.code();
                if (status == 401 || status == 403) {
                    throw http.failure(
                            response,
                            "shopify refused the credentials of shop " + shop
                                    + "; check integrations.shopify.access_token");
                }
                String text = response.body().string();
                JsonNode root = parse(text);
                Optional<QueryCost> cost = root == null ? Optional.empty() : QueryCost.of(root);
                cost.ifPresent(c -> bucket.observe(c, sleeper.now()));
                if (status == 429 || isThrottled(root)) {
                    Duration wait = throttledWait(response, cost.isPresent(), attempt);
                    if (attempt >= throttling.maxAttempts()) {
                        throw http.failure(
                                response, "shopify still throttled the query after " + attempt + " attempts; gave up");
                    }
                    if (sleeper.now().plus(wait).isAfter(deadline)) {
                        throw http.failure(
                                response,
                                "shopify throttled the query, asking to wait " + wait.toMillis() + " ms, beyond the "
                                        + throttling.totalTime().toSeconds() + " s a page may wait; gave up");
                    }
                    log.info("{}: throttled (status {}), attempt {}; asking again", location(), status, attempt);
                    if (!wait.isZero()) {
                        sleep(wait);
                    }
                    continue;
                }
                if (status < 200 || status > 299) {
                    throw http.failure(response, root == null ? Excerpt.of(text) : errors(root));
                }
                if (root == null) {
                    throw http.failure(response, "the answer is not JSON: " + Excerpt.of(text));
                }
                if (attempt < throttling.maxAttempts() && fitsFewerOrders(root)) {
                    continue;
                }
                if (root.has("errors")) {
                    throw http.failure(response, "the orders query failed: " + errors(root));
                }
                return root;
            }
        }
    }

    /**
     * Before a THROTTLED query is asked again: its {@code Retry-After}, if any; when the answer told nothing of the
     * bucket, the throttling backoff's delay. The bucket's own refill is waited for before sending.
     */
    private Duration throttledWait(Response response, boolean bucketKnown, int attempt) {
        Duration retryAfter =
                RetryAfter.parse(response.header("Retry-After"), sleeper.now()).orElse(Duration.ZERO);
        if (bucketKnown) {
            return retryAfter;
        }
        Duration backoff =
                throttling.delayAfter(attempt, ThreadLocalRandom.current().nextDouble());
        return retryAfter.compareTo(backoff) > 0 ? retryAfter : backoff;
    }

    /**
     * Whether Shopify refused the query as costing more than one query may (MAX_COST_EXCEEDED) and a smaller page
     * fits: the page size becomes the most orders whose cost fits, from the cost per order the error implies.
     */
    private boolean fitsFewerOrders(JsonNode root) {
        for (JsonNode error : root.path("errors")) {
            JsonNode extensions = error.path("extensions");
            if (!"MAX_COST_EXCEEDED".equals(extensions.path("code").asString(""))) {
                continue;
            }
            int fitting = pageSize / 2;
            double perOrder = 0;
            if (extensions.path("cost").isNumber() && extensions.path("maxCost").isNumber()) {
                perOrder = (extensions.path("cost").asDouble() - CONNECTION_COST) / pageSize;
                if (perOrder > 0) {
                    fitting = (int) Math.min(
                            pageSize - 1,
                            Math.floor((extensions.path("maxCost").asDouble() - CONNECTION_COST) / perOrder));
                }
            }
            if (fitting < 1) {
                return false;
            }
            log.info(
                    "{}: a page of {} orders costs more than one query may; asking for {} a page",
                    location(),
                    pageSize,
                    fitting);
            pageSize = fitting;
            if (perOrder > 0) {
                bucket.expect(CONNECTION_COST + perOrder * fitting);
            }
            return true;
        }
        return false;
    }

    private void waitForTheBucket(Instant deadline) throws IOException {
        for (Duration wait = bucket.take(sleeper.now()); !wait.isZero(); wait = bucket.take(sleeper.now())) {
            if (sleeper.now().plus(wait).isAfter(deadline)) {
                throw new IOException(location() + ": the cost bucket needs " + wait.toMillis()
                        + " ms more to hold the next query's cost, beyond the "
                        + throttling.totalTime().toSeconds() + " s a page may wait; gave up");
            }
            log.debug("{}: waiting {} ms for the cost bucket", location(), wait.toMillis());
            sleep(wait);
        }
    }

    private void sleep(Duration wait) throws InterruptedIOException {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted =
                    new InterruptedIOException(location() + ": interrupted while waiting for the cost bucket");
            interrupted.initCause(e);
            throw interrupted;
        }
    }

    private static JsonNode parse(String text) {
        try {
            JsonNode root = JSON.readTree(text);
            return root != null && root.isObject() ? root : null;
        } catch (JacksonException notJson) {
            return null;
        }
    }

    private static boolean isThrottled(JsonNode root) {
        if (root == null) {
            return false;
        }
        for (JsonNode error : root.path("errors")) {
            if ("THROTTLED".equals(error.path("extensions").path("code").asString(""))) {
                return true;
            }
        }
        return false;
    }

    /** The GraphQL errors' messages (and codes), or the error text when {@code errors} is one. */
    private static String errors(JsonNode root) {
        JsonNode errors = root.path("errors");
        if (errors.isString()) {
            return Excerpt.of(errors.stringValue());
        }
        List<String> messages = new ArrayList<>();
        for (JsonNode error : errors) {
            String code = error.path("extensions").path("code").asString("");
            messages.add(error.path("message").asString("") + (code.isEmpty() ? "" : " (" + code + ")"));
        }
        return messages.isEmpty() ? "no GraphQL errors given" : Excerpt.of(String.join("; ", messages));
    }
}
