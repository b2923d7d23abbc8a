package io.paperrun.integration.lob;

import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.Credentials;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Lob's {@code POST /v1/us_verifications} as a test key answers it (providers.md §1): HTTP Basic with the key as
 * user; the magic {@code primary_line} values give their canned deliverability ({@link #MAGIC}), any other line
 * {@code deliverable}; no primary line 422 {@code invalid}; another key 401. Answers can be made to fail.
 */
public final class FakeLob extends Dispatcher {

    /** The test key's magic primary lines and the deliverability each answers. */
    public static final Map<String, String> MAGIC = Map.of(
            "deliverable", "deliverable",
            "unnecessary unit", "deliverable_unnecessary_unit",
            "incorrect unit", "deliverable_incorrect_unit",
            "missing unit", "deliverable_missing_unit",
            "undeliverable block match", "undeliverable",
            "undeliverable no match", "undeliverable");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String key;
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger failures = new AtomicInteger();
    private volatile int failureStatus = 503;
    private final AtomicInteger answersBeforeFailing = new AtomicInteger(-1);
    private final List<String> answered = new CopyOnWriteArrayList<>();
    private final Deque<MockResponse> first = new ConcurrentLinkedDeque<>();

    public FakeLob(String key) {
        this.key = key;
    }

    /** The next {@code times} requests (any number: {@link Integer#MAX_VALUE}) answer {@code status}. */
    public void failNext(int times, int status) {
        failureStatus = status;
        failures.set(times);
    }

    /** After {@code answers} more verifications, every request answers {@code status} until {@link #recover()}. */
    public void failAfter(int answers, int status) {
        failureStatus = status;
        answersBeforeFailing.set(answers);
    }

    /** Answers every request again. */
    public void recover() {
        answersBeforeFailing.set(-1);
        failures.set(0);
    }

    /** The primary lines of the verifications answered, in order. */
    public List<String> answered() {
        return List.copyOf(answered);
    }

    /** Answered, in order, before anything else: a 429 with Retry-After, a 500... */
    public void answerFirst(MockResponse... responses) {
        first.addAll(List.of(responses));
    }

    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** The JSON body of the request {@code i}. */
    public JsonNode body(int i) {
        return JSON.readTree(requests.get(i).getBody().utf8());
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        requests.add(request);
        MockResponse queued = first.poll();
        if (queued != null) {
            return queued;
        }
        if (failures.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0 || answersBeforeFailing.get() == 0) {
            return error(
                    failureStatus,
                    failureStatus == 429 ? "rate_limit_exceeded" : "service_unavailable",
                    failureStatus == 429
                            ? "Rate limit exceeded. Please wait 5 seconds and try your request again."
                            : "Service unavailable.");
        }
        if (!Credentials.basic(key, "").equals(request.getHeaders().get("Authorization"))) {
            return error(
                    401,
                    "unauthorized",
                    "Your API key is not valid. Please sign up on lob.com to get a valid api key.");
        }
        if (!"POST".equals(request.getMethod())
                || !"/v1/us_verifications".equals(request.getUrl().encodedPath())) {
            return error(404, "not_found", "The requested resource was not found.");
        }
        JsonNode components = JSON.readTree(request.getBody().utf8());
        String primary = components.path("primary_line").isString()
                ? components.path("primary_line").asString()
                : null;
        if (primary == null || primary.isBlank()) {
            return error(422, "invalid", "primary_line is required or address is required");
        }
        answersBeforeFailing.getAndUpdate(n -> n > 0 ? n - 1 : n);
        answered.add(primary);
        String deliverability = MAGIC.getOrDefault(primary.toLowerCase(Locale.ROOT), "deliverable");
        ObjectNode answer = JSON.createObjectNode();
        answer.put("id", "us_ver_c7cb63d68f8d6");
        answer.put("recipient", "TEST KEYS DO NOT VERIFY ADDRESSES");
        answer.put("primary_line", primary.toUpperCase(Locale.ROOT));
        answer.put(
                "secondary_line", components.path("secondary_line").asString("").toUpperCase(Locale.ROOT));
        answer.put("urbanization", "");
        answer.put("last_line", "SAN FRANCISCO CA 94107-1741");
        answer.put("deliverability", deliverability);
        answer.put("valid_address", !deliverability.equals("undeliverable"));
        ObjectNode parts = answer.putObject("components");
        parts.put("primary_number", "185");
        parts.put("street_name", "BERRY");
        parts.put("city", "SAN FRANCISCO");
        parts.put("state", "CA");
        parts.put("zip_code", "94107");
        parts.put("zip_code_plus_4", "1741");
        parts.put("latitude", 37.77597);
        parts.put("longitude", -122.39447);
        ObjectNode analysis = answer.putObject("deliverability_analysis");
        analysis.put("dpv_confirmation", deliverability.equals("undeliverable") ? "N" : "Y");
        analysis.putArray("dpv_footnotes").add("AA").add("BB");
        answer.putObject("lob_confidence_score").put("score", 100).put("level", "high");
        answer.put("object", "us_verification");
        return new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "application/json")
                .setHeader("X-Rate-Limit-Limit", "300")
                .setHeader("X-Rate-Limit-Remaining", "299")
                .body(answer.toString())
                .build();
    }

    /** Lob's error body: {@code {"error": {message, status_code, code}}}. */
    public static MockResponse error(int status, String code, String message) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", message);
        error.put("status_code", status);
        error.put("code", code);
        return new MockResponse.Builder()
                .code(status)
                .setHeader("Content-Type", "application/json")
                .body(body.toString())
                .build();
    }
}
