package io.paperrun.support;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/** The demo's orders ({@code jobs-config/examples/orders.csv}) as records a fake provider serves. */
public final class SampleOrders {

    /** One order as every provider has it. */
    public record Order(
            String id,
            Instant createdAt,
            String email,
            String total,
            String currency,
            List<String> codes,
            String address1,
            String address2,
            String city,
            String region,
            String zip,
            String country) {}

    private SampleOrders() {}

    /** An order {@code id} of no one in the sample: placed 2025-01-01, 10.00 USD, no code, a US address. */
    public static Order plain(String id) {
        return new Order(
                id,
                Instant.parse("2025-01-01T00:00:00Z"),
                id + "@example.net",
                "10.00",
                "USD",
                List.of(),
                "1 Main St",
                null,
                "Springfield",
                "IL",
                "62701",
                "US");
    }

    public static List<Order> read() {
        List<Order> orders = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(Path.of(DatabaseTest.EXAMPLES + "orders.csv"))) {
            for (CSVRecord r : CSVFormat.DEFAULT
                    .builder()
                    .setHeader()
                    .setSkipHeaderRecord(true)
                    .get()
                    .parse(in)) {
                orders.add(new Order(
                        r.get("order_id"),
                        Instant.parse(r.get("created_at")),
                        r.get("email").strip(),
                        r.get("total"),
                        r.get("currency"),
                        r.get("discount_codes").isBlank()
                                ? List.of()
                                : Arrays.asList(r.get("discount_codes").split(";")),
                        r.get("shipping_address1"),
                        r.get("shipping_address2"),
                        r.get("shipping_city"),
                        r.get("shipping_region"),
                        r.get("shipping_zip"),
                        r.get("shipping_country")));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return orders;
    }
}
