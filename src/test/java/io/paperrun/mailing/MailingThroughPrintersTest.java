package io.paperrun.mailing;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.integration.lob.FakeLob;
import io.paperrun.support.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** mailing through the printers' fakes (pipeline-rules.md §4), end to end through the command line. */
class MailingThroughPrintersTest extends PrinterFakesTest {

    /** acme with the three printers; usa (4x6) and uk (A6) by the print strategy, ip (A6) to IntelliPrint. */
    private void acmeWithThreePrinters() throws IOException {
        apply(
                List.of(MailingFixture.organization("acme", lob(), stannp(), intelliprint())),
                List.of(
                        MailingFixture.campaign("usa", "acme", "auto", "4x6"),
                        MailingFixture.campaign("uk", "acme", "auto", "A6"),
                        MailingFixture.campaign("ip", "acme", "intelliprint", "A6")));
    }

    @Test
    void printStrategyAutoChoosesThePrinterByDestinationAmongThoseConfigured() throws IOException {
        apply(
                List.of(
                        MailingFixture.organization("acme", lob(), stannp(), intelliprint()),
                        MailingFixture.organization("solo", intelliprint())),
                List.of(
                        MailingFixture.campaign("usa", "acme", "auto", "4x6"),
                        MailingFixture.campaign("uk", "acme", "auto", "A6"),
                        MailingFixture.campaign("solo-uk", "solo", "auto", "A6")));
        importRecipients("acme", "usa:us-1:US", "usa:us-2:US", "usa:jp-3:JP", "uk:gb-4:GB", "uk:gb-5:GB");
        importRecipients("solo", "solo-uk:gb-6:GB");
        proofPending();

        Cli.Result result = run(0, "run", "mailing");

        assertThat(result.out()).contains("postcards: 6 sent");
        assertThat(byRecipient("status || ' ' || provider"))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "us-1", "sent lob",
                        "us-2", "sent lob",
                        "jp-3", "sent print_file",
                        "gb-4", "sent stannp",
                        "gb-5", "sent stannp",
                        "gb-6", "sent intelliprint"));
        assertThat(lob.postcardsCreated()).isEqualTo(2);
        assertThat(stannp.postcardsCreated()).isEqualTo(2);
        assertThat(intelliprint.printsCreated()).isEqualTo(1);
    }

    @Test
    void sentRecordsThePrintersAcceptanceTimePieceIdAndCostElseTheCampaignsCostPerPiece() throws IOException {
        acmeWithThreePrinters();
        importRecipients("acme", "usa:us-1:US", "usa:us-2:US", "uk:gb-3:GB", "ip:gb-4:GB");
        proofPending();

        run(0, "run", "mailing");

        Map<String, CSVRecord> export = exported("acme");
        assertThat(export.values())
                .extracting(r -> r.get("status") + " " + r.get("sent_at") + " " + r.get("printer") + " "
                        + r.get("provider_piece_id") + " " + r.get("cost"))
                .containsExactly(
                        "sent 2024-03-01T10:00:00Z intelliprint print_00000000000001 0.56",
                        "sent 2024-03-01T10:00:00Z stannp 528001 0.55",
                        "sent 2024-03-01T10:00:00Z lob "
                                + lob.postcardIdFor(key("us-1")).orElseThrow() + " 0.89",
                        "sent 2024-03-01T10:00:00Z lob "
                                + lob.postcardIdFor(key("us-2")).orElseThrow() + " 0.89");
        assertThat(export.get("us-1").get("provider_piece_id")).startsWith("psc_");
    }

    @Test
    void theIdempotencyKeySentIsTheOneStoredPerRecipient() throws IOException {
        acmeWithThreePrinters();
        importRecipients("acme", "usa:us-1:US", "usa:us-2:US", "uk:gb-3:GB", "uk:gb-4:GB", "ip:gb-5:GB");
        proofPending();

        run(0, "run", "mailing");

        for (String us : List.of("us-1", "us-2")) {
            assertThat(key(us)).isEqualTo(IdempotencyKeys.of("acme", "usa", naturalKey(us), recipientId(us)));
            String piece = lob.postcardIdFor(key(us)).orElseThrow();
            assertThat(piece).isEqualTo(pieceId(us));
            assertThat(lob.postcardById(piece)
                            .orElseThrow()
                            .path("metadata")
                            .path("recipient")
                            .asString())
                    .isEqualTo(Long.toString(recipientId(us)));
        }
        for (String gb : List.of("gb-3", "gb-4")) {
            assertThat(key(gb)).isEqualTo(IdempotencyKeys.of("acme", "uk", naturalKey(gb), recipientId(gb)));
            assertThat(stannp.postcardIdFor(key(gb))).contains(pieceId(gb));
        }
        assertThat(stannp.requests())
                .extracting(r -> r.getHeaders().get("X-Idempotency-Key"))
                .containsExactlyInAnyOrder(key("gb-3"), key("gb-4"));
        JsonNode job = intelliprint.body(0);
        assertThat(job.path("reference").asString()).isEqualTo(key("gb-5"));
        assertThat(job.path("metadata").path("recipient").asString()).isEqualTo(Long.toString(recipientId("gb-5")));
        assertThat(intelliprint.printsFor(key("gb-5"))).isEqualTo(1);
    }

    @Test
    void exactlyOncePiecesLeftSendingAreSettledWithTheirKeyBeforeAnythingNewIsSent() throws IOException {
        acmeWithThreePrinters();
        importRecipients("acme", "usa:us-1:US", "uk:gb-2:GB", "ip:gb-3:GB", "ip:gb-4:GB");
        proofPending();
        // gb-4 was committed sending to IntelliPrint, which never received it.
        jdbc.sql("UPDATE recipient SET status = 'sending', provider = 'intelliprint', idempotency_key = ? "
                        + "WHERE external_id = 'gb-4'")
                .param(IdempotencyKeys.of("acme", "ip", naturalKey("gb-4"), recipientId("gb-4")))
                .update();
        run(0, "run", "mailing");
        assertThat(intelliprint.printsFor(key("gb-4"))).isEqualTo(1);
        // The printers accepted us-1, gb-2, gb-3, but the run died before it committed sent.
        Map<String, String> pieces = Map.of("us-1", pieceId("us-1"), "gb-2", pieceId("gb-2"), "gb-3", pieceId("gb-3"));
        jdbc.sql("UPDATE recipient SET status = 'sending', sent_at = NULL, provider_piece_id = NULL, cost = NULL "
                        + "WHERE external_id IN ('us-1', 'gb-2', 'gb-3')")
                .update();
        importRecipients("acme", "usa:us-5:US", "uk:gb-6:GB", "ip:gb-7:GB");
        proofPending();
        int lobBefore = lob.requests().size();
        int stannpBefore = stannp.requests().size();
        int intelliprintBefore = intelliprint.requests().size();

        Cli.Result result = run(0, "run", "mailing");

        assertThat(result.out())
                .contains("settled after an interruption: 3 sent")
                .contains("postcards: 3 sent");
        assertThat(byRecipient("status")).containsOnlyKeys("us-1", "gb-2", "gb-3", "gb-4", "us-5", "gb-6", "gb-7");
        assertThat(byRecipient("status").values()).containsOnly("sent");
        pieces.forEach((recipient, piece) -> assertThat(pieceId(recipient)).isEqualTo(piece));
        assertThat(lob.postcardsCreated()).isEqualTo(2);
        assertThat(lob.lists()).as("us-1 found by the key in its metadata").isEqualTo(1);
        assertThat(lob.duplicateRecipients()).isEmpty();
        assertThat(stannp.postcardsCreated()).isEqualTo(2);
        assertThat(stannp.replays()).isEqualTo(1);
        assertThat(stannp.duplicateAddresses()).isEmpty();
        assertThat(intelliprint.printsCreated()).isEqualTo(3);
        assertThat(intelliprint.duplicateReferences()).isEmpty();
        assertThat(lob.requests().subList(lobBefore, lob.requests().size()))
                .extracting(r -> r.getMethod() + " " + r.getUrl().queryParameter("metadata[piece]") + " "
                        + r.getHeaders().get("Idempotency-Key"))
                .containsExactly("GET " + key("us-1") + " null", "POST null " + key("us-5"));
        assertThat(header(
                        stannp.requests()
                                .subList(stannpBefore, stannp.requests().size()),
                        "X-Idempotency-Key"))
                .containsExactly(key("gb-2"), key("gb-6"));
        assertThat(intelliprint
                        .requests()
                        .subList(intelliprintBefore, intelliprint.requests().size()))
                .extracting(r -> r.getMethod() + " " + r.getUrl().queryParameter("reference"))
                .containsExactly("GET " + key("gb-3"), "POST null");
        assertThat(intelliprint
                        .body(intelliprint.requests().size() - 1)
                        .path("reference")
                        .asString())
                .isEqualTo(key("gb-7"));
    }

    @Test
    void aPrintersRefusalFailsThatRecipientWithThePrintersMessageAndTheOthersAreSent() throws IOException {
        acmeWithThreePrinters();
        importRecipients("acme", "usa:us-1:US", "usa:us-2:US", "uk:gb-3:GB", "uk:gb-4:GB", "ip:gb-5:GB", "ip:gb-6:GB");
        proofPending();
        lob.refuseAddressLine("2 Main St", "to.address_line1 is not a deliverable address");
        stannp.refuseAddressLine("3 High Street", "Recipient address could not be validated");
        intelliprint.refuseAddressLine("5 High Street", "The recipient's postcode is not valid.");

        Cli.Result result = run(0, "run", "mailing");

        assertThat(result.out()).contains("postcards: 3 sent").contains("3 refused by the printer");
        Map<String, CSVRecord> export = exported("acme");
        assertThat(export.values())
                .extracting(r -> r.get("external_id") + " " + r.get("status") + ": " + r.get("status_reason"))
                .containsExactlyInAnyOrder(
                        "us-1 sent: ",
                        "us-2 failed: to.address_line1 is not a deliverable address",
                        "gb-3 failed: Recipient address could not be validated",
                        "gb-4 sent: ",
                        "gb-5 failed: The recipient's postcode is not valid.",
                        "gb-6 sent: ");
        assertThat(lob.postcardsCreated()).isEqualTo(1);
        assertThat(stannp.postcardsCreated()).isEqualTo(1);
        assertThat(intelliprint.printsCreated()).isEqualTo(1);
        assertThat(run(0, "run", "mailing").out()).contains("mailing-settle: 0 read");
        assertThat(lob.postcardsCreated()).isEqualTo(1);
    }

    @Test
    void rateLimitsAndServerErrorsAreRetriedWithTheSameKey() throws IOException {
        acmeWithThreePrinters();
        importRecipients("acme", "usa:us-1:US", "uk:gb-2:GB", "ip:gb-3:GB");
        proofPending();
        lob.answerFirst(
                new MockResponse.Builder(FakeLob.error(429, "rate_limit_exceeded", "Rate limit exceeded."))
                        .setHeader("Retry-After", "1")
                        .build(),
                FakeLob.error(500, "internal_server_error", "An internal server error occurred."));
        stannp.failNextPostcards(2, 503);
        intelliprint.failNextCreatesAfterMaking(1, 502);

        run(0, "run", "mailing");

        assertThat(byRecipient("status").values()).containsOnly("sent");
        assertThat(header(lob.requests(), "Idempotency-Key")).containsExactly(key("us-1"), key("us-1"), key("us-1"));
        assertThat(lob.postcardsFor(key("us-1"))).isEqualTo(1);
        assertThat(lob.postcardsCreated()).isEqualTo(1);
        assertThat(header(stannp.requests(), "X-Idempotency-Key"))
                .containsExactly(key("gb-2"), key("gb-2"), key("gb-2"));
        assertThat(stannp.postcardsCreated()).isEqualTo(1);
        assertThat(intelliprint.createRequests()).isEqualTo(1);
        assertThat(intelliprint.lookups()).isEqualTo(1);
        assertThat(intelliprint.printsFor(key("gb-3"))).isEqualTo(1);
        assertThat(pieceId("gb-3")).isEqualTo("print_00000000000001");
    }

    @Test
    void aPrinterDownBeyondRetriesFailsItsCampaignAloneAndTheNextRunSettlesItsPiecesOnce() throws IOException {
        acmeWithThreePrinters();
        importRecipients("acme", "usa:us-1:US", "usa:us-2:US", "uk:gb-3:GB");
        proofPending();
        lob.failNextPostcards(Integer.MAX_VALUE, 503);

        Cli.Result down = run(1, "run", "mailing");

        assertThat(down.out() + down.err()).contains("FAILED");
        assertThat(byRecipient("status"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("us-1", "sending", "us-2", "sending", "gb-3", "sent"));
        assertThat(lob.postcardsCreated()).isZero();
        assertThat(header(lob.requests(), "Idempotency-Key")).containsOnly(key("us-1"), key("us-2"));

        lob.recover();
        Cli.Result next = run(0, "run", "mailing");

        assertThat(next.out()).contains("settled after an interruption: 2 sent");
        assertThat(byRecipient("status").values()).containsOnly("sent");
        assertThat(lob.postcardsFor(key("us-1"))).isEqualTo(1);
        assertThat(lob.postcardsFor(key("us-2"))).isEqualTo(1);
        assertThat(lob.postcardsCreated()).isEqualTo(2);
        assertThat(stannp.postcardsCreated()).isEqualTo(1);
        assertThat(stannp.replays()).isZero();
    }

    @Test
    void theImplicitFirstSendDateMovesAndHoldoutAttributionsAreDecidedAgainWithIt() throws IOException {
        apply(
                List.of(MailingFixture.organization("acme", lob())),
                List.of(MailingFixture.campaign(
                        "hold",
                        "acme",
                        "auto",
                        "4x6",
                        "holdout: {enabled: true, percentage: 10, absolute_maximum: 100}")));
        importRecipients("acme", "hold:h-1:US:holdout", "hold:h-2:US:holdout", "hold:s-3:US");
        jdbc.sql("UPDATE recipient SET created_at = '2024-02-01T00:00:00Z'").update();
        // h-1 orders 9 days after the first send; h-2 within the day after it, before its window opens.
        Path orders = Files.writeString(
                dir.resolve("orders.csv"),
                "order_id,created_at,email,total,currency,discount_codes,shipping_address1,shipping_address2,"
                        + "shipping_city,shipping_region,shipping_zip,shipping_country,active_subscription_start_date\n"
                        + "9001,2024-03-10T12:00:00Z,h-1@example.com,50.00,USD,,,,,,,US,\n"
                        + "9002,2024-03-01T20:00:00Z,h-2@example.com,40.00,USD,,,,,,,US,\n");
        run(0, "import", "orders", "--org", "acme", "--file", orders.toString());
        assertThat(attributions())
                .as("no first send yet: the window fails")
                .containsExactly("9001 holdout processed passes=false", "9002 holdout processed passes=false");
        proofPending();

        run(0, "run", "mailing");

        assertThat(jdbc.sql("SELECT sent_at FROM recipient WHERE external_id = 's-3'")
                        .query(Timestamp.class)
                        .single()
                        .toInstant())
                .isEqualTo(ACCEPTED);
        assertThat(attributions())
                .as("queued again by the first send")
                .containsExactly("9001 holdout unprocessed passes=false", "9002 holdout unprocessed passes=false");

        run(0, "run", "attribution-processing");

        // first_send_date 2024-03-01T10:00Z: the window runs from 2024-03-02T10:00Z for 60 days.
        assertThat(attributions())
                .containsExactly("9001 holdout processed passes=true", "9002 holdout processed passes=false");
    }

    private List<String> attributions() {
        return jdbc.sql("SELECT o.provider_order_id || CASE WHEN a.holdout THEN ' holdout' ELSE '' END "
                        + "|| CASE WHEN a.processed THEN ' processed' ELSE ' unprocessed' END "
                        + "|| ' passes=' || a.passes_rules FROM attribution a "
                        + "JOIN customer_order o ON o.id = a.order_id ORDER BY o.provider_order_id")
                .query(String.class)
                .list();
    }

    private String key(String externalId) {
        return byRecipient("idempotency_key").get(externalId);
    }

    private String pieceId(String externalId) {
        return byRecipient("provider_piece_id").get(externalId);
    }

    private String naturalKey(String externalId) {
        return byRecipient("natural_key").get(externalId);
    }

    /** The header {@code name} of the requests that carry it, in order. */
    private static List<String> header(List<RecordedRequest> requests, String name) {
        return requests.stream()
                .map(r -> r.getHeaders().get(name))
                .filter(value -> value != null)
                .toList();
    }
}
