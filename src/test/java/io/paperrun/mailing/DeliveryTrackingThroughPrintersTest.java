package io.paperrun.mailing;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.Cli;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** delivery-tracking through the printers' fakes (pipeline-rules.md §5), end to end through the command line. */
class DeliveryTrackingThroughPrintersTest extends PrinterFakesTest {

    /** us-1, us-2 sent by Lob, gb-3 by Stannp, gb-4 by IntelliPrint, jp-5 into the print file; all of acme. */
    @BeforeEach
    void sentPieces() throws IOException {
        apply(
                List.of(MailingFixture.organization("acme", lob(), stannp(), intelliprint())),
                List.of(
                        MailingFixture.campaign("usa", "acme", "auto", "4x6"),
                        MailingFixture.campaign("uk", "acme", "auto", "A6"),
                        MailingFixture.campaign("ip", "acme", "intelliprint", "A6"),
                        MailingFixture.campaign("later", "acme", "auto", "4x6")));
        importRecipients("acme", "usa:us-1:US", "usa:us-2:US", "uk:gb-3:GB", "ip:gb-4:GB", "usa:jp-5:JP");
        proofPending();
        run(0, "run", "mailing");
        assertThat(byRecipient("status").values()).containsOnly("sent");
    }

    @Test
    void lobsEventsGiveInTransitThenDeliveredWithItsDateAndAreStoredOnce() {
        lob.addTrackingEvent(piece("us-1"), "In Transit", Instant.parse("2024-03-02T08:00:00Z"));

        run(0, "run", "delivery-tracking");

        assertThat(byRecipient("coalesce(delivery_status, '-') || ' ' || coalesce(in_home_date::text, '-')"))
                .containsEntry("us-1", "in_transit -")
                .containsEntry("us-2", "- -");
        assertThat(byRecipient("status").values()).containsOnly("sent");

        lob.addTrackingEvent(piece("us-1"), "Delivered", Instant.parse("2024-03-05T23:30:00Z"));
        run(0, "run", "delivery-tracking");

        assertThat(exported().get("us-1")).isEqualTo("sent delivered 2024-03-05");
        assertThat(events("us-1")).containsExactly("In Transit 2024-03-02T08:00:00Z", "Delivered 2024-03-05T23:30:00Z");
    }

    @Test
    void stannpsAndIntelliPrintsStatusesAreMappedThroughTheJob() {
        stannp.setStatus(piece("gb-3"), "handed_over");
        intelliprint.setLetterStatus(piece("gb-4"), "sent");

        run(0, "run", "delivery-tracking");

        assertThat(byRecipient("coalesce(delivery_status, '-')"))
                .containsEntry("gb-3", "in_transit")
                .containsEntry("gb-4", "in_transit");

        stannp.setStatus(piece("gb-3"), "delivered");
        stannp.setDispatched(piece("gb-3"), Instant.parse("2024-03-04T09:00:00Z"));
        intelliprint.setLetterStatus(piece("gb-4"), "returned");
        run(0, "run", "delivery-tracking");

        assertThat(exported())
                .containsEntry("gb-3", "sent delivered 2024-03-04")
                .containsEntry("gb-4", "sent returned_to_sender ");
        assertThat(events("gb-3")).hasSize(2);
        assertThat(events("gb-4")).hasSize(2);
    }

    @Test
    void aReturnedAddressIsSuppressedForTheOrganizationsLaterCampaigns() throws IOException {
        lob.addTrackingEvent(piece("us-2"), "In Transit", Instant.parse("2024-03-02T08:00:00Z"));
        lob.addTrackingEvent(piece("us-2"), "Returned to Sender", Instant.parse("2024-03-06T08:00:00Z"));

        Cli.Result result = run(0, "run", "delivery-tracking");

        assertThat(result.out()).contains("acme: 0 delivered, 1 returned to sender");
        assertThat(exported().get("us-2")).isEqualTo("sent returned_to_sender ");
        String file = "later.csv";
        run(
                0,
                "import",
                "recipients",
                "--org",
                "acme",
                "--file",
                MailingFixture.recipients(dir, file, false, "later:us-2:US", "later:us-6:US")
                        .toString());
        assertThat(jdbc.sql("SELECT r.external_id || ' ' || r.status || ' ' || coalesce(r.suppression_reason, '') "
                                + "FROM recipient r JOIN campaign c ON c.id = r.campaign_id "
                                + "WHERE c.key = 'later' ORDER BY r.external_id")
                        .query(String.class)
                        .list())
                .containsExactly("us-2 suppressed returned", "us-6 pending ");
    }

    @Test
    void finishedPiecesAreNotAskedAgainAndPrintFilePiecesNeverTracked() {
        lob.addTrackingEvent(piece("us-1"), "Delivered", Instant.parse("2024-03-05T12:00:00Z"));
        stannp.setStatus(piece("gb-3"), "delivered");
        intelliprint.setLetterStatus(piece("gb-4"), "returned");

        run(0, "run", "delivery-tracking");
        run(0, "run", "delivery-tracking");
        run(0, "run", "delivery-tracking");

        assertThat(reads(lob.requests(), piece("us-1"))).isEqualTo(1);
        assertThat(reads(lob.requests(), piece("us-2")))
                .as("no event yet: asked every run")
                .isEqualTo(3);
        assertThat(reads(stannp.requests(), piece("gb-3"))).isEqualTo(1);
        assertThat(reads(intelliprint.requests(), piece("gb-4"))).isEqualTo(1);
        assertThat(byRecipient("tracked_at IS NOT NULL"))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("us-1", "t", "us-2", "t", "gb-3", "t", "gb-4", "t", "jp-5", "f"));
        assertThat(count("delivery_event")).isEqualTo(3);
    }

    /** status, delivery_status and in_home_date of each recipient as {@code export recipients} writes them. */
    private Map<String, String> exported() {
        Map<String, String> rows = new LinkedHashMap<>();
        exported("acme")
                .forEach((id, row) -> rows.put(
                        id, row.get("status") + " " + row.get("delivery_status") + " " + row.get("in_home_date")));
        return rows;
    }

    private String piece(String externalId) {
        return byRecipient("provider_piece_id").get(externalId);
    }

    private List<String> events(String externalId) {
        return jdbc.sql(
                        "SELECT e.name || ' ' || to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
                                + "FROM delivery_event e JOIN recipient r ON r.id = e.recipient_id "
                                + "WHERE r.external_id = ? ORDER BY e.occurred_at, e.event_id")
                .param(externalId)
                .query(String.class)
                .list();
    }

    /** The GET requests that read the piece {@code id}. */
    private static long reads(List<RecordedRequest> requests, String id) {
        return requests.stream()
                .filter(r ->
                        r.getMethod().equals("GET") && r.getUrl().encodedPath().endsWith("/" + id))
                .count();
    }
}
