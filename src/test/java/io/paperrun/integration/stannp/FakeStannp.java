package io.paperrun.integration.stannp;

import io.paperrun.integration.lob.MultipartForm;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.Credentials;
import okio.ByteString;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Stannp's postcard API as an account answers it (providers.md §2), for any number of threads: HTTP Basic with the
 * key as user (or {@code ?api_key=}), else 401; {@code POST /v1/postcards/create} (multipart) creating a mailpiece
 * once per {@code X-Idempotency-Key}: a replay of an identical body answers 409 with the original body
 * ({@code success: true}), the key with another body 409 {@code success: false}; {@code GET /v1/postcards/get/{id}}
 * with the status a test sets. {@value #LIMIT_PER_MINUTE} requests per minute (Starter), then 429. Answers can be
 * made to fail, an address line refused, and postcard answers delayed.
 */
public final class FakeStannp extends Dispatcher {

    /** Requests per clock minute (Starter plan) [C]. */
    public static final int LIMIT_PER_MINUTE = 300;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> SIZES = Set.of("A6", "A5", "A5-ENV", "4x6", "6x9", "6x11");
    private static final DateTimeFormatter STANNP_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private record Created(String id, ByteString body, String answer) {}

    private final String key;
    private final InstantSource clock;
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final Deque<MockResponse> first = new ConcurrentLinkedDeque<>();
    private final Map<String, String> refusedLines = new ConcurrentHashMap<>();
    private final AtomicInteger failures = new AtomicInteger();
    private volatile int failureStatus = 500;
    private volatile Duration delay = Duration.ZERO;
    private volatile boolean retryAfterOn429 = true;
    private final AtomicInteger throttled = new AtomicInteger();

    private final Object lock = new Object();
    private final Map<String, Created> byKey = new HashMap<>();
    private final Map<String, ObjectNode> pieces = new LinkedHashMap<>();
    private final Map<String, Integer> byAddress = new HashMap<>();
    private int replays;
    private int conflicts;
    private long nextId = 528_000;
    private long minute = Long.MIN_VALUE;
    private int minuteRequests;

    public FakeStannp(String key) {
        this(key, InstantSource.system());
    }

    /** A fake whose rate-limit minutes and {@code created} times follow {@code clock}. */
    public FakeStannp(String key, InstantSource clock) {
        this.key = key;
        this.clock = clock;
    }

    /** Answered, in order, before anything else: a 429 with Retry-After, a 500... */
    public void answerFirst(MockResponse... responses) {
        first.addAll(List.of(responses));
    }

    /** The next {@code times} creates answer {@code status} (500, 503...) without creating anything. */
    public void failNextPostcards(int times, int status) {
        failureStatus = status;
        failures.set(times);
    }

    /** A postcard whose {@code recipient[address1]} is {@code line} (any case) is refused: 400 with {@code error}. */
    public void refuseAddressLine(String line, String error) {
        refusedLines.put(line.toLowerCase(Locale.ROOT), error);
    }

    /** Every postcard answer waits {@code delay} before its headers; the work is done first. */
    public void delayPostcards(Duration delay) {
        this.delay = delay;
    }

    /** Whether the limiter's 429 carries {@code Retry-After} besides {@code X-RateLimit-Reset}; true unless said. */
    public void retryAfterOn429(boolean given) {
        retryAfterOn429 = given;
    }

    /** Sets a mailpiece's status: received, producing, handed_over, local_delivery, delivered, returned, cancelled. */
    public void setStatus(String id, String status) {
        synchronized (lock) {
            piece(id).put("status", status);
        }
    }

    /** Sets the time a mailpiece was handed to the carrier. */
    public void setDispatched(String id, Instant dispatched) {
        synchronized (lock) {
            piece(id).put("dispatched", STANNP_TIME.format(dispatched));
        }
    }

    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** Mailpieces created, each once: replays and refusals are not counted. */
    public int postcardsCreated() {
        synchronized (lock) {
            return pieces.size();
        }
    }

    /** Mailpieces created under {@code idempotencyKey}: 0 or 1. */
    public int postcardsFor(String idempotencyKey) {
        synchronized (lock) {
            return byKey.containsKey(idempotencyKey) ? 1 : 0;
        }
    }

    /** The id of the mailpiece created under {@code idempotencyKey}, if any. */
    public Optional<String> postcardIdFor(String idempotencyKey) {
        synchronized (lock) {
            return Optional.ofNullable(byKey.get(idempotencyKey)).map(Created::id);
        }
    }

    /** Creates answered 409 with the original body. */
    public int replays() {
        synchronized (lock) {
            return replays;
        }
    }

    /** Creates answered 409 {@code success: false}: a used key with another body. */
    public int conflicts() {
        synchronized (lock) {
            return conflicts;
        }
    }

    /** Addresses (lastname, address1, postcode or zipcode, lower case, joined by |) sent more than one mailpiece. */
    public List<String> duplicateAddresses() {
        synchronized (lock) {
            return byAddress.entrySet().stream()
                    .filter(entry -> entry.getValue() > 1)
                    .map(Map.Entry::getKey)
                    .sorted()
                    .toList();
        }
    }

    /** Requests answered 429 by the rate limiter. */
    public int throttled() {
        return throttled.get();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        requests.add(request);
        MockResponse queued = first.poll();
        if (queued != null) {
            return queued;
        }
        if (!Credentials.basic(key, "").equals(request.getHeaders().get("Authorization"))
                && !key.equals(request.getUrl().queryParameter("api_key"))) {
            return failure(401, "You do not have permission to access this resource.");
        }
        MockResponse limited = rateLimit();
        if (limited != null) {
            return limited;
        }
        String path = request.getUrl().encodedPath();
        MockResponse answer;
        if ("POST".equals(request.getMethod()) && path.equals("/v1/postcards/create")) {
            answer = create(request);
        } else if ("GET".equals(request.getMethod()) && path.startsWith("/v1/postcards/get/")) {
            synchronized (lock) {
                ObjectNode piece = pieces.get(path.substring("/v1/postcards/get/".length()));
                answer = piece == null ? failure(404, "Mailpiece not found") : success(200, piece);
            }
        } else {
            return failure(404, "Not found");
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
        long reset = Math.max(1, (current + 1) * 60 - now.getEpochSecond());
        MockResponse.Builder answer = new MockResponse.Builder(failure(429, "Rate limit exceeded"))
                .setHeader("X-RateLimit-Limit", Integer.toString(LIMIT_PER_MINUTE))
                .setHeader("X-RateLimit-Remaining", "0")
                .setHeader("X-RateLimit-Reset", Long.toString(reset));
        if (retryAfterOn429) {
            answer.setHeader("Retry-After", Long.toString(reset));
        }
        return answer.build();
    }

    private MockResponse create(RecordedRequest request) {
        String idempotencyKey = request.getHeaders().get("X-Idempotency-Key");
        if (idempotencyKey != null && (idempotencyKey.length() < 10 || idempotencyKey.length() > 1024)) {
            return failure(400, "X-Idempotency-Key must be between 10 and 1024 characters");
        }
        if (idempotencyKey != null) {
            synchronized (lock) {
                Created created = byKey.get(idempotencyKey);
                if (created != null) {
                    return replay(created, request);
                }
            }
        }
        if (failures.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            return failure(failureStatus, "Internal server error");
        }
        if (!MultipartForm.isMultipart(request)) {
            return failure(400, "A front and a back file are required");
        }
        MultipartForm form = MultipartForm.of(request);
        String refusal = refusal(form);
        if (refusal != null) {
            return failure(400, refusal);
        }
        synchronized (lock) {
            if (idempotencyKey != null && byKey.containsKey(idempotencyKey)) {
                return replay(byKey.get(idempotencyKey), request);
            }
            String id = Long.toString(++nextId);
            String now = STANNP_TIME.format(clock.instant());
            String size = form.field("size");
            String cost = size.startsWith("A5") || size.equals("6x9") || size.equals("6x11") ? "0.82" : "0.55";
            ObjectNode data = JSON.createObjectNode();
            data.put("pdf", "https://dash.stannp.com/api/v1/storage/get/postcards/" + id + ".pdf");
            data.put("id", id);
            data.put("created", now);
            data.put("format", size);
            data.put("cost", cost);
            data.put("status", "received");
            ObjectNode answer = JSON.createObjectNode().put("success", true);
            answer.set("data", data);
            ObjectNode piece = JSON.createObjectNode();
            piece.put("id", id);
            piece.put("timestamp", now);
            piece.put("status", "received");
            piece.put("format", size);
            piece.put("pdf_file", data.path("pdf").asString());
            piece.put("dispatched", (String) null);
            piece.put("cost", cost);
            piece.put("tags", "");
            String postcode =
                    Optional.ofNullable(form.field("recipient[postcode]")).orElse(form.field("recipient[zipcode]"));
            piece.put("postcode", postcode);
            piece.put("address", form.field("recipient[address1]"));
            pieces.put(id, piece);
            if (idempotencyKey != null) {
                byKey.put(idempotencyKey, new Created(id, request.getBody(), answer.toString()));
            }
            String address = String.join(
                            "|",
                            String.valueOf(form.field("recipient[lastname]")),
                            form.field("recipient[address1]"),
                            String.valueOf(postcode))
                    .toLowerCase(Locale.ROOT);
            byAddress.merge(address, 1, Integer::sum);
            return json(200, answer.toString());
        }
    }

    private MockResponse replay(Created created, RecordedRequest request) {
        if (created.body().equals(request.getBody())) {
            replays++;
            return json(409, created.answer());
        }
        conflicts++;
        return failure(409, "The idempotency key was used with a different request");
    }

    private String refusal(MultipartForm form) {
        String size = form.field("size");
        if (size == null || !SIZES.contains(size)) {
            return "Invalid size";
        }
        if (!form.files().containsKey("front") || !form.files().containsKey("back")) {
            return "A front and a back file are required";
        }
        String line = form.field("recipient[address1]");
        if (line == null || line.isBlank()) {
            return "Recipient address1 is required";
        }
        String refused = refusedLines.get(line.toLowerCase(Locale.ROOT));
        if (refused != null) {
            return refused;
        }
        if (form.field("recipient[postcode]") == null && form.field("recipient[zipcode]") == null) {
            return "Recipient postcode is required";
        }
        return null;
    }

    private ObjectNode piece(String id) {
        ObjectNode piece = pieces.get(id);
        if (piece == null) {
            throw new IllegalArgumentException("no mailpiece " + id);
        }
        return piece;
    }

    private static MockResponse success(int status, JsonNode data) {
        ObjectNode body = JSON.createObjectNode().put("success", true);
        body.set("data", data.deepCopy());
        return json(status, body.toString());
    }

    /** Stannp's error body: {@code {"success": false, "error": "..."}}. */
    public static MockResponse failure(int status, String error) {
        return json(
                status,
                JSON.createObjectNode()
                        .put("success", false)
                        .put("error", error)
                        .toString());
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse.Builder()
                .code(status)
                .setHeader("Content-Type", "application/json")
                .body(body)
                .build();
    }
}
