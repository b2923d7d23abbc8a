package io.paperrun.integration.faraday;

import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Faraday's Lookup API as providers.md §7 documents it: {@code POST /v1/targets/{target_id}/lookup} with
 * {@code Authorization: Bearer <key>} and a JSON body of identifiers; a known email answers the identifiers sent
 * plus the person's address, coordinates and scores; an unknown one answers 200 with {@code error}; no usable
 * identifier 400 {@code VALIDATION_FAILED}; another key 401, another target 404. Answers can be made to fail.
 */
public final class FakeFaraday extends Dispatcher {

    public static final String NO_MATCH = "Could not match an identity with the provided information";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A person Faraday knows, by email. */
    public record Match(String street, String city, String state, String postcode, double latitude, double longitude) {}

    private final String key;
    private final String target;
    private final Map<String, Match> people = new ConcurrentHashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger failures = new AtomicInteger();
    private volatile int failureStatus = 503;
    private final Deque<MockResponse> first = new ConcurrentLinkedDeque<>();

    public FakeFaraday(String key, String target) {
        this.key = key;
        this.target = target;
    }

    public FakeFaraday person(String email, Match match) {
        people.put(email, match);
        return this;
    }

    /** The next {@code times} requests (any number: {@link Integer#MAX_VALUE}) answer {@code status}. */
    public void failNext(int times, int status) {
        failureStatus = status;
        failures.set(times);
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
        if (failures.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            return error(failureStatus, failureStatus == 429 ? "RATE_LIMITED" : "SERVICE_UNAVAILABLE");
        }
        if (!("Bearer " + key).equals(request.getHeaders().get("Authorization"))) {
            return error(401, "UNAUTHORIZED");
        }
        String path = request.getUrl().encodedPath();
        if (!"POST".equals(request.getMethod()) || !path.startsWith("/v1/targets/") || !path.endsWith("/lookup")) {
            return error(404, "NOT_FOUND");
        }
        if (!path.equals("/v1/targets/" + target + "/lookup")) {
            return error(404, "NOT_FOUND");
        }
        String contentType = request.getHeaders().get("Content-Type");
        if (contentType == null || !contentType.startsWith("application/json")) {
            return error(400, "VALIDATION_FAILED");
        }
        JsonNode identifiers = JSON.readTree(request.getBody().utf8());
        if (!identifiers.path("email").isString()) {
            return error(400, "VALIDATION_FAILED");
        }
        ObjectNode answer = ((ObjectNode) identifiers).deepCopy();
        Match match = people.get(identifiers.path("email").asString());
        if (match == null) {
            answer.put("error", NO_MATCH);
        } else {
            answer.put("match_type", "email_only");
            answer.put("identity_provider", "faraday");
            answer.putObject("identity_set")
                    .put("id", "idset-" + Math.abs(match.street().hashCode()));
            answer.put("house_number_and_street", match.street());
            answer.put("city", match.city());
            answer.put("state", match.state());
            answer.put("postcode", match.postcode());
            answer.put("latitude", match.latitude());
            answer.put("longitude", match.longitude());
            answer.put("fdy_outcome_3f2a_propensity_percentile", 87);
        }
        return new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "application/json")
                .body(answer.toString())
                .build();
    }

    /** Faraday's error body: {@code {error, id, note, validationErrors[]}}. */
    public static MockResponse error(int status, String code) {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", code);
        body.put("id", "5d0c0a2e-1b7c-4a55-9d84-2f86d0d5c3a1");
        body.put("note", "see the Lookup API specification");
        body.putArray("validationErrors");
        return new MockResponse.Builder()
                .code(status)
                .setHeader("Content-Type", "application/json")
                .body(body.toString())
                .build();
    }
}
