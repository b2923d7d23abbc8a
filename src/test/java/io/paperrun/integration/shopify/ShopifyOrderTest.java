package io.paperrun.integration.shopify;

import static io.paperrun.integration.shopify.ShopifyFixture.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.batch.ImportLine;
import io.paperrun.enrichment.AddressKey;
import io.paperrun.order.IncomingOrder;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** How the order nodes a shop serves become orders or rejected lines, read through the source. */
class ShopifyOrderTest {

    private static final Instant CREATED = Instant.parse("2026-05-01T10:00:00Z");

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final ShopifyFixture fixture = new ShopifyFixture(server);
    private final List<ObjectNode> orders = new ArrayList<>();

    /** A well-formed order, updated {@code minutes} after it was created (which orders the lines). */
    private ObjectNode order(long id, int minutes) {
        ObjectNode node = FakeShopify.order(id, CREATED, CREATED.plusSeconds(60L * minutes));
        orders.add(node);
        return node;
    }

    private List<ImportLine<IncomingOrder>> read() throws Exception {
        server.setDispatcher(fixture.shop().orders(orders).build());
        return readAll(fixture.open(), null);
    }

    private static IncomingOrder accepted(ImportLine<IncomingOrder> line) {
        assertThat(line).isInstanceOf(ImportLine.Accepted.class);
        return ((ImportLine.Accepted<IncomingOrder>) line).value();
    }

    private static ImportLine.Rejected<IncomingOrder> rejected(ImportLine<IncomingOrder> line) {
        assertThat(line).isInstanceOf(ImportLine.Rejected.class);
        return (ImportLine.Rejected<IncomingOrder>) line;
    }

    @Test
    void everyFieldOfAnOrderIsRead() throws Exception {
        ObjectNode node = order(820982911946154508L, 1);
        node.put("updatedAt", "2026-05-03T08:00:00.123456789Z");
        node.put("email", " Jane.Doe@Example.com ");
        node.putArray("discountCodes").add(" winback10 ").add("VIP").add("");
        node.withObjectProperty("totalPriceSet").withObjectProperty("shopMoney").put("amount", "45.5");
        node.withObjectProperty("shippingAddress").put("address2", "Suite 5");

        IncomingOrder order = accepted(read().get(0));

        assertThat(order.providerOrderId()).isEqualTo("820982911946154508");
        assertThat(order.orderedAt()).isEqualTo(CREATED);
        assertThat(order.changedAt()).isEqualTo(Instant.parse("2026-05-03T08:00:00.123456Z"));
        assertThat(order.cancelledAt()).isNull();
        assertThat(order.email()).isEqualTo("Jane.Doe@Example.com");
        assertThat(order.emailLower()).isEqualTo("jane.doe@example.com");
        assertThat(order.total()).isEqualTo(new BigDecimal("45.50"));
        assertThat(order.currency()).isEqualTo("USD");
        assertThat(order.discountCodes()).containsExactly("winback10", "VIP");
        assertThat(order.codesUpper()).containsExactly("WINBACK10", "VIP");
        assertThat(order.shippingAddress1()).isEqualTo("1 Market Street");
        assertThat(order.shippingAddress2()).isEqualTo("Suite 5");
        assertThat(order.shippingCity()).isEqualTo("San Francisco");
        assertThat(order.shippingRegion()).isEqualTo("CA");
        assertThat(order.shippingZip()).isEqualTo("94105");
        assertThat(order.shippingCountry()).isEqualTo("US");
        assertThat(order.addressKey()).isEqualTo(AddressKey.of("1 Market Street", "Suite 5", "94105", "US"));
        assertThat(order.activeSubscriptionStart()).isNull();
    }

    @Test
    void theCustomersEmailAndTheProvinceNameStandInForWhatTheOrderLacks() throws Exception {
        ObjectNode node = order(1003, 1);
        node.putNull("email");
        node.withObjectProperty("customer").put("email", "client@example.ca");
        ObjectNode address = node.withObjectProperty("shippingAddress");
        address.putNull("provinceCode");
        address.put("province", "Ontario");
        address.put("zip", "M5V 2T6");
        address.put("countryCodeV2", "CA");

        IncomingOrder order = accepted(read().get(0));

        assertThat(order.email()).isEqualTo("client@example.ca");
        assertThat(order.shippingRegion()).isEqualTo("Ontario");
        assertThat(order.shippingCountry()).isEqualTo("CA");
    }

    @Test
    void anOrderWithoutShippingAddressOrEmailIsKeptWithoutThem() throws Exception {
        ObjectNode node = order(1004, 1);
        node.putNull("shippingAddress");
        node.putNull("email");
        node.putNull("customer");
        node.putNull("discountCodes");

        IncomingOrder order = accepted(read().get(0));

        assertThat(order.email()).isNull();
        assertThat(order.shippingAddress1()).isNull();
        assertThat(order.shippingCountry()).isNull();
        assertThat(order.addressKey()).isNull();
        assertThat(order.discountCodes()).isEmpty();
    }

    @Test
    void aCancelledOrderIsKeptWithItsCancellationTime() throws Exception {
        order(1002, 5).put("cancelledAt", "2026-05-01T12:30:00Z");

        IncomingOrder order = accepted(read().get(0));

        assertThat(order.providerOrderId()).isEqualTo("1002");
        assertThat(order.cancelledAt()).isEqualTo(Instant.parse("2026-05-01T12:30:00Z"));
        assertThat(order.changedAt()).isEqualTo(CREATED.plusSeconds(300));
    }

    @Test
    void aTestOrderIsRejectedAsNotSyncedWithItsId() throws Exception {
        order(1005, 1).put("test", true);

        ImportLine.Rejected<IncomingOrder> line = rejected(read().get(0));

        assertThat(line.line()).isZero();
        assertThat(line.recordId()).isEqualTo("1005");
        assertThat(line.reason()).isEqualTo("test order, not synced");
        assertThat(line.raw()).startsWith("{\"id\":\"gid://shopify/Order/1005\"");
    }

    @Test
    void malformedOrdersAreRejectedWithTheirIdAndReasonWhileTheRestGoOn() throws Exception {
        order(2001, 1);
        order(2002, 2).remove("createdAt");
        order(2003, 3)
                .withObjectProperty("totalPriceSet")
                .withObjectProperty("shopMoney")
                .put("amount", "12,50");
        order(2004, 4)
                .withObjectProperty("totalPriceSet")
                .withObjectProperty("shopMoney")
                .put("amount", "-1.00");
        order(2005, 5).withObjectProperty("totalPriceSet").remove("shopMoney");
        order(2006, 6)
                .withObjectProperty("totalPriceSet")
                .withObjectProperty("shopMoney")
                .put("amount", "12.345");
        order(2007, 7).put("email", "not-an-email");
        order(2008, 8).put("createdAt", "yesterday");
        order(0, 9).put("id", "gid://shopify/Order/abc");
        order(0, 10).remove("id");
        order(2009, 11)
                .withObjectProperty("totalPriceSet")
                .withObjectProperty("shopMoney")
                .put("amount", "19.990");
        order(2010, 12);

        List<ImportLine<IncomingOrder>> lines = read();

        assertThat(lines).hasSize(12);
        assertThat(accepted(lines.get(0)).providerOrderId()).isEqualTo("2001");
        assertThat(lines.subList(1, 10)).allSatisfy(line -> assertThat(line).isInstanceOf(ImportLine.Rejected.class));
        assertThat(lines.subList(1, 10).stream().map(line -> rejected(line).recordId()))
                .containsExactly("2002", "2003", "2004", "2005", "2006", "2007", "2008", null, null);
        assertThat(lines.subList(1, 10).stream().map(line -> rejected(line).reason()))
                .containsExactly(
                        "createdAt is required",
                        "totalPriceSet.shopMoney.amount '12,50' is not a decimal amount",
                        "total -1.00 is negative",
                        "totalPriceSet.shopMoney.amount is required",
                        "total 12.345 has more than 2 decimals",
                        "email 'not-an-email' is not an email address",
                        "createdAt 'yesterday' is not an ISO-8601 instant with offset or Z",
                        "id 'gid://shopify/Order/abc' is not a Shopify order id (gid://shopify/Order/<digits>)",
                        "id is required");
        assertThat(rejected(lines.get(2)).raw()).startsWith("{\"id\":\"gid://shopify/Order/2003\"");
        assertThat(accepted(lines.get(10)).total()).isEqualTo(new BigDecimal("19.99"));
        assertThat(accepted(lines.get(11)).providerOrderId()).isEqualTo("2010");
    }

    @Test
    void aValueTheDatabaseCannotStoreRejectsTheOrder() throws Exception {
        order(3001, 1).withObjectProperty("shippingAddress").put("address1", "x".repeat(300));
        order(3002, 2).withObjectProperty("shippingAddress").put("city", "San\u0000Francisco");

        List<ImportLine<IncomingOrder>> lines = read();

        assertThat(rejected(lines.get(0)).reason())
                .isEqualTo("shippingAddress.address1 is longer than 255 characters (300)");
        assertThat(rejected(lines.get(1)).reason())
                .isEqualTo("shippingAddress.city contains a NUL character (byte 0), which the database cannot store");
    }
}
