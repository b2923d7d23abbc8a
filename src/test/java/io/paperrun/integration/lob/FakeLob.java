package io.paperrun.integration.lob;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Lob as a test key answers it (providers.md §1), for any number of threads: HTTP Basic with the key as user, else
 * 401; {@code POST /v1/us_verifications}, where the magic {@code primary_line} values give their canned
 * deliverability ({@link #MAGIC}), any other line {@code deliverable}, no primary line 422 {@code invalid};
 * {@code POST /v1/postcards} (multipart or form) creating a postcard once per {@code Idempotency-Key} (a replay
 * answers the same object) and {@code GET /v1/postcards/{id}} with the tracking events a test adds. The postcards
 * endpoint allows {@value #POSTCARD_LIMIT} requests per 5 s window, then answers Lob's 429. Answers can be made to
 * fail, a postcard line refused, and postcard answers delayed.
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

    /** Requests per {@link #POSTCARD_WINDOW} to the postcards endpoint, per key [C]. */
    public static final int POSTCARD_LIMIT = 150;

    /** The window of the postcards limit; windows start at multiples of it since the epoch. */
    public static final Duration POSTCARD_WINDOW = Duration.ofSeconds(5);

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> SIZES = Set.of("4x6", "6x9", "6x11");
    private static final Set<String> USE_TYPES = Set.of("marketing", "operational");

    private final String key;
    private final AtomicInteger lists = new AtomicInteger();
    private final InstantSource clock;
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger failures = new AtomicInteger();
    private volatile int failureStatus = 503;
    private final AtomicInteger answersBeforeFailing = new AtomicInteger(-1);
    private final List<String> answered = new CopyOnWriteArrayList<>();
    private final Deque<MockResponse> first = new ConcurrentLinkedDeque<>();

    private final Object postcardsLock = new Object();
    private final Map<String, ObjectNode> postcardsById = new LinkedHashMap<>();
    private final Map<String, String> postcardByKey = new HashMap<>();
    private final Map<String, Integer> createdByKey = new HashMap<>();
    private final Map<String, Integer> createdByRecipient = new HashMap<>();
    private int replays;
    private long postcardCounter;

    private final Map<String, String> refusedLines = new ConcurrentHashMap<>();
    private final AtomicInteger postcardFailures = new AtomicInteger();
    private volatile int postcardFailureStatus = 500;
    private volatile Duration postcardDelay = Duration.ZERO;
    private volatile boolean retryAfterOn429 = true;
    private final AtomicInteger throttled = new AtomicInteger();
    private long window = Long.MIN_VALUE;
    private int windowRequests;

    public FakeLob(String key) {
        this(key, InstantSource.system());
    }

    /** A fake whose rate-limit windows and {@code date_created} follow {@code clock}. */
    public FakeLob(String key, InstantSource clock) {
        this.key = key;
        this.clock = clock;
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
        postcardFailures.set(0);
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

    // ---- postcards: fault injection

    /**
     * The next {@code times} postcard creates answer {@code status} (500, 503...) without creating anything; unlike
     * {@link #failNext} it leaves verifications and reads alone.
     */
    public void failNextPostcards(int times, int status) {
        postcardFailureStatus = status;
        postcardFailures.set(times);
    }

    /** A postcard whose {@code to[address_line1]} is {@code line} (in any case) is refused: 422 with {@code message}. */
    public void refuseAddressLine(String line, String message) {
        refusedLines.put(line.toLowerCase(Locale.ROOT), message);
    }

    /** Every postcard answer (create, replay, read) waits {@code delay} before its headers; the work is done first. */
    public void delayPostcards(Duration delay) {
        postcardDelay = delay;
    }

    /** Whether the limiter's 429 carries {@code Retry-After} (the seconds left of the window); true unless said. */
    public void retryAfterOn429(boolean given) {
        retryAfterOn429 = given;
    }

    // ---- postcards: tracking

    /** Adds a tracking event ({@code In Transit}, {@code Delivered}, {@code Returned to Sender}...) to a postcard. */
    public void addTrackingEvent(String postcardId, String name, Instant time) {
        synchronized (postcardsLock) {
            ObjectNode postcard = postcard(postcardId);
            ArrayNode events = (ArrayNode) postcard.path("tracking_events");
            ObjectNode event = events.addObject();
            event.put("id", "evnt_" + hex(postcardId.hashCode()) + events.size());
            event.put("type", "normal");
            event.put("name", name);
            event.put("time", iso(time));
            if ("Mailed".equals(name)) {
                event.putNull("location");
            } else {
                event.put("location", "94107");
            }
            event.putNull("details");
            event.put("date_created", iso(time));
            event.put("date_modified", iso(time));
            event.put("object", "tracking_event");
        }
    }

    /** Sets a postcard's {@code status} ({@code processed}, {@code rendered}, {@code failed}). */
    public void setStatus(String postcardId, String status) {
        synchronized (postcardsLock) {
            postcard(postcardId).put("status", status);
        }
    }

    /** Marks a postcard cancelled: {@code deleted: true}. */
    public void delete(String postcardId) {
        synchronized (postcardsLock) {
            postcard(postcardId).put("deleted", true);
        }
    }

    // ---- postcards: counters

    /** Postcards created, each once: replays and refusals are not counted. */
    public int postcardsCreated() {
        synchronized (postcardsLock) {
            return postcardsById.size();
        }
    }

    /** Postcards created under {@code idempotencyKey}: 0 or 1, since a replay creates none. */
    public int postcardsFor(String idempotencyKey) {
        synchronized (postcardsLock) {
            return createdByKey.getOrDefault(idempotencyKey, 0);
        }
    }

    /** The distinct idempotency keys that created a postcard. */
    public int distinctKeys() {
        synchronized (postcardsLock) {
            return createdByKey.size();
        }
    }

    /** Postcards created per {@code metadata[recipient]}; postcards without it are under the empty string. */
    public Map<String, Integer> postcardsByRecipient() {
        synchronized (postcardsLock) {
            return Map.copyOf(createdByRecipient);
        }
    }

    /** The recipients ({@code metadata[recipient]}) sent more than one postcard: duplicates, whatever their keys. */
    public List<String> duplicateRecipients() {
        synchronized (postcardsLock) {
            return createdByRecipient.entrySet().stream()
                    .filter(entry -> entry.getValue() > 1)
                    .map(Map.Entry::getKey)
                    .sorted()
                    .toList();
        }
    }

    /** Creates answered with the postcard an earlier create made under the same key. */
    public int replays() {
        synchronized (postcardsLock) {
            return replays;
        }
    }

    /** Requests to the postcards endpoint answered 429 by the rate limiter. */
    public int throttled() {
        return throttled.get();
    }

    /** The postcards created, in order, as Lob answers them. */
    public List<JsonNode> postcards() {
        synchronized (postcardsLock) {
            return postcardsById.values().stream()
                    .map(node -> (JsonNode) node.deepCopy())
                    .toList();
        }
    }

    /** The postcard with {@code id}, if created. */
    public Optional<JsonNode> postcardById(String id) {
        synchronized (postcardsLock) {
            return Optional.ofNullable(postcardsById.get(id)).map(node -> (JsonNode) node.deepCopy());
        }
    }

    /** The id of the postcard created under {@code idempotencyKey}, if any. */
    public Optional<String> postcardIdFor(String idempotencyKey) {
        synchronized (postcardsLock) {
            return Optional.ofNullable(postcardByKey.get(idempotencyKey));
        }
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
        String path = request.getUrl().encodedPath();
        if ("POST".equals(request.getMethod()) && "/v1/us_verifications".equals(path)) {
            return verify(request);
        }
        if (path.equals("/v1/postcards") || path.startsWith("/v1/postcards/")) {
            MockResponse limited = rateLimit();
            if (limited != null) {
                return limited;
            }
            MockResponse answer = postcards(request, path);
            Duration delay = postcardDelay;
            return delay.isZero()
                    ? answer
                    : new MockResponse.Builder(answer)
                            .headersDelay(delay.toMillis(), TimeUnit.MILLISECONDS)
                            .build();
        }
        return error(404, "not_found", "The requested resource was not found.");
    }

    private MockResponse postcards(RecordedRequest request, String path) {
        if ("POST".equals(request.getMethod()) && path.equals("/v1/postcards")) {
            return create(request);
        }
        if ("GET".equals(request.getMethod()) && path.equals("/v1/postcards")) {
            return list(request);
        }
        if ("GET".equals(request.getMethod()) && path.startsWith("/v1/postcards/")) {
            String id = path.substring("/v1/postcards/".length());
            synchronized (postcardsLock) {
                ObjectNode postcard = postcardsById.get(id);
                return postcard == null
                        ? error(404, "not_found", "postcard not found")
                        : json(200, postcard.toString());
            }
        }
        return error(404, "not_found", "The requested resource was not found.");
    }

    /** {@code GET /v1/postcards}: the postcards whose metadata hold every {@code metadata[k]=v} asked, oldest first. */
    private MockResponse list(RecordedRequest request) {
        Map<String, String> wanted = new HashMap<>();
        for (String name : request.getUrl().queryParameterNames()) {
            if (name.startsWith("metadata[") && name.endsWith("]")) {
                wanted.put(
                        name.substring("metadata[".length(), name.length() - 1),
                        request.getUrl().queryParameter(name));
            }
        }
        lists.incrementAndGet();
        ObjectNode answer = JSON.createObjectNode().put("object", "list");
        var data = answer.putArray("data");
        synchronized (postcardsLock) {
            postcardsById.values().stream()
                    .filter(postcard -> wanted.entrySet().stream()
                            .allMatch(w -> w.getValue()
                                    .equals(postcard.path("metadata")
                                            .path(w.getKey())
                                            .asString(null))))
                    .forEach(data::add);
        }
        answer.put("count", data.size());
        return json(200, answer.toString());
    }

    /** How many times postcards were listed (a settle's look-up). */
    public int lists() {
        return lists.get();
    }

    /** Over the window's limit: Lob's 429, with the window's end as {@code X-Rate-Limit-Reset}. */
    private MockResponse rateLimit() {
        Instant now = clock.instant();
        long windowMillis = POSTCARD_WINDOW.toMillis();
        long current = Math.floorDiv(now.toEpochMilli(), windowMillis);
        int remaining;
        synchronized (this) {
            if (current != window) {
                window = current;
                windowRequests = 0;
            }
            windowRequests++;
            remaining = POSTCARD_LIMIT - windowRequests;
        }
        if (remaining >= 0) {
            return null;
        }
        throttled.incrementAndGet();
        long resetMillis = (current + 1) * windowMillis;
        MockResponse.Builder answer = new MockResponse.Builder(error(
                        429,
                        "rate_limit_exceeded",
                        "Rate limit exceeded. Please wait 5 seconds and try your request again."))
                .setHeader("X-Rate-Limit-Limit", Integer.toString(POSTCARD_LIMIT))
                .setHeader("X-Rate-Limit-Remaining", "0")
                .setHeader("X-Rate-Limit-Reset", Long.toString((resetMillis + 999) / 1000));
        if (retryAfterOn429) {
            answer.setHeader(
                    "Retry-After", Long.toString(Math.max(1, (resetMillis - now.toEpochMilli() + 999) / 1000)));
        }
        return answer.build();
    }

    private MockResponse create(RecordedRequest request) {
        String headerKey = request.getHeaders().get("Idempotency-Key");
        String queryKey = request.getUrl().queryParameter("idempotency_key");
        if (headerKey != null && queryKey != null) {
            return error(422, "bad_request", "Idempotency-Key header and idempotency_key query cannot both be given");
        }
        String idempotencyKey = headerKey != null ? headerKey : queryKey;
        if (idempotencyKey != null && idempotencyKey.length() > 256) {
            return error(422, "bad_request", "idempotency key must be at most 256 characters");
        }
        if (idempotencyKey != null) {
            synchronized (postcardsLock) {
                String existing = postcardByKey.get(idempotencyKey);
                if (existing != null) {
                    replays++;
                    return json(200, postcardsById.get(existing).toString());
                }
            }
        }
        if (postcardFailures.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            return error(
                    postcardFailureStatus,
                    postcardFailureStatus == 503 ? "service_unavailable" : "internal_server_error",
                    "An internal server error occurred.");
        }
        Map<String, String> fields;
        if (MultipartForm.isMultipart(request)) {
            MultipartForm form = MultipartForm.of(request);
            fields = new LinkedHashMap<>(form.fields());
            form.fileNames().forEach(fields::put);
        } else {
            fields = urlEncoded(request.getBody().utf8());
        }
        String refusal = refusal(fields);
        if (refusal != null) {
            return error(422, refusal.substring(0, refusal.indexOf(':')), refusal.substring(refusal.indexOf(':') + 2));
        }
        synchronized (postcardsLock) {
            if (idempotencyKey != null && postcardByKey.containsKey(idempotencyKey)) {
                replays++;
                return json(
                        200,
                        postcardsById.get(postcardByKey.get(idempotencyKey)).toString());
            }
            ObjectNode postcard = postcard(fields);
            String id = postcard.path("id").asString();
            postcardsById.put(id, postcard);
            if (idempotencyKey != null) {
                postcardByKey.put(idempotencyKey, id);
                createdByKey.merge(idempotencyKey, 1, Integer::sum);
            }
            createdByRecipient.merge(fields.getOrDefault("metadata[recipient]", ""), 1, Integer::sum);
            return json(200, postcard.toString());
        }
    }

    /** {@code "code: message"} of Lob's 422 for the fields, or null when Lob would take them. */
    private String refusal(Map<String, String> fields) {
        String line1 = fields.get("to[address_line1]");
        if (line1 == null || line1.isBlank()) {
            return "invalid: to.address_line1 is required";
        }
        String refused = refusedLines.get(line1.toLowerCase(Locale.ROOT));
        if (refused != null) {
            return "invalid: " + refused;
        }
        if (blank(fields.get("to[name]")) && blank(fields.get("to[company]"))) {
            return "invalid: to.name or to.company is required";
        }
        if (line1.length() + fields.getOrDefault("to[address_line2]", "").length() > 50) {
            return "address_length_exceeds_limit: to.address_line1 and to.address_line2 exceed 50 characters";
        }
        if (blank(fields.get("front")) || blank(fields.get("back"))) {
            return "invalid: front and back are required";
        }
        String useType = fields.get("use_type");
        if (useType == null || !USE_TYPES.contains(useType)) {
            return "mail_use_type_can_not_be_null: use_type must be marketing or operational";
        }
        String size = fields.getOrDefault("size", "4x6");
        if (!SIZES.contains(size)) {
            return "invalid: size must be one of [4x6, 6x9, 6x11]";
        }
        if ("usps_standard".equals(fields.get("mail_type")) && "4x6".equals(size)) {
            return "invalid: usps_standard cannot be used with 4x6 postcards";
        }
        return null;
    }

    private ObjectNode postcard(Map<String, String> fields) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String id = "psc_" + String.format("%014x", ++postcardCounter);
        ObjectNode postcard = JSON.createObjectNode();
        postcard.put("id", id);
        postcard.set("to", address(fields, "to", id));
        if (fields.keySet().stream().anyMatch(name -> name.startsWith("from["))) {
            postcard.set("from", address(fields, "from", id + "f"));
        } else {
            postcard.putNull("from");
        }
        postcard.put("carrier", "USPS");
        postcard.putArray("thumbnails")
                .addObject()
                .put("small", "https://lob-assets.com/postcards/" + id + "_thumb_small_1.png")
                .put("medium", "https://lob-assets.com/postcards/" + id + "_thumb_medium_1.png")
                .put("large", "https://lob-assets.com/postcards/" + id + "_thumb_large_1.png");
        postcard.put("size", fields.getOrDefault("size", "4x6"));
        postcard.put("mail_type", fields.getOrDefault("mail_type", "usps_first_class"));
        postcard.putNull("merge_variables");
        ObjectNode metadata = postcard.putObject("metadata");
        fields.forEach((name, value) -> {
            if (name.startsWith("metadata[") && name.endsWith("]")) {
                metadata.put(name.substring("metadata[".length(), name.length() - 1), value);
            }
        });
        postcard.put(
                "expected_delivery_date",
                LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(4).toString());
        postcard.put("date_created", iso(now));
        postcard.put("date_modified", iso(now));
        postcard.put("send_date", iso(now));
        postcard.putNull("front_template_id");
        postcard.putNull("back_template_id");
        postcard.put("url", "https://lob-assets.com/postcards/" + id + ".pdf?expires=1&signature=fake");
        postcard.putArray("tracking_events");
        postcard.put("use_type", fields.get("use_type"));
        postcard.put("status", "processed");
        postcard.putNull("failure_reason");
        postcard.put("deleted", false);
        postcard.put("object", "postcard");
        return postcard;
    }

    /** The stored form of an inline address: upper case, with an {@code adr_} id. */
    private static ObjectNode address(Map<String, String> fields, String which, String seed) {
        ObjectNode address = JSON.createObjectNode();
        address.put("id", "adr_" + hex(seed.hashCode()) + "00000000");
        for (String part : List.of(
                "name",
                "company",
                "address_line1",
                "address_line2",
                "address_city",
                "address_state",
                "address_zip",
                "address_country")) {
            String value = fields.get(which + "[" + part + "]");
            if (value == null) {
                address.putNull(part);
            } else {
                address.put(part, value.toUpperCase(Locale.ROOT));
            }
        }
        if (address.path("address_country").isNull()) {
            address.put("address_country", "UNITED STATES");
        }
        address.putObject("metadata");
        address.put("object", "address");
        return address;
    }

    private ObjectNode postcard(String id) {
        ObjectNode postcard = postcardsById.get(id);
        if (postcard == null) {
            throw new IllegalArgumentException("no postcard " + id);
        }
        return postcard;
    }

    private MockResponse verify(RecordedRequest request) {
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
        return new MockResponse.Builder(json(200, answer.toString()))
                .setHeader("X-Rate-Limit-Limit", "300")
                .setHeader("X-Rate-Limit-Remaining", "299")
                .build();
    }

    private static Map<String, String> urlEncoded(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            fields.put(
                    URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return fields;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String hex(int value) {
        return String.format("%08x", value);
    }

    private static String iso(Instant time) {
        return time.truncatedTo(ChronoUnit.MILLIS).toString().replaceFirst("(:\\d\\d)Z$", "$1.000Z");
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse.Builder()
                .code(status)
                .setHeader("Content-Type", "application/json")
                .body(body)
                .build();
    }

    /** Lob's error body: {@code {"error": {message, status_code, code}}}. */
    public static MockResponse error(int status, String code, String message) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", message);
        error.put("status_code", status);
        error.put("code", code);
        return json(status, body.toString());
    }
}
