package io.paperrun.integration.intelliprint;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * IntelliPrint's print jobs as its API answers them (providers.md §3), for any number of threads:
 * {@code Authorization: Bearer <key>}, else 401; {@code POST /v1/prints} (JSON) creating a job every time, since
 * IntelliPrint has no idempotency (duplicates by {@code reference} are counted); {@code GET /v1/prints} listing jobs
 * newest first with {@code limit}, {@code skip}, {@code has_more} and, unless told to ignore it, the
 * {@code reference} filter; {@code GET /v1/prints/{id}}. {@value #LIMIT_PER_MINUTE} requests per minute, then 429.
 * Creates can fail before or after the job is made, an address line be refused, answers be delayed.
 */
public final class FakeIntelliPrint extends Dispatcher {

    /** Requests per clock minute [C]. */
    public static final int LIMIT_PER_MINUTE = 100;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String key;
    private final InstantSource clock;
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final Deque<MockResponse> first = new ConcurrentLinkedDeque<>();
    private final Map<String, String> refusedLines = new ConcurrentHashMap<>();
    private final AtomicInteger failuresBefore = new AtomicInteger();
    private final AtomicInteger failuresAfter = new AtomicInteger();
    private volatile int failureStatus = 500;
    private volatile Duration delay = Duration.ZERO;
    private volatile boolean ignoreReferenceFilter;
    private volatile boolean retryAfterOn429 = true;
    private final AtomicInteger throttled = new AtomicInteger();
    private final AtomicInteger creates = new AtomicInteger();
    private final AtomicInteger lookups = new AtomicInteger();

    private final Object lock = new Object();
    private final Map<String, ObjectNode> jobs = new LinkedHashMap<>();
    private final Map<String, Integer> byReference = new HashMap<>();
    private long nextId = 1;
    private long minute = Long.MIN_VALUE;
    private int minuteRequests;

    public FakeIntelliPrint(String key) {
        this(key, InstantSource.system());
    }

    /** A fake whose rate-limit minutes and {@code created} times follow {@code clock}. */
    public FakeIntelliPrint(String key, InstantSource clock) {
        this.key = key;
        this.clock = clock;
    }

    /** Answered, in order, before anything else. */
    public void answerFirst(MockResponse... responses) {
        first.addAll(List.of(responses));
    }

    /** The next {@code times} creates answer {@code status} without making the job. */
    public void failNextCreates(int times, int status) {
        failureStatus = status;
        failuresBefore.set(times);
    }

    /** The next {@code times} creates make the job, then answer {@code status}: a response lost after the fact. */
    public void failNextCreatesAfterMaking(int times, int status) {
        failureStatus = status;
        failuresAfter.set(times);
    }

    /** A job whose address's first line is {@code line} (any case) is refused: 400 with {@code message}. */
    public void refuseAddressLine(String line, String message) {
        refusedLines.put(line.toLowerCase(Locale.ROOT), message);
    }

    /** Lists ignore {@code reference}, as IntelliPrint may [U]: the client must check each job's reference. */
    public void ignoreReferenceFilter(boolean ignore) {
        ignoreReferenceFilter = ignore;
    }

    /** Every answer waits {@code delay} before its headers; the work is done first. */
    public void delay(Duration delay) {
        this.delay = delay;
    }

    /** Whether the limiter's 429 carries {@code Retry-After}; true unless said. */
    public void retryAfterOn429(boolean given) {
        retryAfterOn429 = given;
    }

    /** Sets the status of a job's letter: draft, waiting_to_print, ..., sent, returned, failed_wrong_address... */
    public void setLetterStatus(String id, String status) {
        synchronized (lock) {
            ObjectNode letter = (ObjectNode) job(id).path("letters").path(0);
            letter.put("status", status);
        }
    }

    /** Adds {@code count} jobs of other references, older than any yet made: a long account history. */
    public void addOtherJobs(int count) {
        synchronized (lock) {
            for (int i = 0; i < count; i++) {
                ObjectNode job = newJob("history-" + i, "postcard_a6", "uk_second_class");
                jobs.put(job.path("id").asString(), job);
            }
        }
    }

    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** Jobs made, duplicates included. */
    public int printsCreated() {
        synchronized (lock) {
            return (int) jobs.values().stream()
                    .filter(job -> !job.path("reference").asString().startsWith("history-"))
                    .count();
        }
    }

    /** Jobs made under {@code reference}: more than one is a duplicate. */
    public int printsFor(String reference) {
        synchronized (lock) {
            return byReference.getOrDefault(reference, 0);
        }
    }

    /** The references with more than one job. */
    public List<String> duplicateReferences() {
        synchronized (lock) {
            return byReference.entrySet().stream()
                    .filter(entry -> entry.getValue() > 1)
                    .map(Map.Entry::getKey)
                    .sorted()
                    .toList();
        }
    }

    /** {@code POST /v1/prints} requests received. */
    public int createRequests() {
        return creates.get();
    }

    /** {@code GET /v1/prints} (list) requests received. */
    public int lookups() {
        return lookups.get();
    }

    /** Requests answered 429 by the rate limiter. */
    public int throttled() {
        return throttled.get();
    }

    /** The body of the request {@code i}, as JSON. */
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
        if (!("Bearer " + key).equals(request.getHeaders().get("Authorization"))) {
            return error(401, "authentication_error", "invalid_api_key", "Invalid API key provided.", null);
        }
        MockResponse limited = rateLimit();
        if (limited != null) {
            return limited;
        }
        String path = request.getUrl().encodedPath();
        MockResponse answer;
        if ("POST".equals(request.getMethod()) && path.equals("/v1/prints")) {
            creates.incrementAndGet();
            answer = create(request);
        } else if ("GET".equals(request.getMethod()) && path.equals("/v1/prints")) {
            lookups.incrementAndGet();
            answer = list(request);
        } else if ("GET".equals(request.getMethod()) && path.startsWith("/v1/prints/")) {
            synchronized (lock) {
                ObjectNode job = jobs.get(path.substring("/v1/prints/".length()));
                answer = job == null
                        ? error(404, "invalid_request_error", "not_found", "No such print job.", "id")
                        : json(200, job.toString());
            }
        } else {
            answer = error(404, "invalid_request_error", "not_found", "Unknown endpoint.", null);
        }
        return delay.isZero()
                ? answer
                : new MockResponse.Builder(answer)
                        .headersDelay(delay.toMillis(), TimeUnit.MILLISECONDS)
                        .build();
    }

    private MockResponse rateLimit() {
        Instant now = clock.instant();
        long current = Math.floorDiv(now.getEpochSecond(), 60);
        int remaining;
        synchronized (this) {
            if (current != minute) {
                minute = current;
                minuteRequests = 0;
            }
            minuteRequests++;
            remaining = LIMIT_PER_MINUTE - minuteRequests;
        }
        if (remaining >= 0) {
            return null;
        }
        throttled.incrementAndGet();
        MockResponse.Builder answer = new MockResponse.Builder(
                error(429, "rate_limited", "rate_limited", "Too many requests, please slow down.", null));
        if (retryAfterOn429) {
            answer.setHeader("Retry-After", Long.toString(Math.max(1, (current + 1) * 60 - now.getEpochSecond())));
        }
        return answer.build();
    }

    private MockResponse create(RecordedRequest request) {
        if (failuresBefore.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            return error(failureStatus, "internal_error", "internal_error", "Something went wrong.", null);
        }
        JsonNode body;
        try {
            body = JSON.readTree(request.getBody().utf8());
        } catch (RuntimeException notJson) {
            return error(400, "invalid_request_error", "parameter_invalid", "The body is not JSON.", null);
        }
        if (!"postcard".equals(body.path("type").asString(""))) {
            return error(400, "invalid_request_error", "parameter_invalid", "type must be postcard here.", "type");
        }
        if (body.path("file").path("content").asString("").isEmpty()) {
            return error(400, "invalid_request_error", "parameter_missing", "A file is required.", "file");
        }
        JsonNode address = body.path("recipients").path(0).path("address");
        String line = address.path("line").asString("");
        if (line.isBlank() || address.path("postcode").asString("").isBlank()) {
            return error(
                    400,
                    "invalid_request_error",
                    "parameter_missing",
                    "The recipient's address needs a line and a postcode.",
                    "recipients[0].address");
        }
        String refused = refusedLines.get(line.split("\n")[0].toLowerCase(Locale.ROOT));
        if (refused != null) {
            return error(400, "invalid_request_error", "parameter_invalid", refused, "recipients[0].address");
        }
        String reference = body.path("reference").asString(null);
        ObjectNode job;
        synchronized (lock) {
            job = newJob(
                    reference,
                    body.path("postage").path("ideal_envelope").asString("postcard_a6"),
                    body.path("postage").path("service").asString("uk_second_class"));
            job.put("confirmed", body.path("confirmed").asBoolean(false));
            ((ObjectNode) job.path("letters").path(0))
                    .put("status", body.path("confirmed").asBoolean(false) ? "waiting_to_print" : "draft");
            jobs.put(job.path("id").asString(), job);
            if (reference != null) {
                byReference.merge(reference, 1, Integer::sum);
            }
        }
        if (failuresAfter.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            return error(failureStatus, "internal_error", "internal_error", "Something went wrong.", null);
        }
        return json(200, job.toString());
    }

    private ObjectNode newJob(String reference, String envelope, String service) {
        String id = String.format("print_%014d", nextId++);
        ObjectNode job = JSON.createObjectNode();
        job.put("id", id);
        job.put("object", "print");
        job.put("testmode", false);
        job.put("confirmed", true);
        job.put("type", "postcard");
        job.put("reference", reference);
        job.put("pages", 2);
        job.put("sheets", 1);
        job.put("created", clock.instant().getEpochSecond());
        ArrayNode letters = job.putArray("letters");
        letters.addObject()
                .put("id", id.replace("print_", "letter_"))
                .put("pages", 2)
                .put("status", "waiting_to_print");
        ObjectNode postage = job.putObject("postage");
        postage.put("service", service);
        postage.put("ideal_envelope", envelope);
        long amount = envelope.equals("postcard_a5") ? 89_000_000L : 56_000_000L;
        ObjectNode cost = job.putObject("cost");
        cost.put("amount", amount);
        cost.put("tax", amount / 5);
        cost.put("after_tax", amount + amount / 5);
        cost.put("currency", "GBP");
        return job;
    }

    private MockResponse list(RecordedRequest request) {
        int limit = intParameter(request, "limit", 10);
        int skip = intParameter(request, "skip", 0);
        if (limit < 1 || limit > 1000 || skip < 0) {
            return error(400, "invalid_request_error", "parameter_invalid", "limit must be 1 to 1000.", "limit");
        }
        String reference = ignoreReferenceFilter ? null : request.getUrl().queryParameter("reference");
        List<ObjectNode> matching = new ArrayList<>();
        synchronized (lock) {
            for (ObjectNode job : jobs.values()) {
                if (reference == null || reference.equals(job.path("reference").asString(null))) {
                    matching.add(job.deepCopy());
                }
            }
        }
        Collections.reverse(matching);
        ObjectNode answer = JSON.createObjectNode();
        answer.put("object", "list");
        ArrayNode data = answer.putArray("data");
        matching.stream().skip(skip).limit(limit).forEach(data::add);
        answer.put("has_more", skip + limit < matching.size());
        return json(200, answer.toString());
    }

    private static int intParameter(RecordedRequest request, String name, int otherwise) {
        String value = request.getUrl().queryParameter(name);
        try {
            return value == null ? otherwise : Integer.parseInt(value);
        } catch (NumberFormatException notNumber) {
            return -1;
        }
    }

    private ObjectNode job(String id) {
        ObjectNode job = jobs.get(id);
        if (job == null) {
            throw new IllegalArgumentException("no print job " + id);
        }
        return job;
    }

    /** IntelliPrint's error body: {@code {"error": {message, type, code, param}}}. */
    public static MockResponse error(int status, String type, String code, String message, String param) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.put("code", code);
        error.put("param", param);
        return new MockResponse.Builder(json(status, body.toString()))
                .setHeader("request-id", "req_" + Integer.toHexString(body.hashCode()))
                .build();
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse.Builder()
                .code(status)
                .setHeader("Content-Type", "application/json")
                .body(body)
                .build();
    }
}
