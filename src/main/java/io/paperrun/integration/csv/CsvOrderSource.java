package io.paperrun.integration.csv;

import io.paperrun.batch.RejectedRowException;
import io.paperrun.enrichment.AddressKey;
import io.paperrun.order.IncomingOrder;
import io.paperrun.order.OrderReading;
import io.paperrun.order.OrderSource;
import io.paperrun.order.OrderValues;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Orders from a CSV file, in the format of the interface spec ({@code import orders}). */
public class CsvOrderSource extends CsvSource<IncomingOrder> implements OrderSource {

    public static final Set<String> COLUMNS = Set.of(
            "order_id",
            "created_at",
            "email",
            "total",
            "currency",
            "discount_codes",
            "shipping_address1",
            "shipping_address2",
            "shipping_city",
            "shipping_region",
            "shipping_zip",
            "shipping_country",
            "active_subscription_start_date");
    public static final Set<String> REQUIRED_COLUMNS = Set.of("order_id", "created_at", "total");

    /** The orders of the file that {@code reading}'s {@code file} parameter names, for its slice. */
    public CsvOrderSource(OrderReading reading) {
        super(
                reading.parameters(),
                "orderCsvReader",
                "order_id",
                CsvOrderSource::map,
                reading.slice(),
                reading.readingId());
    }

    /** Checks the file can be read and its header is right, before anything is imported. */
    public static CsvFile.Header checkHeader(Path file) throws IOException {
        return CsvFile.checkHeader(file, COLUMNS, REQUIRED_COLUMNS, Set.of());
    }

    static IncomingOrder map(CsvRow row) throws RejectedRowException {
        String orderId = row.required("order_id");
        Instant createdAt = row.instant("created_at");
        if (createdAt == null) {
            throw new RejectedRowException("created_at is required");
        }
        BigDecimal total = OrderValues.total(row.money("total"));
        String email = OrderValues.email(row.text("email"));
        String codes = row.text("discount_codes");
        List<String> discountCodes = codes == null
                ? List.of()
                : Arrays.stream(codes.split(";"))
                        .map(String::trim)
                        .filter(c -> !c.isEmpty())
                        .toList();
        String currency = row.text("currency");
        String country = row.text("shipping_country");
        String address1 = row.text("shipping_address1");
        String address2 = row.text("shipping_address2");
        String zip = row.text("shipping_zip");
        return IncomingOrder.of(
                orderId,
                createdAt,
                email,
                total,
                currency == null ? null : currency.toUpperCase(Locale.ROOT),
                discountCodes,
                address1,
                address2,
                row.text("shipping_city"),
                row.text("shipping_region"),
                zip,
                country == null ? null : country.toUpperCase(),
                AddressKey.of(address1, address2, zip, country),
                row.instantOrDate("active_subscription_start_date"));
    }
}
