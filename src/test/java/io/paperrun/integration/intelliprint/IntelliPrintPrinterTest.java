package io.paperrun.integration.intelliprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paperrun.campaign.PostcardSize;
import io.paperrun.integration.http.FakeSleeper;
import io.paperrun.integration.http.RateLimits;
import io.paperrun.integration.http.Secrets;
import io.paperrun.integration.lob.ArtworkFixture;
import io.paperrun.mailing.Artwork;
import io.paperrun.mailing.DeliveryStatus;
import io.paperrun.mailing.MailingAddress;
import io.paperrun.mailing.Piece;
import io.paperrun.mailing.PieceRefusedException;
import io.paperrun.mailing.PieceTracking;
import io.paperrun.mailing.Printer;
import io.paperrun.mailing.SentPiece;
import io.paperrun.organization.IntegrationSettings;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;
import tools.jackson.databind.JsonNode;

/** The IntelliPrint client, against a fake answering as IntelliPrint does (providers.md §3, pipeline-rules.md §4). */
class IntelliPrintPrinterTest {

    private static final String KEY = "key_intelliprint_9b2e";
    private static final String REFERENCE = "acme:spring-uk:42";
    private static final MailingAddress TO =
            new MailingAddress("Ada Lovelace", "12 Downing St", "Flat 2", "London", null, "SW1A 2AA", "GB");

    @StartStop
    private final MockWebServer server = new MockWebServer();

    @TempDir
    Path directory;

    private final FakeIntelliPrint intelliprint = new FakeIntelliPrint(KEY);
    private final FakeSleeper sleeper = new FakeSleeper();
    private final IntelliPrintPrinters printers = new IntelliPrintPrinters(
            new Secrets(new MockEnvironment().withProperty("IP_KEY", KEY)), new RateLimits(), sleeper);
    private Artwork artwork;

    @BeforeEach
    void serve() throws IOException {
        server.setDispatcher(intelliprint);
        artwork = ArtworkFixture.write(directory, "card", PostcardSize.A6);
    }

    private Printer open() {
        return printers.open(
                "acme",
                new IntegrationSettings(
                        "intelliprint",
                        Map.of(
                                "api_key",
                                "${IP_KEY}",
                                "base_url",
                                server.url("/").toString())));
    }

    private Piece piece(String reference, MailingAddress to, String mailType) {
        return new Piece(42, reference, "acme", "spring-uk", null, PostcardSize.A6, to, null, mailType, null, artwork);
    }

    private Piece piece() {
        return piece(REFERENCE, TO, null);
    }

    @Test
    void createsAConfirmedPostcardJobReferencedByTheKey() throws Exception {
        SentPiece sent = open().send(piece());

        RecordedRequest request = intelliprint.requests().get(0);
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/v1/prints");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(request.getHeaders().get("Idempotency-Key")).isNull();
        JsonNode job = intelliprint.body(0);
        assertThat(job.path("type").asString()).isEqualTo("postcard");
        assertThat(job.path("reference").asString()).isEqualTo(REFERENCE);
        assertThat(job.path("confirmed").asBoolean()).isTrue();
        assertThat(Base64.getDecoder().decode(job.path("file").path("content").asString()))
                .isEqualTo(Files.readAllBytes(artwork.pdf()));
        assertThat(job.path("file").path("name").asString()).endsWith(".pdf");
        JsonNode address = job.path("recipients").path(0).path("address");
        assertThat(address.path("name").asString()).isEqualTo("Ada Lovelace");
        assertThat(address.path("line").asString()).isEqualTo("12 Downing St\nFlat 2\nLondon");
        assertThat(address.path("postcode").asString()).isEqualTo("SW1A 2AA");
        assertThat(address.path("country").asString()).isEqualTo("GB");
        assertThat(job.path("postage").path("service").asString()).isEqualTo("uk_second_class");
        assertThat(job.path("postage").path("ideal_envelope").asString()).isEqualTo("postcard_a6");
        assertThat(sent.providerPieceId()).startsWith("print_");
        assertThat(sent.cost()).isEqualTo(new BigDecimal("0.56"));
        assertThat(sent.acceptedAt()).isNotNull();
        assertThat(intelliprint.lookups()).isZero();
    }

    @Test
    void firstClassWhenTheMailTypeSaysSoAndA5ByItsEnvelope() throws Exception {
        Artwork a5 = ArtworkFixture.write(directory, "a5", PostcardSize.A5);
        open().send(new Piece(
                1, "acme:a5:1", "acme", "a5", null, PostcardSize.A5, TO, null, "uk_first_class", null, a5));

        assertThat(intelliprint.body(0).path("postage").path("service").asString())
                .isEqualTo("uk_first_class");
        assertThat(intelliprint.body(0).path("postage").path("ideal_envelope").asString())
                .isEqualTo("postcard_a5");
    }

    @Test
    void settleFindsTheJobAlreadyMadeAndCreatesNone() throws Exception {
        SentPiece sent = open().send(piece());

        assertThat(open().settle(piece())).isEqualTo(sent);
        assertThat(intelliprint.printsFor(REFERENCE)).isEqualTo(1);
        assertThat(intelliprint.createRequests()).isEqualTo(1);
    }

    @Test
    void settleCreatesTheJobWhenThereIsNone() throws Exception {
        SentPiece sent = open().settle(piece());

        assertThat(sent.providerPieceId()).startsWith("print_");
        assertThat(intelliprint.lookups()).isEqualTo(1);
        assertThat(intelliprint.printsFor(REFERENCE)).isEqualTo(1);
    }

    @Test
    void aCreateWhoseAnswerIsLostIsFoundByReferenceNotPostedAgain() throws Exception {
        intelliprint.failNextCreatesAfterMaking(1, 502);

        SentPiece sent = open().send(piece());

        assertThat(intelliprint.requests())
                .extracting(RecordedRequest::getMethod)
                .containsExactly("POST", "GET");
        assertThat(sent.providerPieceId()).startsWith("print_");
        assertThat(intelliprint.createRequests()).isEqualTo(1);
        assertThat(intelliprint.printsFor(REFERENCE)).isEqualTo(1);
        assertThat(intelliprint.duplicateReferences()).isEmpty();
    }

    @Test
    void aFailedCreateIsLookedUpThenCreatedOnce() throws Exception {
        intelliprint.failNextCreates(1, 503);

        open().send(piece());

        assertThat(intelliprint.requests())
                .extracting(RecordedRequest::getMethod)
                .containsExactly("POST", "GET", "POST");
        assertThat(intelliprint.printsFor(REFERENCE)).isEqualTo(1);
    }

    @Test
    void a429WaitsTheTimeIntelliPrintSaysThenLooksUpBeforePosting() throws Exception {
        intelliprint.answerFirst(new MockResponse.Builder(FakeIntelliPrint.error(
                        429, "rate_limited", "rate_limited", "Too many requests, please slow down.", null))
                .setHeader("Retry-After", "20")
                .build());

        open().send(piece());

        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(20));
        assertThat(intelliprint.requests())
                .extracting(RecordedRequest::getMethod)
                .containsExactly("POST", "GET", "POST");
        assertThat(intelliprint.printsFor(REFERENCE)).isEqualTo(1);
    }

    @Test
    void anOutageOutlastingTheAttemptsFailsWithoutADuplicate() {
        intelliprint.failNextCreates(Integer.MAX_VALUE, 500);

        assertThatThrownBy(() -> open().send(piece()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("gave up after 4 attempts, last status 500");
        assertThat(intelliprint.createRequests()).isEqualTo(4);
        assertThat(intelliprint.lookups()).isEqualTo(3);
    }

    @Test
    void theLookupChecksEachJobsReferenceWhenTheFilterIsIgnored() throws Exception {
        intelliprint.ignoreReferenceFilter(true);
        Printer printer = open();
        SentPiece mine = printer.send(piece());
        intelliprint.addOtherJobs(150);
        printer.send(piece("acme:spring-uk:43", TO, null));

        assertThat(printer.settle(piece())).isEqualTo(mine);
        assertThat(intelliprint.printsFor(REFERENCE)).isEqualTo(1);
    }

    @Test
    void aLookupThatCannotRuleOutAJobRefusesToCreateOne() {
        intelliprint.ignoreReferenceFilter(true);
        intelliprint.addOtherJobs(IntelliPrintPrinter.MAX_PAGES * IntelliPrintPrinter.PAGE_SIZE + 1);

        assertThatThrownBy(() -> open().settle(piece()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not creating one");
        assertThat(intelliprint.createRequests()).isZero();
        assertThat(intelliprint.lookups()).isEqualTo(IntelliPrintPrinter.MAX_PAGES);
    }

    @Test
    void a400RefusesThePieceWithIntelliPrintsMessage() {
        intelliprint.refuseAddressLine("1 Nowhere Rd", "The address could not be found.");

        assertThatThrownBy(() -> open().send(piece(
                        REFERENCE,
                        new MailingAddress("A B", "1 Nowhere Rd", null, "London", null, "N1 1AA", "GB"),
                        null)))
                .isInstanceOf(PieceRefusedException.class)
                .hasMessage("The address could not be found.");
        assertThat(intelliprint.requests()).hasSize(1);
    }

    @Test
    void aRefusedKeyFailsNamingTheSettingNotTheKey() {
        server.setDispatcher(new FakeIntelliPrint("someone_elses_key"));

        assertThatThrownBy(() -> open().send(piece()))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(PieceRefusedException.class)
                .hasMessageContaining("integrations.intelliprint.api_key")
                .hasMessageContaining("status 401")
                .hasMessageNotContaining(KEY);
    }

    @Test
    void theLettersStatusMapsToTheDeliveryStatusWithAStableEventId() throws Exception {
        Printer printer = open();
        String id = printer.send(piece()).providerPieceId();

        PieceTracking waiting = printer.track(id);
        assertThat(waiting.status()).isNull();
        assertThat(waiting.finished()).isFalse();
        assertThat(waiting.events())
                .singleElement()
                .satisfies(event -> assertThat(event.id()).isEqualTo(id + ":waiting_to_print"));

        intelliprint.setLetterStatus(id, "sent");
        assertThat(printer.track(id).status()).isEqualTo(DeliveryStatus.IN_TRANSIT);
        assertThat(printer.track(id).finished()).isFalse();
        assertThat(printer.track(id).events()).isEqualTo(printer.track(id).events());

        intelliprint.setLetterStatus(id, "failed_wrong_address");
        assertThat(printer.track(id).status()).isEqualTo(DeliveryStatus.RETURNED_TO_SENDER);
        assertThat(printer.track(id).finished()).isTrue();

        intelliprint.setLetterStatus(id, "cancelled");
        assertThat(printer.track(id).status()).isNull();
        assertThat(printer.track(id).finished()).isTrue();
    }
}
