package io.paperrun.integration.klaviyo;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.ApiOperation;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * Klaviyo's own OpenAPI description ({@code ../shared/reference/openapi/klaviyo-stable.json}, revision 2026-07-15)
 * as the judge of the requests the client sends (path, query parameters, headers, the API key's header) and of the
 * documents the fakes answer. Parsed once per test run.
 */
final class KlaviyoContract {

    static final Path SPECIFICATION = Path.of("..", "shared", "reference", "openapi", "klaviyo-stable.json");

    private static OpenAPI description;
    private static OpenApiInteractionValidator validator;
    private static OpenApiInteractionValidator validatorOfComposedSchemas;

    private KlaviyoContract() {}

    /**
     * Whether the description is there: CI checks the project out with the shared documents beside it; a checkout
     * without them skips the contract checks (reported as skipped), not the client's own tests.
     */
    static boolean available() {
        return Files.exists(SPECIFICATION);
    }

    /**
     * The validator: Atlassian's checks, with query parameters the operation does not declare reported, plus the
     * description's security scheme (the validator checks only an operation's own, Klaviyo declares it globally).
     */
    static synchronized OpenApiInteractionValidator validator() {
        if (validator == null) {
            validator = validator(ValidationReport.Level.ERROR);
        }
        return validator;
    }

    /**
     * The validator without Atlassian's {@code additionalProperties: false}, which it injects into every schema and
     * so fails any {@code allOf} composition (its README's FAQ): Klaviyo's segment members are one.
     */
    static synchronized OpenApiInteractionValidator validatorOfComposedSchemas() {
        if (validatorOfComposedSchemas == null) {
            validatorOfComposedSchemas = validator(ValidationReport.Level.IGNORE);
        }
        return validatorOfComposedSchemas;
    }

    private static OpenApiInteractionValidator validator(ValidationReport.Level additionalProperties) {
        OpenAPI api = description();
        return OpenApiInteractionValidator.createFor(api)
                .withLevelResolver(LevelResolver.create()
                        .withLevel("validation.request.parameter.query.unexpected", ValidationReport.Level.ERROR)
                        .withLevel("validation.schema.additionalProperties", additionalProperties)
                        .build())
                .withCustomRequestValidation((request, operation) -> security(api, request, operation))
                .build();
    }

    /** The description, parsed once per test run. */
    private static synchronized OpenAPI description() {
        if (description == null) {
            assertThat(SPECIFICATION)
                    .as("Klaviyo's OpenAPI description, beside the project")
                    .exists();
            ParseOptions options = new ParseOptions();
            options.setResolve(true);
            SwaggerParseResult parsed = new OpenAPIV3Parser()
                    .readLocation(SPECIFICATION.toAbsolutePath().toString(), null, options);
            assertThat(parsed.getOpenAPI())
                    .as("klaviyo-stable.json parsed: %s", parsed.getMessages())
                    .isNotNull();
            description = parsed.getOpenAPI();
        }
        return description;
    }

    /** What the description finds wrong with the request as the fake server received it. */
    static ValidationReport check(RecordedRequest recorded) {
        return validator().validateRequest(request(recorded));
    }

    /** What the description finds wrong with a 200 JSON:API document as the answer to the request. */
    static ValidationReport checkAnswer(RecordedRequest recorded, String document) {
        return validator().validate(request(recorded), ok(document));
    }

    /** {@link #checkAnswer} for a document whose resources' schema is an {@code allOf} (a segment's members). */
    static ValidationReport checkAnswerOfComposedSchema(RecordedRequest recorded, String document) {
        return validatorOfComposedSchemas().validate(request(recorded), ok(document));
    }

    private static SimpleResponse ok(String document) {
        return SimpleResponse.Builder.ok()
                .withContentType(KlaviyoApi.MEDIA_TYPE)
                .withBody(document)
                .build();
    }

    /** Every request the server received since the last call, each checked against the description. */
    static List<RecordedRequest> assertEveryRequestValid(MockWebServer server) throws InterruptedException {
        List<RecordedRequest> requests = new ArrayList<>();
        for (RecordedRequest recorded = server.takeRequest(0, TimeUnit.SECONDS);
                recorded != null;
                recorded = server.takeRequest(0, TimeUnit.SECONDS)) {
            requests.add(recorded);
            if (!available()) {
                continue;
            }
            assertThat(check(recorded).getMessages())
                    .as("%s %s against klaviyo-stable.json", recorded.getMethod(), recorded.getUrl())
                    .isEmpty();
        }
        return requests;
    }

    /** The recorded request as the validator reads one: method, path, decoded query parameters and headers. */
    static SimpleRequest request(RecordedRequest recorded) {
        HttpUrl url = recorded.getUrl();
        SimpleRequest.Builder request = new SimpleRequest.Builder(recorded.getMethod(), url.encodedPath());
        for (String name : url.queryParameterNames()) {
            request.withQueryParam(name, url.queryParameterValues(name));
        }
        Headers headers = recorded.getHeaders();
        for (String name : headers.names()) {
            request.withHeader(name, headers.values(name));
        }
        return request.build();
    }

    /**
     * The operation's security requirements (else the description's), one of which the request must meet; an API
     * key in a header must be there and start with the scheme its example value ({@code x-default}) shows,
     * {@code Klaviyo-API-Key }.
     */
    private static ValidationReport security(OpenAPI api, Request request, ApiOperation operation) {
        List<SecurityRequirement> requirements = operation.getOperation().getSecurity() != null
                ? operation.getOperation().getSecurity()
                : api.getSecurity();
        if (requirements == null || requirements.isEmpty()) {
            return ValidationReport.empty();
        }
        List<String> unmet = new ArrayList<>();
        for (SecurityRequirement requirement : requirements) {
            List<String> missing = new ArrayList<>();
            for (String name : requirement.keySet()) {
                SecurityScheme scheme = api.getComponents().getSecuritySchemes().get(name);
                if (scheme.getType() != SecurityScheme.Type.APIKEY || scheme.getIn() != SecurityScheme.In.HEADER) {
                    continue;
                }
                Object example = scheme.getExtensions() == null
                        ? null
                        : scheme.getExtensions().get("x-default");
                String prefix = example == null
                        ? ""
                        : example.toString().substring(0, example.toString().indexOf(' ') + 1);
                boolean given = request.getHeaderValues(scheme.getName()).stream()
                        .anyMatch(value -> value.startsWith(prefix) && value.length() > prefix.length());
                if (!given) {
                    missing.add(name + " (header " + scheme.getName() + ": " + prefix + "<key>)");
                }
            }
            if (missing.isEmpty()) {
                return ValidationReport.empty();
            }
            unmet.add(String.join(" and ", missing));
        }
        return ValidationReport.singleton(ValidationReport.Message.create(
                        "validation.request.security.missing",
                        "no security requirement met: " + String.join(" or ", unmet))
                .build());
    }
}
