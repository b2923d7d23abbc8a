package io.paperrun.integration.ometria;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import mockwebserver3.MockResponse;

/** Ometria's list-orders answers, in the shape {@link OmetriaOrders} assumes. */
final class FakeOmetria {

    static final Instant START = Instant.parse("2026-05-01T00:00:00Z");

    private FakeOmetria() {}

    /** A valid order {@code id}, ordered at {@link #START} and last updated at {@code updated}. */
    static String order(String id, Instant updated) {
        return """
                {"@type":"order","id":"%s","timestamp":"%s","timestamp_update":"%s","grand_total":25.50,\
                "currency":"gbp","status":"complete","is_valid":true,\
                "customer":{"id":"c-%s","email":"%s@example.com","firstname":"Ann","lastname":"Lee"},\
                "lineitems":[],"shipping_address":{"line_1":"1 Market Street","city":"London",\
                "postcode":"EC1A 1BB","country_code":"gb"},"coupon_code":"WELCOME10"}""".formatted(id, START, updated, id, id);
    }

    /** {@code count} orders, the i-th (from {@code first}) updated i minutes after {@link #START}. */
    static List<String> orders(int first, int count) {
        return IntStream.range(first, first + count)
                .mapToObj(i -> order("o" + i, START.plusSeconds(60L * i)))
                .toList();
    }

    /** A 200 response holding {@code orders} as a JSON array. */
    static MockResponse page(List<String> orders) {
        return json(orders.stream().collect(Collectors.joining(",", "[", "]")));
    }

    static MockResponse json(String body) {
        return new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "application/json")
                .body(body)
                .build();
    }

    static MockResponse status(int code) {
        return new MockResponse.Builder().code(code).body("{}").build();
    }
}
