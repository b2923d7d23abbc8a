package io.paperrun.integration.faraday;

import io.paperrun.enrichment.AddressAppender;
import io.paperrun.enrichment.AppendedAddress;
import io.paperrun.enrichment.Person;
import io.paperrun.enrichment.PostalAddress;
import io.paperrun.integration.http.ProviderHttpClient;
import java.io.IOException;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A person's US postal address from Faraday's Lookup API ({@code POST /v1/targets/{target_id}/lookup}, providers.md
 * §7), looked up by email and name. A no-match (HTTP 200 with an {@code error}) and identifiers Faraday will not
 * read (400) are empty; a lookup has no side effect, so it is retried on 429 and 5xx.
 */
final class FaradayAddressAppender implements AddressAppender {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final MediaType APPLICATION_JSON = MediaType.get("application/json");

    private final ProviderHttpClient client;
    private final HttpUrl lookup;

    FaradayAddressAppender(ProviderHttpClient client, HttpUrl lookup) {
        this.client = client;
        this.lookup = lookup;
    }

    @Override
    public String provider() {
        return FaradayAddressAppenders.PROVIDER;
    }

    @Override
    public Optional<AppendedAddress> append(Person person) throws IOException {
        Request request = new Request.Builder()
                .url(lookup)
                .post(RequestBody.create(identifiers(person), APPLICATION_JSON))
                .tag(ProviderHttpClient.SafeToRepeat.class, ProviderHttpClient.SafeToRepeat.RETRY_429)
                .build();
        String body;
        try (Response response = client.execute(request)) {
            body = response.body().string();
            int status = response.code();
            if (status == 401 || status == 403) {
                throw client.failure(
                        response, "Faraday refused the API key (integrations.faraday.api_key)" + errorCode(body));
            }
            if (status == 404) {
                throw client.failure(
                        response,
                        "Faraday has no such Lookup API target (integrations.faraday.target_id)" + errorCode(body));
            }
            if (status == 400) {
                return Optional.empty(); // VALIDATION_FAILED: these identifiers match no one
            }
            if (!response.isSuccessful()) {
                throw client.failure(response, "Faraday did not look the person up" + errorCode(body));
            }
        }
        return match(client.json(request, body));
    }

    /** The request body: {@code email}, {@code person_first_name}, {@code person_last_name}, those there are. */
    static String identifiers(Person person) {
        ObjectNode body = JSON.createObjectNode();
        put(body, "email", person.email());
        put(body, "person_first_name", person.firstName());
        put(body, "person_last_name", person.lastName());
        return JSON.writeValueAsString(body);
    }

    /** The address of a lookup's answer; empty when it says {@code error} (no match) or is not an object. */
    static Optional<AppendedAddress> match(JsonNode answer) {
        if (!answer.isObject() || text(answer, "error") != null) {
            return Optional.empty();
        }
        PostalAddress address = new PostalAddress(
                text(answer, "house_number_and_street"),
                null,
                text(answer, "city"),
                text(answer, "state"),
                text(answer, "postcode"),
                "US");
        return Optional.of(new AppendedAddress(address, number(answer, "latitude"), number(answer, "longitude")));
    }

    private static void put(ObjectNode body, String field, String value) {
        if (value != null && !value.isBlank()) {
            body.put(field, value.trim());
        }
    }

    private static String text(JsonNode object, String field) {
        JsonNode node = object.path(field);
        if (node.isMissingNode() || node.isNull() || node.isContainer()) {
            return null;
        }
        String value = node.asString().trim();
        return value.isEmpty() ? null : value;
    }

    private static Double number(JsonNode object, String field) {
        JsonNode node = object.path(field);
        if (node.isNumber()) {
            return node.doubleValue();
        }
        String value = text(object, field);
        if (value == null) {
            return null;
        }
        try {
            return Double.valueOf(value);
        } catch (NumberFormatException notNumber) {
            return null;
        }
    }

    /** {@code ": VALIDATION_FAILED"} from Faraday's error body {@code {error, id, note}}, else nothing. */
    private static String errorCode(String body) {
        try {
            JsonNode error = JSON.readTree(body).path("error");
            return error.isString() ? ": " + error.asString() : "";
        } catch (JacksonException notJson) {
            return "";
        }
    }
}
