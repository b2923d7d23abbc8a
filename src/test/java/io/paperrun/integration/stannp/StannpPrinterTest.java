package io.paperrun.integration.stannp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paperrun.campaign.PostcardSize;
import io.paperrun.integration.http.FakeSleeper;
import io.paperrun.integration.http.RateLimits;
import io.paperrun.integration.http.Secrets;
import io.paperrun.integration.lob.ArtworkFixture;
import io.paperrun.integration.lob.MultipartForm;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
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

/** The Stannp postcard client, against a fake answering as Stannp does (providers.md §2, pipeline-rules.md §4–5). */
class StannpPrinterTest {

    private static final String KEY = "stannp_secret_key_4f1c";
    private static final String PIECE_KEY = "acme:spring-uk:42";
    private static final MailingAddress TO =
            new MailingAddress("Ada Lovelace", "12 Downing St", "Flat 2", "London", null, "SW1A 2AA", "GB");

    @StartStop
    private final MockWebServer server = new MockWebServer();

    @TempDir
    Path directory;

    private final FakeStannp stannp = new FakeStannp(KEY);
    private final FakeSleeper sleeper = new FakeSleeper();
    private final StannpPrinters printers = new StannpPrinters(
            new Secrets(new MockEnvironment().withProperty("STANNP_KEY", KEY)), new RateLimits(), sleeper);
    private Artwork artwork;

    @BeforeEach
    void serve() throws IOException {
        server.setDispatcher(stannp);
        artwork = ArtworkFixture.write(directory, "card", PostcardSize.A6);
    }

    private Printer open(String region) {
        return printers.open(
                "acme",
                new IntegrationSettings(
                        "stannp",
                        Map.of(
                                "api_key",
                                "${STANNP_KEY}",
                                "region",
                                region,
                                "base_url",
                                server.url("/").toString())));
    }

    private Piece piece(String key, MailingAddress to) {
        return new Piece(42, key, "acme", "spring-uk", null, PostcardSize.A6, to, null, null, null, artwork);
    }

    @Test
    void createsAMailpieceWithTheKeyAsBasicUserAndTheIdempotencyKey() throws Exception {
        SentPiece sent = open("uk").send(piece(PIECE_KEY, TO));

        RecordedRequest request = stannp.requests().get(0);
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/v1/postcards/create");
        assertThat(request.getHeaders().get("Authorization"))
                .isEqualTo("Basic " + Base64.getEncoder().encodeToString((KEY + ":").getBytes(StandardCharsets.UTF_8)));
        assertThat(request.getHeaders().get("X-Idempotency-Key")).isEqualTo(PIECE_KEY);
        MultipartForm form = MultipartForm.of(request);
        assertThat(form.fields())
                .containsEntry("size", "A6")
                .containsEntry("recipient[firstname]", "Ada")
                .containsEntry("recipient[lastname]", "Lovelace")
                .containsEntry("recipient[address1]", "12 Downing St")
                .containsEntry("recipient[address2]", "Flat 2")
                .containsEntry("recipient[city]", "London")
                .containsEntry("recipient[postcode]", "SW1A 2AA")
                .containsEntry("recipient[country]", "GB")
                .doesNotContainKeys("recipient[state]", "recipient[zipcode]");
        assertThat(form.files()).containsKeys("front", "back");
        assertThat(sent.providerPieceId())
                .isEqualTo(stannp.postcardIdFor(PIECE_KEY).orElseThrow());
        assertThat(sent.cost()).isEqualTo(new BigDecimal("0.55"));
        assertThat(sent.acceptedAt()).isNotNull();
    }

    @Test
    void aUsAccountWritesStateAndZipcode() throws Exception {
        Artwork card = ArtworkFixture.write(directory, "us", PostcardSize.FOUR_BY_SIX);
        MailingAddress to =
                new MailingAddress("Harry Zhang", "210 King St", null, "San Francisco", "CA", "94107", "US");
        open("us")
                .send(new Piece(
                        7,
                        "acme:us-card:7",
                        "acme",
                        "us-card",
                        null,
                        PostcardSize.FOUR_BY_SIX,
                        to,
                        null,
                        null,
                        null,
                        card));

        assertThat(MultipartForm.of(stannp.requests().get(0)).fields())
                .containsEntry("size", "4x6")
                .containsEntry("recipient[state]", "CA")
                .containsEntry("recipient[zipcode]", "94107")
                .doesNotContainKey("recipient[postcode]");
    }

    @Test
    void aReplayAnswered409WithTheOriginalBodyIsTheSamePiece() throws Exception {
        Printer printer = open("uk");
        SentPiece first = printer.send(piece(PIECE_KEY, TO));
        SentPiece again = open("uk").settle(piece(PIECE_KEY, TO));

        assertThat(again).isEqualTo(first);
        assertThat(stannp.replays()).isEqualTo(1);
        assertThat(stannp.conflicts()).isZero();
        assertThat(stannp.postcardsCreated()).isEqualTo(1);
    }

    @Test
    void a409WithoutSuccessIsAFailureNotARefusal() throws Exception {
        open("uk").send(piece(PIECE_KEY, TO));

        assertThatThrownBy(() -> open("uk").send(piece(PIECE_KEY, withLine("1 Other Rd"))))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(PieceRefusedException.class)
                .hasMessageContaining("status 409");
        assertThat(stannp.postcardsCreated()).isEqualTo(1);
    }

    @Test
    void a429IsRetriedAfterTheTimeStannpSaysWithTheSameKey() throws Exception {
        stannp.answerFirst(new MockResponse.Builder(FakeStannp.failure(429, "Rate limit exceeded"))
                .setHeader("Retry-After", "7")
                .build());

        open("uk").send(piece(PIECE_KEY, TO));

        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(7));
        assertThat(stannp.requests())
                .extracting(request -> request.getHeaders().get("X-Idempotency-Key"))
                .containsExactly(PIECE_KEY, PIECE_KEY);
        assertThat(stannp.postcardsCreated()).isEqualTo(1);
    }

    @Test
    void a5xxIsRetriedWithTheSameKeyAndBody() throws Exception {
        stannp.failNextPostcards(2, 500);

        open("uk").send(piece(PIECE_KEY, TO));

        assertThat(stannp.requests()).hasSize(3);
        assertThat(stannp.requests().get(2).getBody())
                .isEqualTo(stannp.requests().get(0).getBody());
        assertThat(stannp.postcardsCreated()).isEqualTo(1);
    }

    @Test
    void aRefusalIsThePieceRefusedWithStannpsError() {
        stannp.refuseAddressLine("1 Nowhere Rd", "Recipient address could not be validated");

        assertThatThrownBy(() -> open("uk").send(piece(PIECE_KEY, withLine("1 Nowhere Rd"))))
                .isInstanceOf(PieceRefusedException.class)
                .hasMessage("Recipient address could not be validated");
        assertThat(stannp.requests()).hasSize(1);
    }

    @Test
    void aSizeTheRegionDoesNotPrintIsRefusedBeforeAnyRequest() {
        Piece sixByNine =
                new Piece(1, PIECE_KEY, "acme", "c", null, PostcardSize.SIX_BY_NINE, TO, null, null, null, artwork);

        assertThatThrownBy(() -> open("uk").send(sixByNine))
                .isInstanceOf(PieceRefusedException.class)
                .hasMessageContaining("6x9");
        assertThat(stannp.requests()).isEmpty();
    }

    @Test
    void aRefusedKeyFailsNamingTheSettingNotTheKey() {
        server.setDispatcher(new FakeStannp("someone_elses_key"));

        assertThatThrownBy(() -> open("uk").send(piece(PIECE_KEY, TO)))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(PieceRefusedException.class)
                .hasMessageContaining("integrations.stannp.api_key")
                .hasMessageContaining("status 401")
                .hasMessageNotContaining(KEY);
    }

    @Test
    void anUnknownRegionIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> open("eu")).hasMessage("integrations.stannp.region 'eu' is neither uk nor us");
    }

    @Test
    void theStatusMapsToTheDeliveryStatusWithAStableEventId() throws Exception {
        Printer printer = open("uk");
        String id = printer.send(piece(PIECE_KEY, TO)).providerPieceId();

        PieceTracking received = printer.track(id);
        assertThat(received.status()).isNull();
        assertThat(received.finished()).isFalse();
        assertThat(received.events())
                .singleElement()
                .satisfies(event -> assertThat(event.id()).isEqualTo(id + ":received"));

        stannp.setStatus(id, "handed_over");
        stannp.setDispatched(id, Instant.parse("2026-06-02T09:00:00Z"));
        PieceTracking handedOver = printer.track(id);
        assertThat(handedOver.status()).isEqualTo(DeliveryStatus.IN_TRANSIT);
        assertThat(handedOver.events().get(0).time()).isEqualTo(Instant.parse("2026-06-02T09:00:00Z"));
        assertThat(printer.track(id)).isEqualTo(handedOver);

        stannp.setStatus(id, "delivered");
        PieceTracking delivered = printer.track(id);
        assertThat(delivered.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(delivered.inHomeDate()).isEqualTo(LocalDate.of(2026, 6, 2));
        assertThat(delivered.finished()).isTrue();
        assertThat(delivered.events().get(0).id()).isEqualTo(id + ":delivered");
    }

    @Test
    void returnedIsReturnedToSenderAndCancelledIsFinishedWithoutAStatus() throws Exception {
        Printer printer = open("uk");
        String returned = printer.send(piece(PIECE_KEY, TO)).providerPieceId();
        String cancelled =
                printer.send(piece("acme:spring-uk:43", withLine("3 Other St"))).providerPieceId();
        stannp.setStatus(returned, "returned");
        stannp.setStatus(cancelled, "cancelled");

        assertThat(printer.track(returned).status()).isEqualTo(DeliveryStatus.RETURNED_TO_SENDER);
        assertThat(printer.track(returned).finished()).isTrue();
        assertThat(printer.track(cancelled).status()).isNull();
        assertThat(printer.track(cancelled).finished()).isTrue();
    }

    private static MailingAddress withLine(String line) {
        return new MailingAddress(TO.name(), line, null, TO.city(), null, TO.zip(), TO.country());
    }
}
