package io.paperrun.integration.klaviyo;

import io.paperrun.batch.Excerpt;
import io.paperrun.integration.http.ProviderHttpClient;
import io.paperrun.integration.http.RateLimit;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Klaviyo's JSON:API for one account, at its configured base URL: GETs with the revision header, documents read as
 * JSON, and {@code links.next} followed only on that base URL's scheme, host and port, where the key may go.
 */
final class KlaviyoApi {

    static final String DOCUMENTED_BASE_URL = "https://a.klaviyo.com";

    /** The API revision every request names (header {@code revision}), the one the reference describes. */
    static final String REVISION = "2026-07-15";

    static final String MEDIA_TYPE = "application/vnd.api+json";

    static final String METRICS = "/api/metrics";
    static final String EVENTS = "/api/events";

    /** The path of a segment's profiles, {@code /api/segments/{id}/profiles}, with the id encoded. */
    static String segmentProfiles(String segmentId) {
        return new HttpUrl.Builder()
                .scheme("https")
                .host("a.klaviyo.com")
                .addPathSegments("api/segments")
                .addPathSegment(segmentId)
                .addPathSegment("profiles")
                .build()
                .encodedPath();
    }

    /**
     * The limit of the order reading's endpoints: 10 requests a second (600 a minute), within the burst and steady
     * limits of {@code /api/events} (350/s, 3500/m) and the burst of {@code /api/metrics} (10/s); its steady 150/m is
     * not reached by the few metric pages a reading asks for.
     */
    static final RateLimit RATE_LIMIT = RateLimit.of(10, Duration.ofSeconds(1), Duration.ofSeconds(30));

    /**
     * The limit of {@code /api/segments/{id}/profiles} (burst 75/s, steady 750/m in fixed windows), which Klaviyo
     * counts apart from the other endpoints: 12 a second, 720 a minute (96% of the steady limit). One of Klaviyo's
     * fixed minutes overlaps at most 61 of the limiter's seconds (732 requests), a fixed second at most 2 (24).
     */
    static final RateLimit SEGMENT_PROFILES_RATE_LIMIT =
            RateLimit.of(12, Duration.ofSeconds(1), Duration.ofSeconds(30));

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /** How much of an error response is read for its {@code errors}. */
    private static final long ERROR_BODY_LIMIT = 16_384;

    /** The scopes the order reading needs, as a refusal of the key names them. */
    static final String ORDER_SCOPES = "metrics:read and events:read";

    /** The scopes a segment's reading needs ({@code get_profiles_for_segment}). */
    static final String SEGMENT_SCOPES = "profiles:read and segments:read";

    private final ProviderHttpClient http;
    private final HttpUrl base;
    private final String location;
    private final String scopes;

    /**
     * @param base     the scheme, host and port requests go to ({@link #baseUrl})
     * @param location the account as messages name it, {@code klaviyo acme}
     * @param scopes   the key's scopes the reading needs, as a refusal names them ({@link #ORDER_SCOPES})
     */
    KlaviyoApi(ProviderHttpClient http, HttpUrl base, String location, String scopes) {
        this.http = http;
        this.base = base;
        this.location = location;
        this.scopes = scopes;
    }

    /** The scheme, host and port of {@code configured} (a {@code base_url}, or {@link #DOCUMENTED_BASE_URL}). */
    static HttpUrl baseUrl(String configured) {
        HttpUrl url = HttpUrl.parse(configured);
        if (url == null) {
            throw new IllegalStateException(
                    "integrations.klaviyo.base_url " + Excerpt.quote(configured) + " is not an http or https URL");
        }
        return new HttpUrl.Builder()
                .scheme(url.scheme())
                .host(url.host())
                .port(url.port())
                .build();
    }

    /** A URL of the documented {@code path} on the base URL, for query parameters to be added. */
    HttpUrl.Builder url(String path) {
        return base.newBuilder().encodedPath(path);
    }

    /**
     * The Placed Order metrics of the account: every page of {@code GET /api/metrics} (which cannot filter by name)
     * read, the metrics named {@value PlacedOrderMetric#NAME} kept.
     */
    List<PlacedOrderMetric> placedOrderMetrics() throws IOException {
        List<PlacedOrderMetric> found = new ArrayList<>();
        Set<HttpUrl> read = new HashSet<>();
        HttpUrl url = url(METRICS)
                .addQueryParameter("fields[metric]", "name,created,integration")
                .build();
        while (url != null) {
            read.add(url);
            JsonNode document = get(url);
            for (JsonNode metric : data(document, url)) {
                PlacedOrderMetric.of(metric).ifPresent(found::add);
            }
            url = next(document, METRICS);
            if (url != null && read.contains(url)) {
                throw new IOException(location + ": the metrics' next page "
                        + http.redaction().url(url) + " was read already; stopped rather than loop");
            }
        }
        return found;
    }

    /**
     * The JSON:API document at {@code url}. Refused credentials (401, 403) and any other status but 200 fail at once
     * with the status and Klaviyo's error code; 429 and 5xx were retried by the client first.
     */
    JsonNode get(HttpUrl url) throws IOException {
        Request request = new Request.Builder()
                .url(url)
                .header("revision", REVISION)
                .header("accept", MEDIA_TYPE)
                .get()
                .build();
        try (Response response = http.execute(request)) {
            int status = response.code();
            if (status == 401 || status == 403) {
                throw http.failure(
                        response,
                        "Klaviyo refused the credentials: integrations.klaviyo.api_key must name a private API key"
                                + " with the " + scopes + " scopes" + errors(response));
            }
            if (status != 200) {
                throw http.failure(response, "Klaviyo did not answer with a page" + errors(response));
            }
            try {
                return JSON.readTree(response.body().byteStream());
            } catch (JacksonException notJson) {
                throw http.failure(response, "the response is not JSON: " + notJson.getOriginalMessage());
            }
        }
    }

    /** The document's {@code data} array; a document without one fails, naming {@code url}. */
    List<JsonNode> data(JsonNode document, HttpUrl url) throws IOException {
        JsonNode data = document.path("data");
        if (!data.isArray()) {
            throw new IOException(
                    location + ": " + http.redaction().url(url) + " answered a document without a data list");
        }
        List<JsonNode> resources = new ArrayList<>(data.size());
        data.forEach(resources::add);
        return resources;
    }

    /** The document's {@code links.next}, checked to be a page of {@code path} on the base URL; null on the last. */
    HttpUrl next(JsonNode document, String path) throws IOException {
        JsonNode next = document.path("links").path("next");
        if (next.isMissingNode()
                || next.isNull()
                || (next.isString() && next.stringValue().isBlank())) {
            return null;
        }
        HttpUrl url = next.isString() ? HttpUrl.parse(next.stringValue()) : null;
        if (url == null) {
            throw new IOException(
                    location + ": links.next " + Excerpt.quote(next.toString()) + " is not an http(s) URL");
        }
        return onBase(url, path);
    }

    /**
     * {@code url}, when it is a URL of {@code path} on the base URL's scheme, host and port; anything else is refused,
     * since the account's key would go with the request.
     */
    HttpUrl onBase(HttpUrl url, String path) throws IOException {
        boolean sameOrigin =
                url.scheme().equals(base.scheme()) && url.host().equals(base.host()) && url.port() == base.port();
        if (!sameOrigin) {
            throw new IOException(
                    location + ": the next page's link " + http.redaction().url(url)
                            + " is not on the configured base URL " + base.scheme() + "://" + base.host() + ":"
                            + base.port() + "; not followed, so that the API key goes nowhere else");
        }
        String at = url.encodedPath();
        if (!at.equals(path) && !at.equals(path + "/")) {
            throw new IOException(location + ": the next page's link "
                    + http.redaction().url(url) + " is not a page of " + path + "; not followed");
        }
        return url;
    }

    /** Klaviyo's {@code errors} in a response, as {@code "; Klaviyo: code: detail"}; empty when there are none. */
    private static String errors(Response response) {
        try {
            JsonNode document =
                    JSON.readTree(response.peekBody(ERROR_BODY_LIMIT).string());
            StringBuilder text = new StringBuilder();
            for (JsonNode error : document.path("errors")) {
                text.append(text.length() == 0 ? "; Klaviyo: " : "; ")
                        .append(error.path("code").asString(""))
                        .append(": ")
                        .append(error.path("detail")
                                .asString(error.path("title").asString("")));
            }
            return Excerpt.of(text.toString());
        } catch (IOException | JacksonException unreadable) {
            return "";
        }
    }
}
