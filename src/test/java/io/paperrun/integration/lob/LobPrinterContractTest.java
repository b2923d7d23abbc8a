package io.paperrun.integration.lob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.atlassian.oai.validator.model.SimpleRequest;
import io.paperrun.campaign.PostcardSize;
import io.paperrun.integration.http.FakeSleeper;
import io.paperrun.integration.http.RateLimits;
import io.paperrun.integration.http.Secrets;
import io.paperrun.mailing.Piece;
import io.paperrun.mailing.Printer;
import io.paperrun.organization.IntegrationSettings;
import java.nio.file.Path;
import java.util.Map;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

/** Every request the Lob printer sends, judged by Lob's OpenAPI description. */
class LobPrinterContractTest {

    @StartStop
    private final MockWebServer server = new MockWebServer();

    @TempDir
    Path directory;

    private final FakeLob lob = new FakeLob(LobPrinterTest.KEY);
    private Printer printer;
    private Piece piece;

    @BeforeAll
    static void theDescriptionIsBesideTheProject() {
        assumeTrue(LobContract.available(), LobContract.SPECIFICATION + " is not beside the project");
    }

    @BeforeEach
    void open() throws Exception {
        server.setDispatcher(lob);
        printer = new LobPrinters(
                        new Secrets(new MockEnvironment().withProperty("LOB_KEY", LobPrinterTest.KEY)),
                        new RateLimits(),
                        new FakeSleeper())
                .open(
                        "acme",
                        new IntegrationSettings(
                                "lob",
                                Map.of(
                                        "api_key",
                                        "${LOB_KEY}",
                                        "base_url",
                                        server.url("/").toString())));
        piece = new Piece(
                42,
                "acme:winback-2024:42",
                "acme",
                "winback-2024",
                null,
                PostcardSize.SIX_BY_ELEVEN,
                LobPrinterTest.TO,
                LobPrinterTest.FROM,
                "usps_standard",
                "marketing",
                ArtworkFixture.write(directory, "card", PostcardSize.SIX_BY_ELEVEN));
    }

    @Test
    void theCreateTheReadAndTheSettleAreValid() throws Exception {
        String id = printer.send(piece).providerPieceId();
        printer.track(id);
        printer.settle(piece);

        assertThat(lob.requests()).hasSize(3);
        for (RecordedRequest request : lob.requests()) {
            assertThat(LobContract.check(request).getMessages())
                    .as("%s %s against lob-api-bundled.yml", request.getMethod(), request.getUrl())
                    .isEmpty();
        }
    }

    @Test
    void theCreateCarriesEveryFieldThePostcardSchemaRequires() throws Exception {
        printer.send(piece);

        MultipartForm form = MultipartForm.of(lob.requests().get(0));
        assertThat(LobContract.required("postcard_editable"))
                .containsExactlyInAnyOrder("to", "front", "back", "use_type");
        for (String field : LobContract.required("postcard_editable")) {
            assertThat(form.fields().keySet().stream().anyMatch(name -> name.startsWith(field + "["))
                            || form.fields().containsKey(field)
                            || form.files().containsKey(field))
                    .as("the create's form has %s", field)
                    .isTrue();
        }
        for (String field : LobContract.required("inline_address_us")) {
            assertThat(form.fields()).containsKey("to[" + field + "]");
            assertThat(form.fields()).containsKey("from[" + field + "]");
        }
    }

    @Test
    void theCheckCatchesAnUndocumentedValueAndAMissingKey() {
        String valid = "{'to': {'name': 'Harry', 'address_line1': '210 King St', 'address_city': 'SF',"
                + " 'address_state': 'CA', 'address_zip': '94107'}, 'front': 'front.pdf', 'back': 'back.pdf',"
                + " 'use_type': 'marketing', 'size': '6x9'}";

        assertThat(LobContract.validator().validateRequest(create(valid, true)).getMessages())
                .isEmpty();
        assertThat(LobContract.validator()
                        .validateRequest(create(valid.replace("6x9", "A6"), true))
                        .hasErrors())
                .isTrue();
        assertThat(LobContract.validator()
                        .validateRequest(create(valid.replace("'use_type': 'marketing', ", ""), true))
                        .hasErrors())
                .isTrue();
        assertThat(LobContract.validator().validateRequest(create(valid, false)).hasErrors())
                .isTrue();
    }

    private static SimpleRequest create(String json, boolean authenticated) {
        SimpleRequest.Builder request = new SimpleRequest.Builder("POST", "/v1/postcards")
                .withContentType("application/json")
                .withBody(json.replace('\'', '"'));
        if (authenticated) {
            request.withAuthorization("Basic dGVzdF94Og==");
        }
        return request.build();
    }
}
