package io.paperrun.integration.cloudflare;

import io.paperrun.integration.http.ProviderHttpClient;
import io.paperrun.proofing.PreviewStore;
import io.paperrun.proofing.ProofKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Uploads proof previews to Cloudflare Images ({@code POST .../images/v1}, multipart {@code file} and {@code id},
 * providers.md §8) under a custom id made of the proof's key, so that a retry or a restart uploads a preview once:
 * Cloudflare's answer that the id already exists is taken as success, and the image is then read back
 * ({@code GET .../images/v1/{id}}). The preview's URL is the image's first variant.
 */
final class CloudflarePreviewStore implements PreviewStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final MediaType PNG = MediaType.get("image/png");

    /** Cloudflare's error code for an image whose custom id exists already. */
    static final int ALREADY_EXISTS = 5409;

    private final ProviderHttpClient client;
    private final HttpUrl images;

    CloudflarePreviewStore(ProviderHttpClient client, HttpUrl images) {
        this.client = client;
        this.images = images;
    }

    /** {@code paperrun-acme-winback-2024-123-front}: the custom id of a recipient's preview. */
    static String imageId(ProofKey key) {
        return "paperrun-" + key.path().replace('/', '-') + "-front";
    }

    @Override
    public String store(ProofKey key, byte[] png) throws IOException {
        String id = imageId(key);
        RequestBody body = new MultipartBody.Builder()
                .setType(MultipartBody.FORM)
                .addFormDataPart("file", id + ".png", RequestBody.create(png, PNG))
                .addFormDataPart("id", id)
                .build();
        Request upload = new Request.Builder()
                .url(images)
                .post(body)
                // The custom id makes an upload safe to repeat: a repeat is answered "already exists".
                .tag(ProviderHttpClient.SafeToRepeat.class, ProviderHttpClient.SafeToRepeat.RETRY_429)
                .build();
        try (Response response = client.execute(upload)) {
            String text = response.body().string();
            if (response.isSuccessful()) {
                return firstVariant(upload, text);
            }
            if (!alreadyExists(response.code(), text)) {
                throw refusal(response, text, "Cloudflare Images did not take the preview " + id);
            }
        }
        Request read = new Request.Builder()
                .url(images.newBuilder().addPathSegment(id).build())
                .get()
                .build();
        try (Response response = client.execute(read)) {
            String text = response.body().string();
            if (!response.isSuccessful()) {
                throw refusal(response, text, "Cloudflare Images did not give back the preview " + id);
            }
            return firstVariant(read, text);
        }
    }

    private IOException refusal(Response response, String body, String what) {
        if (response.code() == 401 || response.code() == 403) {
            return client.failure(
                    response,
                    "Cloudflare refused the API token (integrations.cloudflare_images.api_token)" + errors(body));
        }
        return client.failure(response, what + errors(body));
    }

    private static boolean alreadyExists(int status, String body) {
        if (status == 409) {
            return true;
        }
        for (JsonNode error : errorNodes(body)) {
            if (error.path("code").asInt() == ALREADY_EXISTS
                    || error.path("message")
                            .asString("")
                            .toLowerCase(Locale.ROOT)
                            .contains("already exists")) {
                return true;
            }
        }
        return false;
    }

    private String firstVariant(Request request, String body) throws IOException {
        JsonNode variant =
                client.json(request, body).path("result").path("variants").path(0);
        if (!variant.isString() || variant.asString().isBlank()) {
            throw new IOException(client.redaction().describe(request) + ": the response names no variant URL");
        }
        return variant.asString();
    }

    /** {@code ": 5400 Bad request"}: the errors of Cloudflare's answer, else nothing. */
    private static String errors(String body) {
        List<String> said = new ArrayList<>();
        for (JsonNode error : errorNodes(body)) {
            said.add((error.path("code").asInt() + " " + error.path("message").asString("")).trim());
        }
        return said.isEmpty() ? "" : ": " + String.join("; ", said);
    }

    private static List<JsonNode> errorNodes(String body) {
        List<JsonNode> nodes = new ArrayList<>();
        try {
            JSON.readTree(body).path("errors").forEach(nodes::add);
        } catch (JacksonException notJson) {
            // an answer that is not JSON has no errors to read
        }
        return nodes;
    }
}
