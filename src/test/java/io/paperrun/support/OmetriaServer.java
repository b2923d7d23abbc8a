package io.paperrun.support;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stateful fake of Ometria's assumed list-orders route ({@code OmetriaOrders}): the orders updated at or after
 * {@code since}, by last update then id, {@code limit} from {@code offset}; 403 for another key. Orders can be
 * added and changed between syncs, and requests can be made to fail.
 */
public final class OmetriaServer extends Dispatcher {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String key;
    private final Map<String, ObjectNode> orders = new ConcurrentHashMap<>();
    private final List<HttpUrl> requests = new CopyOnWriteArrayList<>();
    private volatile Predicate<HttpUrl> failing = url -> false;
    private volatile int failureStatus = 500;

    public OmetriaServer(String key) {
        this.key = key;
    }

    /** Adds or replaces an order, last updated at {@code updatedAt}. */
    public void put(SampleOrders.Order o, Instant updatedAt) {
        ObjectNode order = JSON.createObjectNode();
        order.put("@type", "order");
        order.put("id", o.id());
        order.put("timestamp", o.createdAt().toString());
        order.put("timestamp_update", updatedAt.toString());
        order.put("grand_total", o.total());
        order.put("currency", o.currency());
        order.put("status", "complete");
        order.put("is_valid", true);
        order.putObject("customer").put("email", o.email());
        ArrayNode codes = order.putArray("coupon_code");
        o.codes().forEach(codes::add);
        ObjectNode address = order.putObject("shipping_address");
        address.put("line_1", o.address1());
        address.put("line_2", o.address2());
        address.put("city", o.city());
        address.put("state", o.region());
        address.put("postcode", o.zip());
        address.put("country_code", o.country());
        orders.put(o.id(), order);
    }

    /** Adds a record as it is written, such as a malformed one, under {@code id}, last updated at {@code updatedAt}. */
    public void putRaw(String id, Instant updatedAt, String json) {
        ObjectNode order = (ObjectNode) JSON.readTree(json);
        order.put("timestamp_update", updatedAt.toString());
        order.put("id", id);
        orders.put(id, order);
    }

    /** Every sample order, each last updated when it was placed. */
    public void putSample() {
        SampleOrders.read().forEach(o -> put(o, o.createdAt()));
    }

    /** Answers {@code status} to the requests {@code when} selects, until told otherwise. */
    public void failWhen(Predicate<HttpUrl> when, int status) {
        this.failureStatus = status;
        this.failing = when;
    }

    public List<HttpUrl> requests() {
        return List.copyOf(requests);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        HttpUrl url = request.getUrl();
        requests.add(url);
        if (!key.equals(request.getHeaders().get("X-Ometria-Auth"))) {
            return new MockResponse.Builder()
                    .code(403)
                    .body("{\"error\":\"forbidden\"}")
                    .build();
        }
        if (!url.encodedPath().equals("/v2/orders")) {
            return new MockResponse.Builder().code(404).build();
        }
        if (failing.test(url)) {
            return new MockResponse.Builder().code(failureStatus).build();
        }
        String since = url.queryParameter("since");
        int offset = Integer.parseInt(url.queryParameter("offset"));
        int limit = Integer.parseInt(url.queryParameter("limit"));
        List<ObjectNode> selected = new ArrayList<>(orders.values().stream()
                .filter(o -> since == null || !updated(o).isBefore(Instant.parse(since)))
                .sorted(Comparator.comparing(OmetriaServer::updated)
                        .thenComparing(o -> o.get("id").asString()))
                .toList());
        ArrayNode page = JSON.createArrayNode();
        selected.stream().skip(offset).limit(limit).forEach(page::add);
        return new MockResponse.Builder()
                .addHeader("Content-Type", "application/json")
                .body(JSON.writeValueAsString(page))
                .build();
    }

    private static Instant updated(ObjectNode order) {
        return Instant.parse(order.get("timestamp_update").asString());
    }
}
