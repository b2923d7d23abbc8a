package io.paperrun.integration.lob;

import io.paperrun.enrichment.AddressVerifier;
import io.paperrun.enrichment.PostalAddress;
import io.paperrun.enrichment.Strictness;
import io.paperrun.enrichment.Verification;
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
 * Verifies a US address with Lob ({@code POST /v1/us_verifications} with its components, providers.md §1): the
 * answer's {@code deliverability}, or Lob's refusal to read the address (422). A verification has no side effect,
 * so it is retried on 429 and 5xx.
 */
final class LobAddressVerifier implements AddressVerifier {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final MediaType APPLICATION_JSON = MediaType.get("application/json");

    private final ProviderHttpClient client;
    private final HttpUrl verifications;
    private final Strictness strictness;

    LobAddressVerifier(ProviderHttpClient client, HttpUrl verifications, Strictness strictness) {
        this.client = client;
        this.verifications = verifications;
        this.strictness = strictness;
    }

    @Override
    public String provider() {
        return LobAddressVerifiers.PROVIDER;
    }

    @Override
    public Strictness strictness() {
        return strictness;
    }

    @Override
    public Verification verify(PostalAddress address) throws IOException {
        Request request = new Request.Builder()
                .url(verifications)
                .post(RequestBody.create(components(address), APPLICATION_JSON))
                .tag(ProviderHttpClient.SafeToRepeat.class, ProviderHttpClient.SafeToRepeat.RETRY_429)
                .build();
        String body;
        try (Response response = client.execute(request)) {
            body = response.body().string();
            int status = response.code();
            if (status == 401 || status == 403) {
                throw client.failure(response, "Lob refused the API key (integrations.lob.api_key)" + errorCode(body));
            }
            if (status == 422) {
                return new Verification.Refused(code(body).orElse("invalid"));
            }
            if (!response.isSuccessful()) {
                throw client.failure(response, "Lob did not verify the address" + errorCode(body));
            }
        }
        JsonNode verdict = client.json(request, body).path("deliverability");
        String deliverability = verdict.isString() ? verdict.asString() : null;
        if (deliverability == null || deliverability.isBlank()) {
            throw new IOException(client.redaction().describe(request) + ": the response has no deliverability");
        }
        return new Verification.Verdict(deliverability);
    }

    /** The request body: {@code primary_line}, {@code secondary_line}, {@code city}, {@code state}, {@code zip_code}. */
    static String components(PostalAddress address) {
        ObjectNode body = JSON.createObjectNode();
        put(body, "primary_line", address.address1());
        put(body, "secondary_line", address.address2());
        put(body, "city", address.city());
        put(body, "state", address.region());
        put(body, "zip_code", address.zip());
        return JSON.writeValueAsString(body);
    }

    private static void put(ObjectNode body, String field, String value) {
        if (value != null && !value.isBlank()) {
            body.put(field, value);
        }
    }

    /** {@code ": invalid"}: the code of Lob's error body, else nothing. */
    private static String errorCode(String body) {
        return code(body).map(code -> ": " + code).orElse("");
    }

    /** The code of Lob's error body {@code {"error": {message, status_code, code}}}. */
    private static Optional<String> code(String body) {
        try {
            JsonNode code = JSON.readTree(body).path("error").path("code");
            return code.isString() ? Optional.of(code.asString()) : Optional.empty();
        } catch (JacksonException notJson) {
            return Optional.empty();
        }
    }
}
