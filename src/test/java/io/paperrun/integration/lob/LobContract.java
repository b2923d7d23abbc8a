package io.paperrun.integration.lob;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * Lob's own OpenAPI description ({@code ../shared/reference/openapi/lob-api-bundled.yml}) as the judge of the
 * requests the printer sends: path, method, query, headers and HTTP Basic. The validator reads JSON and form bodies
 * but not multipart ones (nor a form's bracketed names as deepObjects), so a multipart create is judged as the same
 * fields sent as JSON, {@code to[name]} as {@code {"to": {"name": ...}}} and a file part as its file name, which the
 * description's {@code local_file_path} covers. Parsed once per test run.
 */
final class LobContract {

    static final Path SPECIFICATION = Path.of("..", "shared", "reference", "openapi", "lob-api-bundled.yml");

    private static final String MEDIA_TYPE_REF = "#/components/mediaTypes/";

    private static OpenAPI description;
    private static OpenApiInteractionValidator validator;

    private LobContract() {}

    /** Whether the description is beside the project; without it the contract checks are skipped. */
    static boolean available() {
        return Files.exists(SPECIFICATION);
    }

    /**
     * The validator, reporting query parameters the operation does not declare, without Atlassian's injected
     * {@code additionalProperties: false}, which fails every {@code allOf} (Lob's postcard is one).
     */
    static synchronized OpenApiInteractionValidator validator() {
        if (validator == null) {
            validator = OpenApiInteractionValidator.createFor(description())
                    .withLevelResolver(LevelResolver.create()
                            .withLevel("validation.request.parameter.query.unexpected", ValidationReport.Level.ERROR)
                            .withLevel("validation.schema.additionalProperties", ValidationReport.Level.IGNORE)
                            .build())
                    .withCustomRequestValidation((request, operation) -> basicAuthentication(request))
                    .build();
        }
        return validator;
    }

    /**
     * The description's security, {@code basicAuth}, which the validator does not check itself: an
     * {@code Authorization: Basic} header whose user is the key and whose password is empty.
     */
    private static ValidationReport basicAuthentication(Request request) {
        String credentials = request.getHeaderValue("Authorization")
                .filter(value -> value.startsWith("Basic "))
                .map(value -> new String(Base64.getDecoder().decode(value.substring(6)), StandardCharsets.UTF_8))
                .orElse("");
        if (credentials.length() > 1 && credentials.indexOf(':') == credentials.length() - 1) {
            return ValidationReport.empty();
        }
        return ValidationReport.singleton(ValidationReport.Message.create(
                        "validation.request.security.missing", "no HTTP Basic authentication with the key as user")
                .build());
    }

    /** The description, parsed once per test run. */
    static synchronized OpenAPI description() {
        if (description == null) {
            assertThat(SPECIFICATION)
                    .as("Lob's OpenAPI description, beside the project")
                    .exists();
            ParseOptions options = new ParseOptions();
            options.setResolve(true);
            SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(standardized(), null, options);
            assertThat(parsed.getOpenAPI())
                    .as("lob-api-bundled.yml parsed: %s", parsed.getMessages())
                    .isNotNull();
            description = parsed.getOpenAPI();
        }
        return description;
    }

    /**
     * The description with its non-standard {@code components.mediaTypes} inlined: Lob writes a response's
     * {@code content} as a {@code $ref} to one, which OpenAPI 3.0 does not allow and the parser cannot read.
     */
    private static String standardized() {
        try {
            YAMLMapper yaml = new YAMLMapper();
            ObjectNode root = (ObjectNode) yaml.readTree(SPECIFICATION.toFile());
            ObjectNode components = (ObjectNode) root.path("components");
            JsonNode mediaTypes = components.remove("mediaTypes");
            return yaml.writeValueAsString(inline(root, mediaTypes));
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    private static JsonNode inline(JsonNode node, JsonNode mediaTypes) {
        if (node.isObject()) {
            JsonNode ref = node.path("$ref");
            if (node.size() == 1 && ref.isTextual() && ref.asText().startsWith(MEDIA_TYPE_REF)) {
                return inline(
                        mediaTypes
                                .path(ref.asText().substring(MEDIA_TYPE_REF.length()))
                                .deepCopy(),
                        mediaTypes);
            }
            ObjectNode object = (ObjectNode) node;
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                object.set(name, inline(object.get(name), mediaTypes));
            }
        } else if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                array.set(i, inline(array.get(i), mediaTypes));
            }
        }
        return node;
    }

    /** What the description finds wrong with the request as the fake received it. */
    static ValidationReport check(RecordedRequest recorded) {
        return validator().validateRequest(request(recorded));
    }

    /** The recorded request as the validator reads one; a multipart body becomes the same fields form-encoded. */
    static SimpleRequest request(RecordedRequest recorded) {
        HttpUrl url = recorded.getUrl();
        SimpleRequest.Builder request = new SimpleRequest.Builder(recorded.getMethod(), url.encodedPath());
        for (String name : url.queryParameterNames()) {
            request.withQueryParam(name, url.queryParameterValues(name));
        }
        Headers headers = recorded.getHeaders();
        for (String name : headers.names()) {
            if (!name.equalsIgnoreCase("Content-Type")) {
                request.withHeader(name, headers.values(name));
            }
        }
        if (MultipartForm.isMultipart(recorded)) {
            MultipartForm form = MultipartForm.of(recorded);
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            form.fields().forEach((name, value) -> put(body, name, value));
            form.fileNames().forEach((name, file) -> put(body, name, file));
            request.withContentType("application/json").withBody(body.toString());
        } else if (recorded.getBody() != null && recorded.getBody().size() > 0) {
            request.withContentType(headers.get("Content-Type"))
                    .withBody(recorded.getBody().utf8());
        }
        return request.build();
    }

    /** Sets {@code to[name]} as {@code {"to": {"name": value}}}, a plain name as itself. */
    private static void put(ObjectNode body, String name, String value) {
        int bracket = name.indexOf('[');
        if (bracket > 0 && name.endsWith("]")) {
            ObjectNode parent = body.has(name.substring(0, bracket))
                    ? (ObjectNode) body.get(name.substring(0, bracket))
                    : body.putObject(name.substring(0, bracket));
            parent.put(name.substring(bracket + 1, name.length() - 1), value);
        } else {
            body.put(name, value);
        }
    }

    /** The required properties of the schema {@code name} and of each part of its {@code allOf}. */
    static List<String> required(String name) {
        Schema<?> schema = description().getComponents().getSchemas().get(name);
        List<String> required = new ArrayList<>();
        collectRequired(schema, required);
        return required;
    }

    private static void collectRequired(Schema<?> schema, List<String> into) {
        if (schema.get$ref() != null) {
            String ref = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
            collectRequired(description().getComponents().getSchemas().get(ref), into);
            return;
        }
        if (schema.getRequired() != null) {
            into.addAll(schema.getRequired());
        }
        if (schema.getAllOf() != null) {
            for (Schema<?> part : schema.getAllOf()) {
                collectRequired(part, into);
            }
        }
    }

    /** Every message of the report, one a line, for an assertion's description. */
    static String messages(ValidationReport report) {
        return String.join(
                "\n", report.getMessages().stream().map(Object::toString).toList());
    }
}
