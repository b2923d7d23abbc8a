package io.paperrun.integration.klaviyo;

import io.paperrun.batch.Excerpt;
import io.paperrun.batch.RejectedRowException;
import io.paperrun.batch.StorableValues;
import io.paperrun.enrichment.AddressKey;
import io.paperrun.order.IncomingOrder;
import io.paperrun.order.OrderValues;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * A "Placed Order" event with the profile it names (from the page's {@code included}), read as an order. Its
 * {@code event_properties} are free-form, written by whichever integration sent it: the Shopify integration's
 * ({@code $value}, {@code Discount Codes}) and the custom-API convention's ({@code OrderId}, {@code DiscountCode})
 * are read. A value that cannot be read or stored rejects the order, saying which.
 */
final class PlacedOrderEvent {

    /** The profile property holding the customer's active subscription start: a date or an ISO-8601 time. */
    static final String SUBSCRIPTION_START = "active_subscription_start_date";

    /** The event properties that may hold the currency, the first present being read. */
    private static final List<String> CURRENCY_PROPERTIES = List.of("$currency_code", "Currency");

    /** The event properties that may hold discount codes, a list or one code each; all are read. */
    private static final List<String> CODE_PROPERTIES = List.of("Discount Codes", "DiscountCode");

    /** How far from whole cents a total may be and still be taken as cents: a float's rounding error. */
    private static final BigDecimal FLOAT_ERROR = new BigDecimal("0.000001");

    private final JsonNode event;
    private final JsonNode properties;
    private final JsonNode profile;

    /** @param profile the profile's attributes, or a missing node when the event names none or it is not included */
    PlacedOrderEvent(JsonNode event, JsonNode profile) {
        this.event = event;
        this.properties = event.path("attributes").path("event_properties");
        this.profile = profile == null ? MissingNode.getInstance() : profile;
    }

    /** The id of the profile the event names, if any. */
    static String profileId(JsonNode event) {
        JsonNode id = event.path("relationships").path("profile").path("data").path("id");
        return id.isString() ? id.stringValue() : null;
    }

    /**
     * The order's id at the provider, stable across re-sends of the event: {@code event_properties.OrderId}, else
     * {@code $event_id} (the Shopify integration's order id), else the event's own id.
     */
    String orderId() throws RejectedRowException {
        String id = JsonText.of(properties.path("OrderId"), "event_properties.OrderId");
        if (id == null) {
            id = JsonText.of(properties.path("$event_id"), "event_properties.$event_id");
        }
        return id != null ? id : JsonText.of(event.path("id"), "id");
    }

    /** The id a rejection names: the order's id, or the event's own when the order's cannot be read. */
    String recordId() {
        try {
            return orderId();
        } catch (RejectedRowException unreadable) {
            JsonNode id = event.path("id");
            return id.isString() ? id.stringValue() : null;
        }
    }

    /** The event as a rejection quotes it: its JSON, cut to {@link Excerpt#LIMIT} characters. */
    String raw() {
        return Excerpt.of(event.toString());
    }

    IncomingOrder toOrder() throws RejectedRowException {
        String id = orderId();
        if (id == null) {
            throw new RejectedRowException("the event has no id (event_properties.OrderId, $event_id or id)");
        }
        Instant orderedAt = OrderValues.time("datetime", orderedAt());
        BigDecimal total = OrderValues.total(total());
        String email = OrderValues.email(JsonText.of(profile.path("email"), "the profile's email"));
        String currency = currency();
        List<String> codes = discountCodes();
        JsonNode location = profile.path("location");
        String address1 = JsonText.of(location.path("address1"), "the profile's location.address1");
        String address2 = JsonText.of(location.path("address2"), "the profile's location.address2");
        String city = JsonText.of(location.path("city"), "the profile's location.city");
        String region = JsonText.of(location.path("region"), "the profile's location.region");
        String zip = JsonText.of(location.path("zip"), "the profile's location.zip");
        String country = Countries.isoCode(JsonText.of(location.path("country"), "the profile's location.country"));
        Instant subscriptionStart = OrderValues.time(SUBSCRIPTION_START, subscriptionStart());
        return IncomingOrder.of(
                id,
                orderedAt,
                email,
                total,
                currency,
                codes,
                address1,
                address2,
                city,
                region,
                zip,
                country,
                AddressKey.of(address1, address2, zip, country),
                subscriptionStart,
                orderedAt,
                null);
    }

    /** The event's {@code datetime}, else its {@code timestamp} (epoch seconds). */
    private Instant orderedAt() throws RejectedRowException {
        JsonNode attributes = event.path("attributes");
        String datetime = JsonText.of(attributes.path("datetime"), "datetime");
        if (datetime != null) {
            try {
                return OffsetDateTime.parse(datetime).toInstant();
            } catch (DateTimeParseException e) {
                throw new RejectedRowException(
                        "datetime " + Excerpt.quote(datetime) + " is not an ISO-8601 time with an offset");
            }
        }
        JsonNode timestamp = attributes.path("timestamp");
        if (timestamp.isIntegralNumber() && timestamp.canConvertToLong()) {
            return Instant.ofEpochSecond(timestamp.longValue());
        }
        throw new RejectedRowException("datetime is required");
    }

    /**
     * {@code $value}: a JSON number or a decimal in a string. A float's rounding error past the cents (59.97 sent
     * as 59.970000000000006) is dropped; any other third decimal is left for {@link OrderValues#total} to refuse.
     */
    private BigDecimal total() throws RejectedRowException {
        JsonNode value = properties.path("$value");
        BigDecimal total;
        if (value.isNumber()) {
            total = value.decimalValue();
        } else {
            String text = JsonText.of(value, "event_properties.$value");
            if (text == null) {
                throw new RejectedRowException("event_properties.$value (the order's total) is required");
            }
            try {
                total = new BigDecimal(text);
            } catch (NumberFormatException e) {
                throw new RejectedRowException("event_properties.$value " + Excerpt.quote(text) + " is not a number");
            }
        }
        if (total.scale() > 2) {
            BigDecimal cents = total.setScale(2, RoundingMode.HALF_UP);
            if (cents.subtract(total).abs().compareTo(FLOAT_ERROR) < 0) {
                return cents;
            }
        }
        return total;
    }

    private String currency() throws RejectedRowException {
        for (String name : CURRENCY_PROPERTIES) {
            String currency = JsonText.of(properties.path(name), "event_properties." + name);
            if (currency != null) {
                return currency.toUpperCase(Locale.ROOT);
            }
        }
        return null;
    }

    /** The codes of every {@link #CODE_PROPERTIES} property, each once, in the order given. */
    private List<String> discountCodes() throws RejectedRowException {
        Set<String> codes = new LinkedHashSet<>();
        for (String name : CODE_PROPERTIES) {
            JsonNode value = properties.path(name);
            String what = "event_properties." + name;
            if (value.isArray()) {
                for (JsonNode code : value) {
                    add(codes, JsonText.of(code, what));
                }
            } else {
                add(codes, JsonText.of(value, what));
            }
        }
        return new ArrayList<>(codes);
    }

    private static void add(Set<String> codes, String code) {
        if (code != null) {
            codes.add(code);
        }
    }

    /**
     * The profile property {@value #SUBSCRIPTION_START}: a date (the start of that day in UTC), an ISO-8601 time
     * with an offset, or one without (as Klaviyo shows dates, {@code 2024-01-15 10:00:00}; taken as UTC).
     */
    private Instant subscriptionStart() throws RejectedRowException {
        String what = "the profile's property " + SUBSCRIPTION_START;
        String text = JsonText.of(profile.path("properties").path(SUBSCRIPTION_START), what);
        if (text == null) {
            return null;
        }
        try {
            if (text.length() == 10) {
                LocalDate date = LocalDate.parse(text);
                if (!StorableValues.date(date)) {
                    throw new RejectedRowException(
                            what + " " + Excerpt.quote(text) + " is outside " + StorableValues.YEARS);
                }
                return date.atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException withoutOffset) {
                return LocalDateTime.parse(text.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
            }
        } catch (DateTimeParseException e) {
            throw new RejectedRowException(what + " " + Excerpt.quote(text) + " is not a date or an ISO-8601 time");
        }
    }
}
