package io.paperrun.integration.klaviyo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The contract check itself: it passes a documented request and catches the wrong ones. */
class KlaviyoContractTest {

    @BeforeAll
    static void theDescriptionIsBesideTheProject() {
        assumeTrue(KlaviyoContract.available(), KlaviyoContract.SPECIFICATION + " is not beside the project");
    }

    private static SimpleRequest.Builder events() {
        return SimpleRequest.Builder.get("/api/events")
                .withHeader("Authorization", "Klaviyo-API-Key pk_test")
                .withHeader("revision", KlaviyoApi.REVISION)
                .withHeader("accept", KlaviyoApi.MEDIA_TYPE)
                .withQueryParam("filter", "equals(metric_id,\"ABC123\")")
                .withQueryParam("sort", "datetime")
                .withQueryParam("include", "profile")
                .withQueryParam("fields[profile]", "email,location,properties")
                .withQueryParam("page[size]", "200");
    }

    private static ValidationReport validate(SimpleRequest.Builder request) {
        return KlaviyoContract.validator().validateRequest(request.build());
    }

    @Test
    void aDocumentedRequestIsValid() {
        assertThat(validate(events()).getMessages()).isEmpty();
    }

    @Test
    void aRequestWithoutTheRevisionHeaderIsInvalid() {
        SimpleRequest.Builder request = SimpleRequest.Builder.get("/api/events")
                .withHeader("Authorization", "Klaviyo-API-Key pk_test")
                .withQueryParam("sort", "datetime");

        assertThat(validate(request).getMessages())
                .anySatisfy(message -> assertThat(message.getMessage()).contains("revision"));
    }

    @Test
    void anUnknownQueryParameterIsInvalid() {
        assertThat(validate(events().withQueryParam("page[limit]", "10")).getMessages())
                .anySatisfy(message -> assertThat(message.getMessage()).contains("page[limit]"));
    }

    @Test
    void aPageSizeAboveTheDocumentedMaximumIsInvalid() {
        SimpleRequest.Builder request = SimpleRequest.Builder.get("/api/events")
                .withHeader("Authorization", "Klaviyo-API-Key pk_test")
                .withHeader("revision", KlaviyoApi.REVISION)
                .withQueryParam("page[size]", "5000");

        assertThat(validate(request).getMessages())
                .anySatisfy(message -> assertThat(message.getKey()).contains("schema.maximum"));
    }

    @Test
    void aSortTheEndpointDoesNotOfferIsInvalid() {
        assertThat(validate(events().withQueryParam("sort", "created")).hasErrors())
                .isTrue();
    }

    @Test
    void aRequestWithoutTheApiKeyIsInvalid() {
        SimpleRequest.Builder request =
                SimpleRequest.Builder.get("/api/metrics").withHeader("revision", KlaviyoApi.REVISION);

        assertThat(validate(request).getMessages())
                .anySatisfy(message -> assertThat(message.getKey()).contains("security"));
    }

    @Test
    void anApiKeyInAnotherSchemeIsInvalid() {
        SimpleRequest.Builder request = SimpleRequest.Builder.get("/api/metrics")
                .withHeader("Authorization", "Bearer pk_test")
                .withHeader("revision", KlaviyoApi.REVISION);

        assertThat(validate(request).getMessages())
                .anySatisfy(message -> assertThat(message.getMessage()).contains("Klaviyo-API-Key <key>"));
    }

    @Test
    void aSegmentMemberWithoutJoinedGroupAtIsInvalidEvenWhereCompositionIsAllowed() {
        ObjectNode member = FakeKlaviyoSegment.profile(
                "01HMEMBER",
                Instant.parse("2024-01-01T00:00:00Z"),
                "member@example.com",
                FakeKlaviyo.json("{'zip': '10017'}"));
        SimpleRequest request = SimpleRequest.Builder.get("/api/segments/Seg1/profiles")
                .withHeader("Authorization", "Klaviyo-API-Key pk_test")
                .withHeader("revision", KlaviyoApi.REVISION)
                .build();
        ObjectNode document = FakeKlaviyo.JSON.createObjectNode();
        document.putArray("data").add(member);
        document.putObject("links").put("self", "https://a.klaviyo.com/api/segments/Seg1/profiles");

        assertThat(validateAnswer(request, document).getMessages()).isEmpty();
        ((ObjectNode) member.path("attributes")).remove("joined_group_at");
        assertThat(validateAnswer(request, document).getMessages())
                .anySatisfy(message -> assertThat(message.toString())
                        .contains("missing required properties ([" + "\"joined_group_at\"])"));
    }

    private static ValidationReport validateAnswer(SimpleRequest request, ObjectNode document) {
        return KlaviyoContract.validatorOfComposedSchemas()
                .validate(
                        request,
                        SimpleResponse.Builder.ok()
                                .withContentType(KlaviyoApi.MEDIA_TYPE)
                                .withBody(document.toString())
                                .build());
    }
}
