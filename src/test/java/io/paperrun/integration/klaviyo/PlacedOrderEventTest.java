package io.paperrun.integration.klaviyo;

import static io.paperrun.integration.klaviyo.FakeKlaviyo.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paperrun.batch.RejectedRowException;
import io.paperrun.order.IncomingOrder;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** How one Placed Order event and its profile become an order, or a rejection saying why. */
class PlacedOrderEventTest {

    private static JsonNode event(String properties) {
        return FakeKlaviyo.event("evK1", "PoShop", "2024-03-05T14:30:00+00:00", "prK1", json(properties));
    }

    private static JsonNode profile(String location, String properties) {
        return FakeKlaviyo.profile("prK1", "ann@example.com", json(location), json(properties))
                .path("attributes");
    }

    private static JsonNode profile() {
        return profile("{}", "{}");
    }

    private static IncomingOrder order(String properties) throws RejectedRowException {
        return new PlacedOrderEvent(event(properties), profile()).toOrder();
    }

    private static String rejection(String properties) {
        return rejection(event(properties), profile());
    }

    private static String rejection(JsonNode event, JsonNode profile) {
        try {
            new PlacedOrderEvent(event, profile).toOrder();
        } catch (RejectedRowException rejected) {
            return rejected.getMessage();
        }
        throw new AssertionError("not rejected");
    }

    @Nested
    class TheOrderId {

        @Test
        void isTheOrderIdPropertyFirst() throws RejectedRowException {
            assertThat(order("{'OrderId': 'A-1', '$event_id': 'E-1', '$value': 1}")
                            .providerOrderId())
                    .isEqualTo("A-1");
        }

        @Test
        void elseTheEventIdProperty() throws RejectedRowException {
            assertThat(order("{'$event_id': 5001, '$value': 1}").providerOrderId())
                    .isEqualTo("5001");
        }

        @Test
        void elseTheEventsOwnId() throws RejectedRowException {
            assertThat(order("{'$value': 1}").providerOrderId()).isEqualTo("evK1");
        }

        @Test
        void thatCannotBeReadRejectsTheOrderWhichTheEventsIdThenNames() {
            JsonNode event = event("{'OrderId': {'id': 1}, '$value': 1}");

            assertThat(rejection(event, profile())).isEqualTo("event_properties.OrderId is not text but '{\"id\":1}'");
            assertThat(new PlacedOrderEvent(event, profile()).recordId()).isEqualTo("evK1");
        }
    }

    @Nested
    class TheTotal {

        @ParameterizedTest
        @CsvSource({"12, 12.00", "'\"12.5\"', 12.50", "59.970000000000006, 59.97", "0.1, 0.10", "1e2, 100.00"})
        void isTheValueAsANumberOrInAString(String value, BigDecimal total) throws RejectedRowException {
            assertThat(order("{'$value': " + value + "}").total()).isEqualTo(total);
        }

        @Test
        void withAThirdDecimalThatIsNoFloatErrorRejectsTheOrder() {
            assertThat(rejection("{'$value': 19.999}")).isEqualTo("total 19.999 has more than 2 decimals");
        }

        @Test
        void missingRejectsTheOrder() {
            assertThat(rejection("{'Item Count': 2}"))
                    .isEqualTo("event_properties.$value (the order's total) is required");
        }

        @Test
        void negativeRejectsTheOrder() {
            assertThat(rejection("{'$value': -3}")).isEqualTo("total -3 is negative");
        }

        @Test
        void notANumberRejectsTheOrder() {
            assertThat(rejection("{'$value': [1]}")).isEqualTo("event_properties.$value is not text but '[1]'");
        }
    }

    @Nested
    class TheTime {

        @Test
        void isTheEventsDatetimeForTheOrderAndItsChange() throws RejectedRowException {
            IncomingOrder order = order("{'$value': 1}");

            assertThat(order.orderedAt()).isEqualTo(Instant.parse("2024-03-05T14:30:00Z"));
            assertThat(order.changedAt()).isEqualTo(order.orderedAt());
            assertThat(order.cancelledAt()).isNull();
        }

        @Test
        void elseItsTimestamp() throws RejectedRowException {
            ObjectNode event = (ObjectNode) event("{'$value': 1}");
            ((ObjectNode) event.path("attributes")).putNull("datetime");

            assertThat(new PlacedOrderEvent(event, profile()).toOrder().orderedAt())
                    .isEqualTo(Instant.parse("2024-03-05T14:30:00Z"));
        }

        @Test
        void unreadableRejectsTheOrder() {
            ObjectNode event = (ObjectNode) event("{'$value': 1}");
            ((ObjectNode) event.path("attributes")).put("datetime", "yesterday");

            assertThat(rejection(event, profile()))
                    .isEqualTo("datetime 'yesterday' is not an ISO-8601 time with an offset");
        }
    }

    @Nested
    class TheDiscountCodes {

        @Test
        void comeFromTheShopifyListAndTheCustomApiStringEachOnce() throws RejectedRowException {
            IncomingOrder order =
                    order("{'$value': 1, 'Discount Codes': ['WELCOME10', ' vip ', ''], 'DiscountCode': 'WELCOME10'}");

            assertThat(order.discountCodes()).containsExactly("WELCOME10", "vip");
            assertThat(order.codesUpper()).containsExactly("WELCOME10", "VIP");
        }

        @Test
        void mayBeOneCodeInEitherProperty() throws RejectedRowException {
            assertThat(order("{'$value': 1, 'Discount Codes': 'SUMMER'}").discountCodes())
                    .containsExactly("SUMMER");
            assertThat(order("{'$value': 1, 'DiscountCode': null}").discountCodes())
                    .isEmpty();
        }

        @Test
        void thatAreNotTextRejectTheOrder() {
            assertThat(rejection("{'$value': 1, 'Discount Codes': [{'code': 'X'}]}"))
                    .isEqualTo("event_properties.Discount Codes is not text but '{\"code\":\"X\"}'");
        }
    }

    @Nested
    class TheCurrency {

        @Test
        void isTheCurrencyCodePropertyElseCurrencyUppercase() throws RejectedRowException {
            assertThat(order("{'$value': 1, '$currency_code': 'usd', 'Currency': 'EUR'}")
                            .currency())
                    .isEqualTo("USD");
            assertThat(order("{'$value': 1, 'Currency': 'gbp'}").currency()).isEqualTo("GBP");
            assertThat(order("{'$value': 1}").currency()).isNull();
        }
    }

    @Nested
    class TheProfile {

        @Test
        void givesTheEmailAndTheShippingAddressWithTheCountrysCode() throws RejectedRowException {
            JsonNode profile = profile(
                    "{'address1': ' 10 Downing Street ', 'city': 'London', 'zip': 'SW1A 2AA', 'country': 'United Kingdom'}",
                    "{}");

            IncomingOrder order = new PlacedOrderEvent(event("{'$value': 1}"), profile).toOrder();

            assertThat(order.email()).isEqualTo("ann@example.com");
            assertThat(order.shippingAddress1()).isEqualTo("10 Downing Street");
            assertThat(order.shippingCountry()).isEqualTo("GB");
            assertThat(order.addressKey()).isEqualTo("10downingstsw1a2aa");
        }

        @Test
        void thatIsMissingLeavesTheOrderWithoutEmailOrAddress() throws RejectedRowException {
            IncomingOrder order = new PlacedOrderEvent(event("{'$value': 1}"), null).toOrder();

            assertThat(order.email()).isNull();
            assertThat(order.shippingAddress1()).isNull();
            assertThat(order.addressKey()).isNull();
            assertThat(order.activeSubscriptionStart()).isNull();
        }

        @Test
        void withAnEmailThatIsNoneRejectsTheOrder() {
            ObjectNode profile = (ObjectNode) profile();
            profile.put("email", "not-an-email");

            assertThat(rejection(event("{'$value': 1}"), profile))
                    .isEqualTo("email 'not-an-email' is not an email address");
        }

        @Test
        void withAnAddressTheDatabaseCannotStoreRejectsTheOrder() {
            assertThat(rejection(event("{'$value': 1}"), profile("{'address1': '1 Main\\u0000St'}", "{}")))
                    .isEqualTo("the profile's location.address1 contains a NUL character (byte 0), which the database"
                            + " cannot store");
            assertThat(rejection(event("{'$value': 1}"), profile("{'city': '" + "x".repeat(256) + "'}", "{}")))
                    .isEqualTo("the profile's location.city is longer than 255 characters (256)");
        }

        @ParameterizedTest
        @CsvSource({
            "2024-01-15, 2024-01-15T00:00:00Z",
            "2024-01-15T10:00:00Z, 2024-01-15T10:00:00Z",
            "2024-01-15T10:00:00+02:00, 2024-01-15T08:00:00Z",
            "2024-01-15 10:00:00, 2024-01-15T10:00:00Z",
            "2024-01-15T10:00:00.123456, 2024-01-15T10:00:00.123456Z"
        })
        void givesTheActiveSubscriptionStartAsADateOrATime(String value, Instant start) throws RejectedRowException {
            JsonNode profile = profile("{}", "{'active_subscription_start_date': '" + value + "'}");

            assertThat(new PlacedOrderEvent(event("{'$value': 1}"), profile)
                            .toOrder()
                            .activeSubscriptionStart())
                    .isEqualTo(start);
        }

        @Test
        void withAnUnreadableSubscriptionStartRejectsTheOrder() {
            JsonNode profile = profile("{}", "{'active_subscription_start_date': 'last spring'}");

            assertThat(rejection(event("{'$value': 1}"), profile))
                    .isEqualTo("the profile's property active_subscription_start_date 'last spring' is not a date or"
                            + " an ISO-8601 time");
        }
    }

    @Test
    void theRawTextOfARejectionIsTheEventCutToTheExcerptsLength() {
        PlacedOrderEvent event =
                new PlacedOrderEvent(event("{'$value': 'x', 'Items': '" + "y".repeat(500) + "'}"), profile());

        assertThat(event.raw())
                .startsWith("{\"type\":\"event\",\"id\":\"evK1\"")
                .hasSizeLessThan(260);
    }

    @Test
    void anOrderWithoutAnyIdIsRejected() {
        ObjectNode event = (ObjectNode) event("{'$value': 1}");
        event.remove("id");

        assertThatThrownBy(() -> new PlacedOrderEvent(event, profile()).toOrder())
                .hasMessage("the event has no id (event_properties.OrderId, $event_id or id)");
    }
}
