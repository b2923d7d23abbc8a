package io.paperrun.integration.ometria;

import io.paperrun.batch.Excerpt;
import io.paperrun.batch.ImportLine;
import io.paperrun.batch.RejectedRowException;
import io.paperrun.batch.StorableValues;
import io.paperrun.enrichment.AddressKey;
import io.paperrun.order.IncomingOrder;
import io.paperrun.order.OrderValues;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import okhttp3.HttpUrl;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Ometria's list-orders route and order record, as assumed: the one place to correct once the Ometria swagger
 * confirms them (providers.md §6). The [U] assumptions:
 * <ul>
 *   <li>the route is {@code GET /v2/orders?since=<ISO instant>&orderby=timestamp_update&limit=100&offset=N},
 *       {@code since} selecting the orders updated at or after it, {@code offset} skipping that many of them;
 *   <li>the response is a JSON array of orders, or an object with a {@code data} array;
 *   <li>an order is {@code {"@type":"order", id, timestamp, timestamp_update?, grand_total, currency, status,
 *       is_valid, customer{email}, shipping_address{...}, coupon_code}}, times ISO-8601 with an offset or Z;
 *   <li>the shipping address's fields go by one of several names, the first present winning:
 *       {@link #LINE_1}, {@link #LINE_2}, {@code city}, {@link #REGION}, {@link #POSTCODE}, {@link #COUNTRY};
 *   <li>an order is cancelled when its status is {@code cancelled} (or {@code canceled}) or {@code is_valid}
 *       is false, as Ometria's push API marks one; it carries no cancellation time of its own.
 * </ul>
 * Confirmed [C]: the base {@code https://api.ometria.com/v2}, at most 100 records per request, and
 * {@code orderby=timestamp_update} sorting by the last update.
 */
final class OmetriaOrders {

    /** The most records Ometria returns to one request [C]. */
    static final int LIMIT = 100;

    static final List<String> LINE_1 = List.of("line_1", "address_1", "address1", "line1");
    static final List<String> LINE_2 = List.of("line_2", "address_2", "address2", "line2");
    static final List<String> REGION = List.of("state", "region", "county");
    static final List<String> POSTCODE = List.of("postcode", "zip", "postal_code");
    static final List<String> COUNTRY = List.of("country_code", "countrycode");

    /** The longest text an order field may have, as for a CSV order: some are indexed. */
    private static final int MAX_LENGTH = 255;

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private OmetriaOrders() {}

    /** The request for the orders updated at or after {@code since} (null: all), skipping {@code offset}. */
    static HttpUrl url(HttpUrl base, Instant since, long offset) {
        HttpUrl.Builder url = base.newBuilder().addPathSegments("v2/orders");
        if (since != null) {
            url.addQueryParameter("since", since.toString());
        }
        return url.addQueryParameter("orderby", "timestamp_update")
                .addQueryParameter("limit", String.valueOf(LIMIT))
                .addQueryParameter("offset", String.valueOf(offset))
                .build();
    }

    /** The order records of a response body; empty when it is neither an array nor an object with a data array. */
    static Optional<List<JsonNode>> records(String body) {
        JsonNode root = JSON.readTree(body);
        JsonNode records = root.isObject() ? root.path("data") : root;
        return records.isArray() ? Optional.of(List.copyOf(records.values())) : Optional.empty();
    }

    /** The time Ometria sorts the order by: its last update, else its order time; null when unreadable. */
    static Instant updatedAt(JsonNode order) {
        try {
            Instant orderedAt = instant(order, "timestamp");
            Instant updatedAt = instant(order, "timestamp_update");
            return updatedAt != null ? updatedAt : orderedAt;
        } catch (RejectedRowException unreadable) {
            return null;
        }
    }

    /** The order as an accepted line, or its rejection with its id and the reason (line 0: the reader numbers). */
    static ImportLine<IncomingOrder> line(JsonNode order) {
        String id = null;
        try {
            if (!order.isObject()) {
                throw new RejectedRowException("the record is not a JSON object");
            }
            id = text(order, "id");
            if (id == null) {
                throw new RejectedRowException("id is required");
            }
            return new ImportLine.Accepted<>(0, map(id, order));
        } catch (RejectedRowException rejected) {
            return new ImportLine.Rejected<>(0, id, rejected.getMessage(), Excerpt.of(JSON.writeValueAsString(order)));
        }
    }

    private static IncomingOrder map(String id, JsonNode order) throws RejectedRowException {
        Instant orderedAt = OrderValues.time("timestamp", instant(order, "timestamp"));
        if (orderedAt == null) {
            throw new RejectedRowException("timestamp is required");
        }
        Instant updatedAt = OrderValues.time("timestamp_update", instant(order, "timestamp_update"));
        Instant changedAt = updatedAt != null ? updatedAt : orderedAt;
        BigDecimal total = OrderValues.total(decimal(order, "grand_total"));
        JsonNode customer = order.path("customer");
        String email = OrderValues.email(customer.isObject() ? text(customer, "email") : null);
        String currency = text(order, "currency");
        JsonNode address = order.path("shipping_address");
        if (!address.isMissingNode() && !address.isNull() && !address.isObject()) {
            throw new RejectedRowException("shipping_address is not an object");
        }
        String address1 = text(address, LINE_1);
        String address2 = text(address, LINE_2);
        String zip = text(address, POSTCODE);
        String country = text(address, COUNTRY);
        country = country == null ? null : country.toUpperCase(Locale.ROOT);
        return IncomingOrder.of(
                id,
                orderedAt,
                email,
                total,
                currency == null ? null : currency.toUpperCase(Locale.ROOT),
                codes(order),
                address1,
                address2,
                text(address, List.of("city")),
                text(address, REGION),
                zip,
                country,
                AddressKey.of(address1, address2, zip, country),
                null,
                changedAt,
                isCancelled(order) ? changedAt : null);
    }

    private static boolean isCancelled(JsonNode order) throws RejectedRowException {
        String status = text(order, "status");
        JsonNode valid = order.path("is_valid");
        boolean invalid = valid.isBoolean() ? !valid.booleanValue() : "false".equalsIgnoreCase(text(order, "is_valid"));
        return invalid || "cancelled".equalsIgnoreCase(status) || "canceled".equalsIgnoreCase(status);
    }

    /** {@code coupon_code}: one code, several separated by commas, or an array of codes. */
    private static List<String> codes(JsonNode order) throws RejectedRowException {
        JsonNode codes = order.path("coupon_code");
        List<String> all = new ArrayList<>();
        if (codes.isArray()) {
            for (JsonNode code : codes.values()) {
                String value = scalar("coupon_code", code);
                if (value != null) {
                    all.add(value);
                }
            }
        } else {
            String value = text(order, "coupon_code");
            if (value != null) {
                Arrays.stream(value.split(","))
                        .map(String::trim)
                        .filter(code -> !code.isEmpty())
                        .forEach(all::add);
            }
        }
        return List.copyOf(all);
    }

    private static Instant instant(JsonNode order, String field) throws RejectedRowException {
        String value = text(order, field);
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new RejectedRowException(
                    field + " " + Excerpt.quote(value) + " is not an ISO-8601 instant with offset or Z");
        }
    }

    /** A JSON number, or a string holding a plain decimal. */
    private static BigDecimal decimal(JsonNode order, String field) throws RejectedRowException {
        JsonNode node = order.path(field);
        if (node.isNumber()) {
            return node.decimalValue();
        }
        String value = text(order, field);
        if (value == null) {
            return null;
        }
        if (!value.matches("[+-]?[0-9]+(\\.[0-9]+)?")) {
            throw new RejectedRowException(field + " " + Excerpt.quote(value) + " is not a number");
        }
        return new BigDecimal(value);
    }

    /** The first of {@code fields} with a value. */
    private static String text(JsonNode object, List<String> fields) throws RejectedRowException {
        for (String field : fields) {
            String value = text(object, field);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /** A field's trimmed text (a number or boolean as written), or null when absent, null or blank. */
    private static String text(JsonNode object, String field) throws RejectedRowException {
        return scalar(field, object.path(field));
    }

    private static String scalar(String field, JsonNode node) throws RejectedRowException {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (node.isContainer()) {
            throw new RejectedRowException(field + " is not a single value");
        }
        String raw = node.asString();
        String value = raw.trim();
        if (value.length() > MAX_LENGTH) {
            throw new RejectedRowException(
                    field + " is longer than " + MAX_LENGTH + " characters (" + value.length() + ")");
        }
        if (!StorableValues.text(raw)) {
            throw new RejectedRowException(
                    field + " contains a NUL character (byte 0), which the database cannot " + "store");
        }
        return value.isEmpty() ? null : value;
    }
}
