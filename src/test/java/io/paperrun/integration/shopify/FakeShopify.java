package io.paperrun.integration.shopify;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A shop's Admin GraphQL API as a {@link mockwebserver3.MockWebServer} dispatcher, for tests and benchmarks: the
 * {@code orders} query (its {@code first}, {@code after}, {@code updated_at:>=} search and {@code UPDATED_AT} sort)
 * over orders generated from their index ({@link Builder#generated}: none held in memory) or given
 * ({@link Builder#orders}), behind the access token header and a leaky cost bucket like Shopify's.
 *
 * <p>Cost: a query requests {@code 2 + first * perOrderCost} points (2 for the connection; Shopify counts a point
 * per object, so an order with its money, address and customer objects is about 5); one requesting more than
 * {@code maxQueryCost} is refused (MAX_COST_EXCEEDED). When the bucket holds less than the requested cost the answer
 * is THROTTLED (HTTP 200 or 429, as configured); otherwise the requested cost is taken and what the orders not
 * returned would have cost is given back, so a query costs {@code 2 + returned * perOrderCost}. The bucket holds
 * {@code maximumAvailable} points and restores {@code restoreRate} a second, on the clock given.
 */
public final class FakeShopify extends Dispatcher {

    /** The first generated order's id: order {@code i}'s is this plus {@code i}. */
    public static final long FIRST_ID = 5_000_000_000_000L;

    private static final String GID = "gid://shopify/Order/";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern PATH = Pattern.compile("/admin/api/([^/]+)/graphql\\.json");
    private static final Pattern FIRST = Pattern.compile("first:\\s*(\\d+)");
    private static final Pattern SORT_BY_UPDATE = Pattern.compile("sortKey:\\s*UPDATED_AT\\b");
    private static final Pattern UPDATED_SINCE = Pattern.compile("updated_at:(>=?)\\s*['\"]?([^'\"\\s)]+)['\"]?");

    /** Where the orders are kept or made, sorted by update time, then id. */
    private interface Orders {
        int size();

        Instant updatedAt(int i);

        long id(int i);

        ObjectNode node(int i);
    }

    /** What a benchmark reports: requests, THROTTLED ones, and points spent against the points allowed so far. */
    public record Usage(
            long requests,
            long throttled,
            long ordersServed,
            double pointsSpent,
            double pointsAllowed,
            Duration elapsed) {

        /** The share of the points the bucket allowed that queries spent, from 0 to 1. */
        public double throughputUsed() {
            return pointsAllowed == 0 ? 0 : pointsSpent / pointsAllowed;
        }

        /** The share of requests answered THROTTLED. */
        public double throttledShare() {
            return requests == 0 ? 0 : (double) throttled / requests;
        }
    }

    private final Orders orders;
    private final String accessToken;
    private final String apiVersion;
    private final double maximumAvailable;
    private final double restoreRate;
    private final double perOrderCost;
    private final double maxQueryCost;
    private final int throttledStatus;
    private final Integer retryAfterSeconds;
    private final Supplier<Instant> clock;

    private double available;
    private Instant restoredAt;
    private Instant firstRequestAt;
    private Instant lastRequestAt;
    private double initiallyAvailable;
    private long requests;
    private long throttled;
    private long ordersServed;
    private double pointsSpent;
    private int failuresLeft;
    private int failureStatus;

    private FakeShopify(Builder builder) {
        this.orders = builder.orders;
        this.accessToken = builder.accessToken;
        this.apiVersion = builder.apiVersion;
        this.maximumAvailable = builder.maximumAvailable;
        this.restoreRate = builder.restoreRate;
        this.perOrderCost = builder.perOrderCost;
        this.maxQueryCost = builder.maxQueryCost;
        this.throttledStatus = builder.throttledStatus;
        this.retryAfterSeconds = builder.retryAfterSeconds;
        this.clock = builder.clock;
        this.available = builder.initiallyAvailable == null ? maximumAvailable : builder.initiallyAvailable;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A well-formed order node as the orders query returns it, for a test to change: US shipping address,
     * 45.00 USD, email {@code buyer<id>@example.com}, no codes, not cancelled, not a test.
     */
    public static ObjectNode order(long id, Instant createdAt, Instant updatedAt) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", GID + id);
        node.put("createdAt", createdAt.toString());
        node.put("updatedAt", updatedAt.toString());
        node.putNull("cancelledAt");
        node.put("test", false);
        node.put("email", "buyer" + id + "@example.com");
        node.putArray("discountCodes");
        ObjectNode money = node.putObject("totalPriceSet").putObject("shopMoney");
        money.put("amount", "45.0");
        money.put("currencyCode", "USD");
        ObjectNode address = node.putObject("shippingAddress");
        address.put("address1", "1 Market Street");
        address.putNull("address2");
        address.put("city", "San Francisco");
        address.put("province", "California");
        address.put("provinceCode", "CA");
        address.put("zip", "94105");
        address.put("countryCodeV2", "US");
        node.putObject("customer").put("email", "buyer" + id + "@example.com");
        return node;
    }

    /** The next {@code count} requests are answered {@code status} (a 5xx, say) before anything else is checked. */
    public synchronized void failNext(int count, int status) {
        failuresLeft = count;
        failureStatus = status;
    }

    public synchronized long requests() {
        return requests;
    }

    public synchronized long throttledRequests() {
        return throttled;
    }

    /** The points the queries answered cost (their actual cost). */
    public synchronized double pointsSpent() {
        return pointsSpent;
    }

    /**
     * What the requests so far used: the points allowed are those in the bucket at the first request plus those
     * restored until the last.
     */
    public synchronized Usage usage() {
        Duration elapsed = firstRequestAt == null ? Duration.ZERO : Duration.between(firstRequestAt, lastRequestAt);
        double allowed = firstRequestAt == null ? 0 : initiallyAvailable + elapsed.toNanos() * restoreRate / 1e9;
        return new Usage(requests, throttled, ordersServed, pointsSpent, allowed, elapsed);
    }

    @Override
    public synchronized MockResponse dispatch(RecordedRequest request) {
        Instant now = clock.get();
        restore(now);
        if (firstRequestAt == null) {
            firstRequestAt = now;
            initiallyAvailable = available;
        }
        lastRequestAt = now;
        requests++;
        if (failuresLeft > 0) {
            failuresLeft--;
            return respond(failureStatus, "{\"errors\":\"Internal Server Error\"}");
        }
        Matcher path = PATH.matcher(request.getUrl().encodedPath());
        if (!path.matches() || (apiVersion != null && !apiVersion.equals(path.group(1)))) {
            return respond(404, "{\"errors\":\"Not Found\"}");
        }
        if (!accessToken.equals(request.getHeaders().get("X-Shopify-Access-Token"))) {
            return respond(
                    401,
                    "{\"errors\":\"[API] Invalid API key or access token (unrecognized login or wrong password)\"}");
        }
        if (!"POST".equals(request.getMethod())) {
            return respond(405, "{\"errors\":\"Method Not Allowed\"}");
        }
        JsonNode body;
        try {
            body = JSON.readTree(
                    request.getBody() == null ? "" : request.getBody().utf8());
        } catch (JacksonException e) {
            return respond(400, "{\"errors\":\"the body is not JSON\"}");
        }
        String query = body.path("query").asString("");
        JsonNode variables = body.path("variables");
        if (!query.contains("orders(") || !SORT_BY_UPDATE.matcher(query).find()) {
            return error("this fake serves the orders query sorted by UPDATED_AT only", "BAD_REQUEST", null);
        }
        int first = variables.path("first").isNumber() ? variables.path("first").asInt() : literalFirst(query);
        if (first < 1 || first > 250) {
            return error("The first argument must be between 1 and 250, not " + first, "BAD_REQUEST", null);
        }
        double requested = 2 + first * perOrderCost;
        if (requested > maxQueryCost) {
            ObjectNode extensions = JSON.createObjectNode();
            extensions.put("code", "MAX_COST_EXCEEDED");
            extensions.put("cost", requested);
            extensions.put("maxCost", maxQueryCost);
            return error(
                    "Query cost is " + (long) requested + ", which exceeds the single query max cost limit ("
                            + (long) maxQueryCost + ").",
                    "MAX_COST_EXCEEDED",
                    extensions);
        }
        if (available < requested) {
            throttled++;
            ObjectNode root = JSON.createObjectNode();
            ObjectNode error = root.putArray("errors").addObject();
            error.put("message", "Throttled");
            error.putObject("extensions")
                    .put("code", "THROTTLED")
                    .put("documentation", "https://shopify.dev/api/usage/rate-limits");
            root.set("extensions", cost(requested, null));
            MockResponse.Builder response =
                    new MockResponse.Builder().code(throttledStatus).body(root.toString());
            if (retryAfterSeconds != null) {
                response.setHeader("Retry-After", retryAfterSeconds);
            }
            return response.setHeader("Content-Type", "application/json").build();
        }
        int from;
        try {
            from = Math.max(start(variables.path("query").asString(null)), after(variables.path("after")));
        } catch (IllegalArgumentException invalid) {
            return error(invalid.getMessage(), "BAD_REQUEST", null);
        }
        int to = (int) Math.min(orders.size(), (long) from + first);
        double actual = 2 + (to - from) * perOrderCost;
        available -= actual;
        pointsSpent += actual;
        ordersServed += to - from;
        return respond(200, page(from, to, requested, actual).toString());
    }

    private ObjectNode page(int from, int to, double requested, double actual) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode connection = root.putObject("data").putObject("orders");
        ArrayNode edges = connection.putArray("edges");
        for (int i = from; i < to; i++) {
            ObjectNode edge = edges.addObject();
            edge.put("cursor", cursor(i));
            edge.set("node", orders.node(i));
        }
        ObjectNode pageInfo = connection.putObject("pageInfo");
        pageInfo.put("hasNextPage", to < orders.size());
        pageInfo.put("hasPreviousPage", from > 0);
        if (to > from) {
            pageInfo.put("startCursor", cursor(from));
            pageInfo.put("endCursor", cursor(to - 1));
        } else {
            pageInfo.putNull("startCursor");
            pageInfo.putNull("endCursor");
        }
        root.set("extensions", cost(requested, actual));
        return root;
    }

    private ObjectNode cost(double requested, Double actual) {
        ObjectNode extensions = JSON.createObjectNode();
        ObjectNode cost = extensions.putObject("cost");
        cost.put("requestedQueryCost", requested);
        if (actual == null) {
            cost.putNull("actualQueryCost");
        } else {
            cost.put("actualQueryCost", actual);
        }
        ObjectNode status = cost.putObject("throttleStatus");
        status.put("maximumAvailable", maximumAvailable);
        status.put("currentlyAvailable", available);
        status.put("restoreRate", restoreRate);
        return extensions;
    }

    private MockResponse error(String message, String code, ObjectNode extensions) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putArray("errors").addObject();
        error.put("message", message);
        error.set("extensions", extensions == null ? JSON.createObjectNode().put("code", code) : extensions);
        return respond(200, root.toString());
    }

    private static MockResponse respond(int status, String body) {
        return new MockResponse.Builder()
                .code(status)
                .setHeader("Content-Type", "application/json")
                .body(body)
                .build();
    }

    private void restore(Instant now) {
        if (restoredAt != null && now.isAfter(restoredAt)) {
            double nanos = Duration.between(restoredAt, now).toNanos();
            available = Math.min(maximumAvailable, available + nanos * restoreRate / 1e9);
        }
        if (restoredAt == null || now.isAfter(restoredAt)) {
            restoredAt = now;
        }
    }

    private static int literalFirst(String query) {
        Matcher first = FIRST.matcher(query);
        return first.find() ? Integer.parseInt(first.group(1)) : 0;
    }

    /** The first order the search lets through: {@code updated_at:>=} (or {@code >}) an instant; none: all. */
    private int start(String search) {
        if (search == null || search.isBlank()) {
            return 0;
        }
        Matcher since = UPDATED_SINCE.matcher(search);
        if (!since.find()) {
            throw new IllegalArgumentException("this fake searches orders by updated_at:>= only, not " + search);
        }
        Instant at;
        try {
            at = OffsetDateTime.parse(since.group(2)).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Invalid updated_at value " + since.group(2));
        }
        boolean strict = since.group(1).equals(">");
        return firstWhere(i ->
                strict ? orders.updatedAt(i).isAfter(at) : !orders.updatedAt(i).isBefore(at));
    }

    /** The first order after the one {@code cursor} names, by update time then id; none: the first. */
    private int after(JsonNode cursor) {
        if (cursor.isMissingNode() || cursor.isNull()) {
            return 0;
        }
        String[] parts;
        try {
            parts = new String(Base64.getUrlDecoder().decode(cursor.asString()), StandardCharsets.UTF_8).split(":");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid cursor for current pagination sort.");
        }
        if (parts.length != 3) {
            throw new IllegalArgumentException("Invalid cursor for current pagination sort.");
        }
        Instant updatedAt = Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
        long id = Long.parseLong(parts[2]);
        return firstWhere(i -> {
            int byTime = orders.updatedAt(i).compareTo(updatedAt);
            return byTime > 0 || (byTime == 0 && orders.id(i) > id);
        });
    }

    private String cursor(int i) {
        Instant updatedAt = orders.updatedAt(i);
        String key = updatedAt.getEpochSecond() + ":" + updatedAt.getNano() + ":" + orders.id(i);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    /** The lowest index from which {@code holds} is true (it is false, then true), or the size. */
    private int firstWhere(IntPredicate holds) {
        int low = 0;
        int high = orders.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (holds.test(middle)) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        return low;
    }

    /** Order {@code i} of the generated ones: each field a function of {@code i}. */
    private static ObjectNode generatedOrder(int i, Instant updatedAt) {
        long id = FIRST_ID + i;
        ObjectNode node = order(id, updatedAt.minus(Duration.ofHours(i % 5)), updatedAt);
        String email = "customer" + (i % 9973) + "@example.com";
        if (i % 10 == 3) {
            node.putNull("email");
        } else {
            node.put("email", email);
        }
        node.putObject("customer").put("email", email);
        node.put("test", i % 97 == 13);
        if (i % 50 == 7) {
            node.put("cancelledAt", updatedAt.toString());
        }
        if (i % 4 == 0) {
            node.putArray("discountCodes").add("WINBACK10");
        }
        node.withObjectProperty("totalPriceSet")
                .withObjectProperty("shopMoney")
                .put("amount", (10 + i % 190) + "." + String.format("%02d", i % 100));
        ObjectNode address = node.withObjectProperty("shippingAddress");
        address.put("address1", (100 + i % 900) + " Market St");
        address.put("zip", String.format("%05d", 94000 + i % 999));
        return node;
    }

    /** How the fake shop is set up; every setting has a default. */
    public static final class Builder {
        private Orders orders = generatedOrders(0, Instant.EPOCH, 1);
        private String accessToken = "shpat_fake_token";
        private String apiVersion = ShopifyOrderSources.DEFAULT_API_VERSION;
        private double maximumAvailable = 1000;
        private double restoreRate = 100;
        private Double initiallyAvailable;
        private double perOrderCost = 1;
        private double maxQueryCost = 1000;
        private int throttledStatus = 200;
        private Integer retryAfterSeconds;
        private Supplier<Instant> clock = Instant::now;

        private Builder() {}

        /**
         * {@code count} orders made from their index {@code i}: updated at {@code firstUpdate} plus
         * {@code i / perSecond} seconds (so {@code perSecond} share each second), id {@link #FIRST_ID} + i; every
         * 97th (from the 13th) a test order, every 50th (from the 7th) cancelled, every 10th (from the 3rd) with
         * its email on the customer only, every 4th with the code WINBACK10.
         */
        public Builder generated(int count, Instant firstUpdate, int perSecond) {
            this.orders = generatedOrders(count, firstUpdate, perSecond);
            return this;
        }

        /** These order nodes (see {@link FakeShopify#order}), served by update time, then id. */
        public Builder orders(List<ObjectNode> nodes) {
            this.orders = givenOrders(nodes);
            return this;
        }

        public Builder accessToken(String accessToken) {
            this.accessToken = accessToken;
            return this;
        }

        /** The version the path must name; null: any. */
        public Builder apiVersion(String apiVersion) {
            this.apiVersion = apiVersion;
            return this;
        }

        /** The bucket: its size and the points restored a second (Shopify Standard: 100 a second). */
        public Builder bucket(double maximumAvailable, double restoreRate) {
            this.maximumAvailable = maximumAvailable;
            this.restoreRate = restoreRate;
            return this;
        }

        /** The points in the bucket at the start; the bucket's size unless given. */
        public Builder initiallyAvailable(double points) {
            this.initiallyAvailable = points;
            return this;
        }

        /**
         * The points each order a query may return costs: 1 unless given (the order object alone). The source's
         * query selects 5 objects an order (order, totalPriceSet, shopMoney, shippingAddress, customer): give 5 to
         * see Shopify refuse 250 a page as MAX_COST_EXCEEDED and the source ask for 199.
         */
        public Builder perOrderCost(double points) {
            this.perOrderCost = points;
            return this;
        }

        /** The most a single query may request (1000, as Shopify's). */
        public Builder maxQueryCost(double points) {
            this.maxQueryCost = points;
            return this;
        }

        /** The HTTP status of a THROTTLED answer: 200 (unless given) or 429. */
        public Builder throttledStatus(int status) {
            this.throttledStatus = status;
            return this;
        }

        /** A {@code Retry-After} header on THROTTLED answers (none unless given). */
        public Builder retryAfterSeconds(int seconds) {
            this.retryAfterSeconds = seconds;
            return this;
        }

        /** The clock the bucket restores on: the system's unless given (a test's virtual clock). */
        public Builder clock(Supplier<Instant> clock) {
            this.clock = clock;
            return this;
        }

        public FakeShopify build() {
            return new FakeShopify(this);
        }

        private static Orders generatedOrders(int count, Instant firstUpdate, int perSecond) {
            if (count < 0 || perSecond < 1) {
                throw new IllegalArgumentException("count >= 0 and perSecond >= 1 are needed");
            }
            return new Orders() {
                @Override
                public int size() {
                    return count;
                }

                @Override
                public Instant updatedAt(int i) {
                    return firstUpdate.plusSeconds(i / perSecond);
                }

                @Override
                public long id(int i) {
                    return FIRST_ID + i;
                }

                @Override
                public ObjectNode node(int i) {
                    return generatedOrder(i, updatedAt(i));
                }
            };
        }

        private static Orders givenOrders(List<ObjectNode> nodes) {
            record Given(Instant updatedAt, long id, ObjectNode node) {}
            List<Given> sorted = new ArrayList<>();
            for (ObjectNode node : nodes) {
                sorted.add(new Given(updatedAt(node), idOf(node), node.deepCopy()));
            }
            sorted.sort(Comparator.comparing(Given::updatedAt).thenComparingLong(Given::id));
            return new Orders() {
                @Override
                public int size() {
                    return sorted.size();
                }

                @Override
                public Instant updatedAt(int i) {
                    return sorted.get(i).updatedAt();
                }

                @Override
                public long id(int i) {
                    return sorted.get(i).id();
                }

                @Override
                public ObjectNode node(int i) {
                    return sorted.get(i).node();
                }
            };
        }

        /** A given node's update time, else its creation time, else the epoch: malformed nodes are served too. */
        private static Instant updatedAt(ObjectNode node) {
            for (String field : List.of("updatedAt", "createdAt")) {
                try {
                    return OffsetDateTime.parse(node.path(field).asString("")).toInstant();
                } catch (DateTimeParseException unreadable) {
                    // the next field, else the epoch
                }
            }
            return Instant.EPOCH;
        }

        private static long idOf(ObjectNode node) {
            String gid = node.path("id").asString("");
            try {
                return gid.startsWith(GID) ? Long.parseLong(gid.substring(GID.length())) : 0;
            } catch (NumberFormatException e) {
                return 0;
            }
        }
    }
}
