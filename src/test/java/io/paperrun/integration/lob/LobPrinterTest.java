package io.paperrun.integration.lob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.paperrun.campaign.PostcardSize;
import io.paperrun.integration.http.FakeSleeper;
import io.paperrun.integration.http.ProviderAccount;
import io.paperrun.integration.http.RateLimits;
import io.paperrun.integration.http.Secrets;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

/** The Lob postcard client, against a fake answering as Lob does (providers.md §1, pipeline-rules.md §4–5). */
class LobPrinterTest {

    static final String KEY = "test_0dc8d51e0acffcb1880e0f19c79b2f5b0cc";
    static final MailingAddress TO =
            new MailingAddress("Harry Zhang", "210 King St", "# 6100", "San Francisco", "CA", "94107", "US");
    static final MailingAddress FROM =
            new MailingAddress("Acme Co", "1 Market St", null, "San Francisco", "CA", "94105", "US");

    @StartStop
    private final MockWebServer server = new MockWebServer();

    @TempDir
    Path directory;

    private final FakeLob lob = new FakeLob(KEY);
    private final FakeSleeper sleeper = new FakeSleeper();
    private final RateLimits rateLimits = new RateLimits();
    private final LobPrinters printers =
            new LobPrinters(new Secrets(new MockEnvironment().withProperty("LOB_KEY", KEY)), rateLimits, sleeper);
    private Artwork artwork;

    @BeforeEach
    void serve() throws IOException {
        server.setDispatcher(lob);
        artwork = ArtworkFixture.write(directory, "card", PostcardSize.SIX_BY_NINE);
    }

    private Printer open() {
        return printers.open(
                "acme",
                new IntegrationSettings(
                        "lob",
                        Map.of(
                                "api_key",
                                "${LOB_KEY}",
                                "base_url",
                                server.url("/").toString())));
    }

    private Piece piece(long recipient, String key, MailingAddress to) {
        return new Piece(
                recipient,
                key,
                "acme",
                "winback-2024",
                "ext-" + recipient,
                PostcardSize.SIX_BY_NINE,
                to,
                FROM,
                "usps_first_class",
                "marketing",
                artwork);
    }

    private Piece piece() {
        return piece(42, "acme:winback-2024:42", TO);
    }

    @Test
    void createsAPostcardWithTheKeyAsBasicUserAndTheIdempotencyKey() throws Exception {
        SentPiece sent = open().send(piece());

        RecordedRequest request = lob.requests().get(0);
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/v1/postcards");
        assertThat(request.getHeaders().get("Authorization"))
                .isEqualTo("Basic " + Base64.getEncoder().encodeToString((KEY + ":").getBytes(StandardCharsets.UTF_8)));
        assertThat(request.getHeaders().get("Idempotency-Key")).isEqualTo("acme:winback-2024:42");
        assertThat(request.getHeaders().get("Content-Type")).startsWith("multipart/form-data; boundary=");
        assertThat(sent.providerPieceId()).startsWith("psc_");
        assertThat(sent.cost()).isNull();
        assertThat(sent.acceptedAt())
                .isEqualTo(Instant.parse(
                        lob.postcards().get(0).path("date_created").asString()));
    }

    @Test
    void theFormCarriesTheAddressesTheSidesAndTheMetadata() throws Exception {
        open().send(piece());

        MultipartForm form = MultipartForm.of(lob.requests().get(0));
        assertThat(form.fields())
                .containsEntry("to[name]", "Harry Zhang")
                .containsEntry("to[address_line1]", "210 King St")
                .containsEntry("to[address_line2]", "# 6100")
                .containsEntry("to[address_city]", "San Francisco")
                .containsEntry("to[address_state]", "CA")
                .containsEntry("to[address_zip]", "94107")
                .containsEntry("to[address_country]", "US")
                .containsEntry("from[name]", "Acme Co")
                .containsEntry("from[address_line1]", "1 Market St")
                .containsEntry("from[address_zip]", "94105")
                .doesNotContainKey("from[address_line2]")
                .containsEntry("size", "6x9")
                .containsEntry("mail_type", "usps_first_class")
                .containsEntry("use_type", "marketing")
                .containsEntry("metadata[recipient]", "42")
                .containsEntry("metadata[campaign]", "winback-2024");
        assertThat(form.fileNames()).containsEntry("front", "front.pdf").containsEntry("back", "back.pdf");
        assertThat(pages(form.files().get("front"))).isEqualTo(1);
        assertThat(pages(form.files().get("back"))).isEqualTo(1);
        assertThat(lob.postcards().get(0).path("metadata").path("recipient").asString())
                .isEqualTo("42");
    }

    private static int pages(byte[] pdf) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            return document.getNumberOfPages();
        }
    }

    @Test
    void sendingThePieceAgainAnswersThePostcardCreatedTheFirstTime() throws Exception {
        Printer printer = open();
        SentPiece first = printer.send(piece());
        SentPiece again = printer.settle(piece());

        assertThat(again).isEqualTo(first);
        assertThat(lob.postcardsCreated()).isEqualTo(1);
        assertThat(lob.postcardsFor("acme:winback-2024:42")).isEqualTo(1);
        // Found by its key in its metadata (Lob forgets idempotency keys after 24 hours), not created again.
        assertThat(lob.lists()).isEqualTo(1);
        assertThat(lob.replays()).isZero();
    }

    @Test
    void settlingAPieceLobNeverReceivedCreatesItOnceWithItsKey() throws Exception {
        SentPiece settled = open().settle(piece());

        assertThat(settled.providerPieceId()).startsWith("psc_");
        assertThat(lob.lists()).isEqualTo(1);
        assertThat(lob.postcardsCreated()).isEqualTo(1);
        assertThat(lob.postcardsFor("acme:winback-2024:42")).isEqualTo(1);
    }

    @Test
    void aRepeatedCreateIsTheSameBytes() throws Exception {
        Printer printer = open();
        printer.send(piece());
        printer.send(piece());

        assertThat(lob.requests().get(1).getBody())
                .isEqualTo(lob.requests().get(0).getBody());
    }

    @Test
    void a429IsRetriedAfterTheTimeLobSaysWithTheSameKey() throws Exception {
        lob.answerFirst(new MockResponse.Builder(FakeLob.error(
                        429,
                        "rate_limit_exceeded",
                        "Rate limit exceeded. Please wait 5 seconds and try your request again."))
                .setHeader("Retry-After", "5")
                .build());

        SentPiece sent = open().send(piece());

        assertThat(sent.providerPieceId()).startsWith("psc_");
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(5));
        assertThat(lob.requests())
                .extracting(request -> request.getHeaders().get("Idempotency-Key"))
                .containsExactly("acme:winback-2024:42", "acme:winback-2024:42");
        assertThat(lob.postcardsCreated()).isEqualTo(1);
    }

    @Test
    void a5xxIsRetriedWithTheSameKey() throws Exception {
        lob.failNextPostcards(2, 503);

        open().send(piece());

        assertThat(lob.requests()).hasSize(3);
        assertThat(lob.requests())
                .extracting(request -> request.getHeaders().get("Idempotency-Key"))
                .containsOnly("acme:winback-2024:42");
        assertThat(lob.postcardsCreated()).isEqualTo(1);
    }

    @Test
    void aResponseLostAfterTheCreateIsAnsweredByTheReplay() throws Exception {
        Printer printer = open();
        SentPiece created = printer.send(piece());
        lob.answerFirst(FakeLob.error(500, "internal_server_error", "An internal server error occurred."));

        assertThat(printer.settle(piece())).isEqualTo(created);
        assertThat(lob.postcardsCreated()).isEqualTo(1);
    }

    @Test
    void a422RefusesThePieceWithLobsMessageWithoutRetrying() {
        lob.refuseAddressLine("1 Nowhere Rd", "address not found");

        assertThatThrownBy(() -> open().send(piece(7, "acme:winback-2024:7", withLine("1 Nowhere Rd"))))
                .isInstanceOf(PieceRefusedException.class)
                .hasMessage("address not found");
        assertThat(lob.requests()).hasSize(1);
        assertThat(lob.postcardsCreated()).isZero();
    }

    @Test
    void aSizeLobDoesNotPrintIsRefusedBeforeAnyRequest() {
        Piece a6 = new Piece(1, "acme:c:1", "acme", "c", null, PostcardSize.A6, TO, null, null, null, artwork);

        assertThatThrownBy(() -> open().send(a6))
                .isInstanceOf(PieceRefusedException.class)
                .hasMessageContaining("A6");
        assertThat(lob.requests()).isEmpty();
    }

    @Test
    void aRefusedKeyFailsNamingTheSettingNotTheKey() {
        server.setDispatcher(new FakeLob("test_someone_elses_key"));

        assertThatThrownBy(() -> open().send(piece()))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(PieceRefusedException.class)
                .hasMessageContaining("integrations.lob.api_key")
                .hasMessageContaining("status 401")
                .hasMessageNotContaining(KEY);
        assertThat(sleeper.sleeps()).isEmpty();
    }

    @Test
    void aPostcardWithoutEventsIsNotYetInTheMail() throws Exception {
        Printer printer = open();
        String id = printer.send(piece()).providerPieceId();

        assertThat(printer.track(id)).isEqualTo(new PieceTracking(null, null, false, List.of()));
    }

    @Test
    void trackingEventsGiveInTransitThenDeliveredWithTheUtcDate() throws Exception {
        Printer printer = open();
        String id = printer.send(piece()).providerPieceId();
        lob.addTrackingEvent(id, "In Transit", Instant.parse("2026-06-02T10:00:00Z"));

        PieceTracking inTransit = printer.track(id);
        assertThat(inTransit.status()).isEqualTo(DeliveryStatus.IN_TRANSIT);
        assertThat(inTransit.finished()).isFalse();
        assertThat(inTransit.events()).singleElement().satisfies(event -> {
            assertThat(event.id()).startsWith("evnt_");
            assertThat(event.name()).isEqualTo("In Transit");
            assertThat(event.time()).isEqualTo(Instant.parse("2026-06-02T10:00:00Z"));
        });

        lob.addTrackingEvent(id, "Processed for Delivery", Instant.parse("2026-06-04T03:00:00Z"));
        lob.addTrackingEvent(id, "Delivered", Instant.parse("2026-06-05T01:30:00Z"));
        PieceTracking delivered = printer.track(id);
        assertThat(delivered.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(delivered.inHomeDate()).isEqualTo(LocalDate.of(2026, 6, 5));
        assertThat(delivered.finished()).isTrue();
        assertThat(delivered.events()).hasSize(3);
        assertThat(delivered.events().get(0)).isEqualTo(inTransit.events().get(0));
    }

    @Test
    void aReturnedPostcardIsReturnedToSender() throws Exception {
        Printer printer = open();
        String id = printer.send(piece()).providerPieceId();
        lob.addTrackingEvent(id, "In Transit", Instant.parse("2026-06-02T10:00:00Z"));
        lob.addTrackingEvent(id, "Returned to Sender", Instant.parse("2026-06-06T10:00:00Z"));

        PieceTracking tracking = printer.track(id);
        assertThat(tracking.status()).isEqualTo(DeliveryStatus.RETURNED_TO_SENDER);
        assertThat(tracking.inHomeDate()).isNull();
        assertThat(tracking.finished()).isTrue();
    }

    @Test
    void aDeletedOrFailedPostcardIsFinishedWithoutAStatus() throws Exception {
        Printer printer = open();
        String deleted = printer.send(piece()).providerPieceId();
        String failed = printer.send(piece(43, "acme:winback-2024:43", TO)).providerPieceId();
        lob.delete(deleted);
        lob.setStatus(failed, "failed");

        assertThat(printer.track(deleted)).isEqualTo(new PieceTracking(null, null, true, List.of()));
        assertThat(printer.track(failed)).isEqualTo(new PieceTracking(null, null, true, List.of()));
    }

    @Test
    void twoKeysForOneRecipientAreADuplicateTheFakeReports() throws Exception {
        Printer printer = open();
        printer.send(piece(42, "first-key-42", TO));
        printer.send(piece(42, "second-key-42", TO));

        assertThat(lob.duplicateRecipients()).containsExactly("42");
        assertThat(lob.distinctKeys()).isEqualTo(2);
    }

    @Test
    void concurrentSendsOfOnePieceCreateOnePostcard() throws Exception {
        Printer printer = open();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<SentPiece>> sends = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                sends.add(threads.submit(() -> printer.send(piece())));
            }
            List<String> ids = new ArrayList<>();
            for (Future<SentPiece> send : sends) {
                ids.add(send.get().providerPieceId());
            }
            assertThat(ids).containsOnly(ids.get(0));
        } finally {
            threads.shutdownNow();
        }
        assertThat(lob.postcardsCreated()).isEqualTo(1);
    }

    @Test
    void postcardsHaveLobsLimitForThatEndpointApartFromVerifications() {
        open();
        RateLimiterConfig config = rateLimits
                .limiterFor(new ProviderAccount("lob", "acme/postcards"), LobPrinters.RATE_LIMIT)
                .getRateLimiterConfig();
        // Any 5 s, wherever Lob's window begins, overlaps at most floor(5 s / period) + 2 of the limiter's periods.
        Duration window = Duration.ofSeconds(5);
        long periods = window.dividedBy(config.getLimitRefreshPeriod()) + 2;
        assertThat(config.getLimitForPeriod() * periods).isLessThanOrEqualTo(150);
        assertThat(config.getLimitForPeriod()
                        * 1e9
                        / config.getLimitRefreshPeriod().toNanos())
                .isGreaterThanOrEqualTo(28.5);
    }

    private static MailingAddress withLine(String line) {
        return new MailingAddress(TO.name(), line, null, TO.city(), TO.region(), TO.zip(), TO.country());
    }
}
