package io.paperrun.integration.ometria;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.paperrun.batch.ImportLine;
import io.paperrun.enrichment.AddressKey;
import io.paperrun.integration.ometria.OmetriaOrderSource.Position;
import io.paperrun.order.IncomingOrder;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class OmetriaOrdersTest {

    private static JsonNode record(String json) {
        return OmetriaOrders.records("[" + json + "]").orElseThrow().get(0);
    }

    private static IncomingOrder accepted(String json) {
        ImportLine<IncomingOrder> line = OmetriaOrders.line(record(json));
        assertThat(line).isInstanceOf(ImportLine.Accepted.class);
        return ((ImportLine.Accepted<IncomingOrder>) line).value();
    }

    private static ImportLine.Rejected<IncomingOrder> rejected(String json) {
        ImportLine<IncomingOrder> line = OmetriaOrders.line(record(json));
        assertThat(line).isInstanceOf(ImportLine.Rejected.class);
        return (ImportLine.Rejected<IncomingOrder>) line;
    }

    @Nested
    class Mapping {

        @Test
        void anOrderBecomesAnIncomingOrder() {
            IncomingOrder order = accepted("""
                    {"@type":"order","id":"100023","timestamp":"2026-05-01T10:15:00+01:00",
                     "timestamp_update":"2026-05-02T08:00:00Z","grand_total":"59.90","currency":"gbp",
                     "status":"complete","is_valid":true,
                     "customer":{"id":"c9","email":"Ann.Lee@Example.com","firstname":"Ann","lastname":"Lee"},
                     "lineitems":[{"product":{"id":"p1"},"quantity":1}],
                     "shipping_address":{"line_1":"1 Market Street","line_2":"Flat 2","city":"London",
                                         "state":"Greater London","postcode":"EC1A 1BB","country_code":"gb"},
                     "coupon_code":"welcome10"}""");

            assertThat(order.providerOrderId()).isEqualTo("100023");
            assertThat(order.orderedAt()).isEqualTo(Instant.parse("2026-05-01T09:15:00Z"));
            assertThat(order.changedAt()).isEqualTo(Instant.parse("2026-05-02T08:00:00Z"));
            assertThat(order.cancelledAt()).isNull();
            assertThat(order.total()).isEqualTo(new BigDecimal("59.90"));
            assertThat(order.currency()).isEqualTo("GBP");
            assertThat(order.email()).isEqualTo("Ann.Lee@Example.com");
            assertThat(order.emailLower()).isEqualTo("ann.lee@example.com");
            assertThat(order.discountCodes()).containsExactly("welcome10");
            assertThat(order.codesUpper()).containsExactly("WELCOME10");
            assertThat(order.shippingAddress1()).isEqualTo("1 Market Street");
            assertThat(order.shippingAddress2()).isEqualTo("Flat 2");
            assertThat(order.shippingCity()).isEqualTo("London");
            assertThat(order.shippingRegion()).isEqualTo("Greater London");
            assertThat(order.shippingZip()).isEqualTo("EC1A 1BB");
            assertThat(order.shippingCountry()).isEqualTo("GB");
            assertThat(order.addressKey()).isEqualTo(AddressKey.of("1 Market Street", "Flat 2", "EC1A 1BB", "GB"));
            assertThat(order.activeSubscriptionStart()).isNull();
        }

        @Test
        void withoutAnUpdateTimeTheOrderChangedWhenOrdered() {
            IncomingOrder order = accepted("""
                    {"id":7,"timestamp":"2026-05-01T10:00:00Z","grand_total":12}""");

            assertThat(order.providerOrderId()).isEqualTo("7");
            assertThat(order.changedAt()).isEqualTo(order.orderedAt());
            assertThat(order.total()).isEqualTo(new BigDecimal("12.00"));
            assertThat(order.email()).isNull();
            assertThat(order.discountCodes()).isEmpty();
            assertThat(order.addressKey()).isNull();
        }

        @Test
        void theOtherAddressFieldNamesAreReadToo() {
            IncomingOrder order = accepted("""
                    {"id":"1","timestamp":"2026-05-01T10:00:00Z","grand_total":1,
                     "shipping_address":{"address_1":"5 Elm Road","address_2":"Unit 3","city":"Leeds",
                                         "region":"West Yorkshire","zip":"LS1 4AP","countrycode":"gb"}}""");

            assertThat(order.shippingAddress1()).isEqualTo("5 Elm Road");
            assertThat(order.shippingAddress2()).isEqualTo("Unit 3");
            assertThat(order.shippingRegion()).isEqualTo("West Yorkshire");
            assertThat(order.shippingZip()).isEqualTo("LS1 4AP");
            assertThat(order.shippingCountry()).isEqualTo("GB");
            assertThat(order.addressKey()).isNotNull();
        }

        @Test
        void severalCouponCodesAreReadFromAListOrCommas() {
            assertThat(accepted("""
                            {"id":"1","timestamp":"2026-05-01T10:00:00Z","grand_total":1,
                             "coupon_code":"SPRING, FREESHIP"}""").discountCodes()).containsExactly("SPRING", "FREESHIP");
            assertThat(accepted("""
                            {"id":"1","timestamp":"2026-05-01T10:00:00Z","grand_total":1,
                             "coupon_code":["SPRING","FREESHIP"]}""").discountCodes()).containsExactly("SPRING", "FREESHIP");
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "\"status\":\"cancelled\",\"is_valid\":true",
                    "\"status\":\"Canceled\"",
                    "\"status\":\"complete\",\"is_valid\":false",
                    "\"status\":\"pending\",\"is_valid\":\"false\""
                })
        void aCancelledOrInvalidOrderIsKeptCancelledWhenLastUpdated(String state) {
            IncomingOrder order = accepted("""
                    {"id":"1","timestamp":"2026-05-01T10:00:00Z","timestamp_update":"2026-05-03T09:30:00Z",
                     "grand_total":40,%s}""".formatted(state));

            assertThat(order.cancelledAt()).isEqualTo(Instant.parse("2026-05-03T09:30:00Z"));
            assertThat(order.changedAt()).isEqualTo(order.cancelledAt());
        }

        @Test
        void aValidOrderIsNotCancelled() {
            assertThat(accepted("""
                            {"id":"1","timestamp":"2026-05-01T10:00:00Z","grand_total":1,
                             "status":"shipped","is_valid":true}""").cancelledAt()).isNull();
        }
    }

    @Nested
    class Rejection {

        static Stream<Arguments> badValues() {
            return Stream.of(
                    arguments("\"grand_total\":-5", "total -5 is negative"),
                    arguments("\"grand_total\":\"9.999\"", "total 9.999 has more than 2 decimals"),
                    arguments("\"grand_total\":\"1e3\"", "grand_total '1e3' is not a number"),
                    arguments("\"grand_total\":{\"value\":1}", "grand_total is not a single value"),
                    arguments(
                            "\"customer\":{\"email\":\"nobody\"},\"grand_total\":1",
                            "email 'nobody' is not an email address"),
                    arguments(
                            "\"timestamp_update\":\"yesterday\",\"grand_total\":1",
                            "timestamp_update 'yesterday' is not an ISO-8601 instant with offset or Z"),
                    arguments(
                            "\"timestamp_update\":\"+10000-01-01T00:00:00Z\",\"grand_total\":1",
                            "timestamp_update +10000-01-01T00:00:00Z is outside the years 0001 to 9999"),
                    arguments(
                            "\"shipping_address\":\"1 Elm Road\",\"grand_total\":1",
                            "shipping_address is not an object"),
                    arguments(
                            "\"currency\":\"" + "G".repeat(256) + "\",\"grand_total\":1",
                            "currency is longer than 255 characters (256)"));
        }

        @ParameterizedTest
        @MethodSource("badValues")
        void aBadValueRejectsTheOrderWithItsIdAndTheReason(String field, String reason) {
            ImportLine.Rejected<IncomingOrder> line = rejected("""
                    {"id":"o9","timestamp":"2026-05-01T10:00:00Z",%s}""".formatted(field));

            assertThat(line.recordId()).isEqualTo("o9");
            assertThat(line.reason()).isEqualTo(reason);
            assertThat(line.raw()).contains("\"id\":\"o9\"");
        }

        @Test
        void anOrderNeedsATotalAndATime() {
            assertThat(rejected("{\"id\":\"o9\",\"timestamp\":\"2026-05-01T10:00:00Z\"}")
                            .reason())
                    .isEqualTo("total is required");
            assertThat(rejected("{\"id\":\"o9\",\"grand_total\":1}").reason()).isEqualTo("timestamp is required");
            assertThat(rejected("{\"id\":\"o9\",\"timestamp\":\"2026-05-01T10:00:00\",\"grand_total\":1}")
                            .reason())
                    .isEqualTo("timestamp '2026-05-01T10:00:00' is not an ISO-8601 instant with offset or Z");
        }

        @Test
        void anOrderWithoutAnIdIsRejectedWithoutOne() {
            ImportLine.Rejected<IncomingOrder> line =
                    rejected("{\"timestamp\":\"2026-05-01T10:00:00Z\",\"grand_total\":1}");

            assertThat(line.recordId()).isNull();
            assertThat(line.reason()).isEqualTo("id is required");
        }

        @Test
        void aRecordThatIsNotAnObjectIsRejected() {
            assertThat(rejected("\"o9\"").reason()).isEqualTo("the record is not a JSON object");
        }

        @Test
        void aLongRecordIsQuotedInPart() {
            String note = "x".repeat(500);
            ImportLine.Rejected<IncomingOrder> line =
                    rejected("{\"id\":\"o9\",\"note\":\"" + note + "\",\"grand_total\":1}");

            assertThat(line.raw()).startsWith("{\"id\":\"o9\"").endsWith("characters)");
        }
    }

    @Nested
    class Positions {

        private static final Instant T = Instant.parse("2026-05-01T10:00:00Z");

        private static JsonNode updated(Instant at) {
            return record("{\"id\":\"1\",\"timestamp\":\"" + at + "\"}");
        }

        @Test
        void aPositionFollowsTheLastUpdateAndCountsTheOrdersReadAtIt() {
            Position after = new Position(null, 0)
                    .after(List.of(updated(T), updated(T.plusSeconds(1)), updated(T.plusSeconds(1))));

            assertThat(after).isEqualTo(new Position(T.plusSeconds(1), 2));
        }

        @Test
        void ordersAtTheSameTimeAsThePositionAddToItsCount() {
            assertThat(new Position(T, 100).after(List.of(updated(T), updated(T))))
                    .isEqualTo(new Position(T, 102));
        }

        @Test
        void anUnreadableTimeCountsAsTheLastOneRead() {
            JsonNode unreadable = record("{\"id\":\"2\",\"timestamp\":\"soon\"}");

            assertThat(new Position(T, 0).after(List.of(updated(T.plusSeconds(5)), unreadable)))
                    .isEqualTo(new Position(T.plusSeconds(5), 2));
            assertThat(new Position(null, 0).after(List.of(unreadable))).isEqualTo(new Position(null, 1));
        }

        @Test
        void aCursorIsReadBack() {
            Position position = new Position(T, 3);

            assertThat(Position.parse(position.toString())).isEqualTo(position);
            assertThat(Position.parse(new Position(null, 200).toString())).isEqualTo(new Position(null, 200));
        }
    }
}
