package io.paperrun.integration.shopify;

import io.paperrun.batch.Excerpt;
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
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * An order node of the Admin API's {@code orders} query as an {@link IncomingOrder}; a value missing or failing
 * the checks every order source applies rejects the node, naming the field.
 */
final class ShopifyOrder {

    /** The longest text value kept, as a CSV file's: Shopify caps ids, emails, codes and address lines at 255. */
    static final int MAX_LENGTH = 255;

    private static final String GID_PREFIX = "gid://shopify/Order/";
    private static final Pattern PLAIN_DECIMAL = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

    private ShopifyOrder() {}

    /** The order id of a node: the digits of {@code gid://shopify/Order/<digits>}; null when it has none such. */
    static String id(JsonNode node) {
        JsonNode gid = node.path("id");
        if (!gid.isString() || !gid.stringValue().startsWith(GID_PREFIX)) {
            return null;
        }
        String tail = gid.stringValue().substring(GID_PREFIX.length());
        return !tail.isEmpty() && tail.length() <= 19 && tail.chars().allMatch(c -> c >= '0' && c <= '9') ? tail : null;
    }

    /** Whether the node is a test order (placed with a test payment gateway). */
    static boolean isTest(JsonNode node) {
        return node.path("test").asBoolean(false);
    }

    /** The order a node describes; a cancelled order is kept, its {@code cancelledAt} set. */
    static IncomingOrder read(JsonNode node) throws RejectedRowException {
        String id = id(node);
        if (id == null) {
            JsonNode gid = node.path("id");
            throw new RejectedRowException(
                    gid.isMissingNode() || gid.isNull()
                            ? "id is required"
                            : "id " + Excerpt.quote(gid.asString()) + " is not a Shopify order id (" + GID_PREFIX
                                    + "<digits>)");
        }
        Instant createdAt = time(node, "createdAt");
        if (createdAt == null) {
            throw new RejectedRowException("createdAt is required");
        }
        Instant updatedAt = time(node, "updatedAt");
        Instant cancelledAt = time(node, "cancelledAt");
        JsonNode money = node.path("totalPriceSet").path("shopMoney");
        BigDecimal total = OrderValues.total(amount(money.path("amount")));
        String currency = text(money, "currencyCode", "totalPriceSet.shopMoney.currencyCode");
        String email = text(node, "email", "email");
        if (email == null) {
            email = text(node.path("customer"), "email", "customer.email");
        }
        JsonNode address = node.path("shippingAddress");
        String address1 = text(address, "address1", "shippingAddress.address1");
        String address2 = text(address, "address2", "shippingAddress.address2");
        String region = text(address, "provinceCode", "shippingAddress.provinceCode");
        if (region == null) {
            region = text(address, "province", "shippingAddress.province");
        }
        String zip = text(address, "zip", "shippingAddress.zip");
        String country = text(address, "countryCodeV2", "shippingAddress.countryCodeV2");
        country = country == null ? null : country.toUpperCase(Locale.ROOT);
        return IncomingOrder.of(
                id,
                createdAt,
                OrderValues.email(email),
                total,
                currency == null ? null : currency.toUpperCase(Locale.ROOT),
                discountCodes(node.path("discountCodes")),
                address1,
                address2,
                text(address, "city", "shippingAddress.city"),
                region,
                zip,
                country,
                AddressKey.of(address1, address2, zip, country),
                null,
                updatedAt,
                cancelledAt);
    }

    /**
     * {@code shopMoney.amount}, a decimal string: plain digits, at most two decimals once trailing zeros go
     * ({@code 12.500} is 12.50; {@code 12.345} is refused by {@link OrderValues#total}).
     */
    private static BigDecimal amount(JsonNode amount) throws RejectedRowException {
        String field = "totalPriceSet.shopMoney.amount";
        if (amount.isMissingNode() || amount.isNull()) {
            throw new RejectedRowException(field + " is required");
        }
        String text = amount.asString().trim();
        if (!PLAIN_DECIMAL.matcher(text).matches()) {
            throw new RejectedRowException(field + " " + Excerpt.quote(text) + " is not a decimal amount");
        }
        BigDecimal value = new BigDecimal(text);
        if (value.scale() > 2) {
            BigDecimal shorter = value.stripTrailingZeros();
            value = shorter.scale() < 0 ? shorter.setScale(0) : shorter;
        }
        return value;
    }

    private static List<String> discountCodes(JsonNode codes) throws RejectedRowException {
        if (codes.isMissingNode() || codes.isNull()) {
            return List.of();
        }
        if (!codes.isArray()) {
            throw new RejectedRowException("discountCodes is not a list");
        }
        List<String> out = new ArrayList<>(codes.size());
        for (JsonNode code : codes) {
            if (code.isNull()) {
                continue;
            }
            if (!code.isValueNode()) {
                throw new RejectedRowException("discountCodes holds a value that is not text");
            }
            String value = checked("discountCodes", code.asString());
            if (value != null) {
                out.add(value);
            }
        }
        return List.copyOf(out);
    }

    private static Instant time(JsonNode node, String field) throws RejectedRowException {
        String value = text(node, field, field);
        if (value == null) {
            return null;
        }
        Instant time;
        try {
            time = OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new RejectedRowException(
                    field + " " + Excerpt.quote(value) + " is not an ISO-8601 instant with offset or Z");
        }
        return OrderValues.time(field, time);
    }

    /** A text field, trimmed, null when absent or blank; refused when the database could not store it. */
    private static String text(JsonNode parent, String field, String name) throws RejectedRowException {
        JsonNode value = parent.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isValueNode()) {
            throw new RejectedRowException(name + " is not a text value");
        }
        return checked(name, value.asString());
    }

    private static String checked(String name, String raw) throws RejectedRowException {
        String value = raw.trim();
        if (value.length() > MAX_LENGTH) {
            throw new RejectedRowException(
                    name + " is longer than " + MAX_LENGTH + " characters (" + value.length() + ")");
        }
        if (!StorableValues.text(raw)) {
            throw new RejectedRowException(
                    name + " contains a NUL character (byte 0), which the database cannot store");
        }
        return value.isEmpty() ? null : value;
    }
}
