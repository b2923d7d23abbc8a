package io.paperrun.integration.klaviyo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One Klaviyo segment as {@code GET /api/segments/{id}/profiles} serves it: {@code size} members generated from
 * their index when asked for (never held in memory; {@code joined_group_at} rising a second every one or two
 * members), plus profiles a test adds. Honours {@code page[size]}, {@code sort}, a {@code joined_group_at} filter
 * and sparse {@code fields[profile]}; pages are linked by {@code links.next} with a cursor of its own; the
 * {@code Authorization} and {@code revision} headers are checked. With {@link #limits}, enforces Klaviyo's fixed
 * windows (a minute, a second), answering 429 with only {@code Retry-After}; counts what it answered.
 *
 * <p>For a benchmark: {@code server.setDispatcher(new FakeKlaviyoSegment("Seg1", key, 100_000, start).limits(750,
 * 75))}, base_url the server's URL, then {@link #served()}, {@link #throttled()} and {@link #steadyShare()}.
 */
public final class FakeKlaviyoSegment extends Dispatcher {

    /** The steady and burst limits of the endpoint (per minute, per second), as its description gives them. */
    public static final int STEADY_LIMIT = 750;

    public static final int BURST_LIMIT = 75;

    /** How many answered documents are kept for checking against the description: the last ones. */
    private static final int ANSWERS_KEPT = 100;

    private static final Pattern FILTER = Pattern.compile(
            "(greater-or-equal|greater-than|less-or-equal|less-than)\\(joined_group_at,([^,()'\"]+)\\)");

    /** One answered document, for checking against the description. */
    public record Answer(RecordedRequest request, String document) {}

    /** A profile a test added: served at its place by ({@code joined}, {@code id}). */
    private record Added(Instant joined, String id, ObjectNode profile) {}

    /** A member of the segment at one position of a stream: an added profile or a generated one. */
    private record Member(Instant joined, String id, boolean added, long index) {}

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");

    private static final DateTimeFormatter MICROSECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx");

    private static final Comparator<Member> ORDER =
            Comparator.comparing(Member::joined).thenComparing(Member::id);

    private final String segmentId;
    private final String apiKey;
    private final long size;
    private final Instant firstJoined;
    private final List<Added> added = new ArrayList<>();
    private final Deque<MockResponse> first = new ArrayDeque<>();
    private final Deque<Answer> answers = new ArrayDeque<>();
    private final Map<Long, Integer> countedPerMinute = new HashMap<>();
    private final Map<Long, Integer> countedPerSecond = new HashMap<>();
    private InstantSource clock = InstantSource.system();
    private HttpUrl linkOrigin;
    private int steadyLimit = Integer.MAX_VALUE;
    private int burstLimit = Integer.MAX_VALUE;
    private long requests;
    private long served;
    private long throttled;
    private Instant firstServed;
    private Instant lastServed;

    /**
     * @param segmentId   the segment's id, in the path
     * @param apiKey      the private key the {@code Authorization} header must carry
     * @param size        how many members are generated
     * @param firstJoined when the first generated member joined
     */
    public FakeKlaviyoSegment(String segmentId, String apiKey, long size, Instant firstJoined) {
        this.segmentId = segmentId;
        this.apiKey = apiKey;
        this.size = size;
        this.firstJoined = firstJoined;
    }

    /** Enforces Klaviyo's fixed windows: {@code steadyPerMinute} a minute, {@code burstPerSecond} a second. */
    public synchronized FakeKlaviyoSegment limits(int steadyPerMinute, int burstPerSecond) {
        this.steadyLimit = steadyPerMinute;
        this.burstLimit = burstPerSecond;
        return this;
    }

    /** The clock of the windows and the counts: the system's unless a test moves its own. */
    public synchronized FakeKlaviyoSegment clock(InstantSource clock) {
        this.clock = clock;
        return this;
    }

    /** Next links on this scheme, host and port instead of the request's. */
    public synchronized FakeKlaviyoSegment linkTo(HttpUrl origin) {
        this.linkOrigin = origin;
        return this;
    }

    /** Answered, in order, before anything else: a 401, a 503... */
    public synchronized FakeKlaviyoSegment answerFirst(MockResponse response) {
        first.add(response);
        return this;
    }

    /** A member with its {@code attributes.joined_group_at} (an ISO time) placing it among the others. */
    public FakeKlaviyoSegment add(ObjectNode profile) {
        return add(
                OffsetDateTime.parse(profile.path("attributes")
                                .path("joined_group_at")
                                .stringValue())
                        .toInstant(),
                profile);
    }

    /** A member served as given, placed and filtered as if it had joined at {@code joined}. */
    public synchronized FakeKlaviyoSegment add(Instant joined, ObjectNode profile) {
        added.add(new Added(joined, profile.path("id").asString(""), profile));
        added.sort(Comparator.comparing(Added::joined).thenComparing(Added::id));
        return this;
    }

    /** When generated member {@code index} joined: a second later every one or two members. */
    public Instant joinedAt(long index) {
        return firstJoined.plusSeconds(index * 2 / 3);
    }

    /** The id of generated member {@code index}: 26 characters, as Klaviyo's are, in the order members joined. */
    public static String generatedId(long index) {
        return String.format("01SEG%021d", index);
    }

    /**
     * Generated member {@code index}: every tenth has an email and no street address, every seventh lives in
     * Canada, the others in the United States; every one has an email.
     */
    public ObjectNode generated(long index) {
        ObjectNode location = FakeKlaviyo.JSON.createObjectNode();
        if (index % 10 != 9) {
            location.put("address1", (index % 9_000 + 1) + " Main Street");
            location.putNull("address2");
            if (index % 7 == 3) {
                location.put("city", "Ottawa");
                location.put("region", "ON");
                location.put("zip", "K1A 0B1");
                location.put("country", "Canada");
            } else {
                location.put("city", "Springfield");
                location.put("region", "IL");
                location.put("zip", String.valueOf(10_000 + index % 89_999));
                location.put("country", "United States");
            }
        }
        location.put("timezone", "America/Chicago");
        location.put("latitude", "39.7817");
        location.put("longitude", -89.6501);
        ObjectNode profile = profile(generatedId(index), joinedAt(index), "member" + index + "@example.com", location);
        ObjectNode attributes = (ObjectNode) profile.path("attributes");
        attributes.put("first_name", "Member");
        attributes.put("last_name", "No. " + index);
        return profile;
    }

    /** A profile as the endpoint lists it: id, email, location, joined_group_at; names and the rest null. */
    public static ObjectNode profile(String id, Instant joined, String email, JsonNode location) {
        ObjectNode profile = FakeKlaviyo.JSON.createObjectNode();
        profile.put("type", "profile");
        profile.put("id", id);
        ObjectNode attributes = profile.putObject("attributes");
        attributes.put("email", email);
        attributes.putNull("phone_number");
        attributes.putNull("external_id");
        attributes.putNull("first_name");
        attributes.putNull("last_name");
        attributes.put("created", time(joined.minus(Duration.ofDays(30))));
        attributes.put("updated", time(joined));
        attributes.set("location", location);
        attributes.putObject("properties");
        attributes.put("joined_group_at", time(joined));
        profile.putObject("links").put("self", "https://a.klaviyo.com/api/profiles/" + id + "/");
        return profile;
    }

    /** Every request received, throttled or not. */
    public synchronized long requests() {
        return requests;
    }

    /** The requests answered with a page. */
    public synchronized long served() {
        return served;
    }

    /** The requests answered 429. */
    public synchronized long throttled() {
        return throttled;
    }

    /** The most requests let through in one fixed minute (at most the steady limit when it is enforced). */
    public synchronized int busiestMinute() {
        return countedPerMinute.values().stream()
                .mapToInt(Integer::intValue)
                .max()
                .orElse(0);
    }

    /**
     * The share of the steady limit ({@link #limits}, else {@link #STEADY_LIMIT}) used: pages answered per minute
     * between the first answered and the last, over the limit; 0 before two pages.
     */
    public synchronized double steadyShare() {
        if (served < 2) {
            return 0;
        }
        double minutes = Math.max(1, Duration.between(firstServed, lastServed).toNanos()) / 60e9;
        int limit = steadyLimit == Integer.MAX_VALUE ? STEADY_LIMIT : steadyLimit;
        return (served - 1) / minutes / limit;
    }

    /** The last documents answered (up to 100), with their requests. */
    public synchronized List<Answer> answers() {
        return List.copyOf(answers);
    }

    @Override
    public synchronized MockResponse dispatch(RecordedRequest request) {
        requests++;
        if (!first.isEmpty()) {
            return first.poll();
        }
        String authorization = request.getHeaders().get("Authorization");
        if (!("Klaviyo-API-Key " + apiKey).equals(authorization)) {
            return FakeKlaviyo.status(401, "not_authenticated", "Incorrect authentication credentials.");
        }
        String revision = request.getHeaders().get("revision");
        if (revision == null || !revision.matches("\\d{4}-\\d{2}-\\d{2}(\\.[a-z]+)?")) {
            return FakeKlaviyo.status(400, "invalid", "A valid revision header is required.");
        }
        HttpUrl url = request.getUrl();
        String path = url.encodedPath().replaceAll("/$", "");
        if (!path.equals(KlaviyoApi.segmentProfiles(segmentId))) {
            return FakeKlaviyo.status(404, "not_found", "Not found.");
        }
        MockResponse throttle = throttle();
        if (throttle != null) {
            return throttle;
        }
        try {
            return page(request, url, path);
        } catch (IllegalArgumentException invalid) {
            return FakeKlaviyo.status(400, "invalid", invalid.getMessage());
        }
    }

    /** A 429 when this request would pass a window's limit; else null, the request counted in its windows. */
    private MockResponse throttle() {
        Instant now = clock.instant();
        long millis = now.toEpochMilli();
        long minute = Math.floorDiv(millis, 60_000);
        long second = Math.floorDiv(millis, 1_000);
        long waitMillis = 0;
        if (countedPerSecond.getOrDefault(second, 0) >= burstLimit) {
            waitMillis = (second + 1) * 1_000 - millis;
        }
        if (countedPerMinute.getOrDefault(minute, 0) >= steadyLimit) {
            waitMillis = (minute + 1) * 60_000 - millis;
        }
        if (waitMillis > 0) {
            throttled++;
            return FakeKlaviyo.throttled((int) Math.max(1, (waitMillis + 999) / 1_000));
        }
        countedPerSecond.keySet().removeIf(past -> past < second);
        countedPerSecond.merge(second, 1, Integer::sum);
        countedPerMinute.merge(minute, 1, Integer::sum);
        return null;
    }

    private MockResponse page(RecordedRequest request, HttpUrl url, String path) {
        int pageSize = pageSize(url.queryParameter("page[size]"));
        boolean descending = sort(url.queryParameter("sort"));
        Range range = range(url.queryParameter("filter"));
        String cursor = url.queryParameter("page[cursor]");
        long addedAt;
        long generatedAt;
        if (cursor == null) {
            addedAt = descending ? range.addedEnd : range.addedStart;
            generatedAt = descending ? range.generatedEnd : range.generatedStart;
        } else {
            long[] positions = positions(cursor);
            addedAt = positions[0];
            generatedAt = positions[1];
        }
        Set<String> fields = fields(url.queryParameter("fields[profile]"));
        ObjectNode document = FakeKlaviyo.JSON.createObjectNode();
        ArrayNode data = document.putArray("data");
        for (int i = 0; i < pageSize; i++) {
            Member a = null;
            Member g = null;
            if (descending) {
                a = addedAt > range.addedStart ? added((int) addedAt - 1) : null;
                g = generatedAt > range.generatedStart ? generatedMember(generatedAt - 1) : null;
            } else {
                a = addedAt < range.addedEnd ? added((int) addedAt) : null;
                g = generatedAt < range.generatedEnd ? generatedMember(generatedAt) : null;
            }
            if (a == null && g == null) {
                break;
            }
            boolean takeAdded = g == null || (a != null && (ORDER.compare(a, g) < 0) != descending);
            Member member = takeAdded ? a : g;
            if (takeAdded) {
                addedAt += descending ? -1 : 1;
            } else {
                generatedAt += descending ? -1 : 1;
            }
            ObjectNode profile =
                    member.added() ? added.get((int) member.index()).profile() : generated(member.index());
            data.add(sparse(profile, fields));
        }
        boolean more = descending
                ? addedAt > range.addedStart || generatedAt > range.generatedStart
                : addedAt < range.addedEnd || generatedAt < range.generatedEnd;
        ObjectNode links = document.putObject("links");
        links.put("self", url.toString());
        if (more) {
            HttpUrl origin = linkOrigin == null ? url : linkOrigin;
            links.put(
                    "next",
                    url.newBuilder()
                            .scheme(origin.scheme())
                            .host(origin.host())
                            .port(origin.port())
                            .encodedPath(path + "/")
                            .setQueryParameter("page[cursor]", cursor(addedAt, generatedAt))
                            .build()
                            .toString());
        }
        String body = document.toString();
        keep(request, body);
        Instant now = clock.instant();
        served++;
        if (firstServed == null) {
            firstServed = now;
        }
        lastServed = now;
        return new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", KlaviyoApi.MEDIA_TYPE)
                .setHeader("RateLimit-Limit", steadyLimit == Integer.MAX_VALUE ? STEADY_LIMIT : steadyLimit)
                .setHeader("RateLimit-Remaining", remaining())
                .setHeader("RateLimit-Reset", 60 - Math.floorMod(clock.instant().getEpochSecond(), 60))
                .body(body)
                .build();
    }

    private void keep(RecordedRequest request, String document) {
        if (answers.size() == ANSWERS_KEPT) {
            answers.removeFirst();
        }
        answers.addLast(new Answer(request, document));
    }

    private int remaining() {
        int limit = steadyLimit == Integer.MAX_VALUE ? STEADY_LIMIT : steadyLimit;
        long minute = Math.floorDiv(clock.instant().toEpochMilli(), 60_000);
        return Math.max(0, limit - countedPerMinute.getOrDefault(minute, 0));
    }

    /** The positions in the added and generated members that the filter's bounds leave. */
    private record Range(long addedStart, long addedEnd, long generatedStart, long generatedEnd) {}

    /** The members the filter leaves: {@code joined_group_at} compared with one bound (else all of them). */
    private Range range(String filter) {
        Predicate<Instant> tooEarly = joined -> false;
        Predicate<Instant> notTooLate = joined -> true;
        if (filter != null) {
            Matcher matcher = FILTER.matcher(filter);
            if (!matcher.matches()) {
                throw new IllegalArgumentException("Invalid filter provided: " + filter);
            }
            Instant bound;
            try {
                bound = OffsetDateTime.parse(matcher.group(2)).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("Invalid filter provided: " + matcher.group(2) + " is no datetime");
            }
            switch (matcher.group(1)) {
                case "greater-or-equal" -> tooEarly = joined -> joined.isBefore(bound);
                case "greater-than" -> tooEarly = joined -> !joined.isAfter(bound);
                case "less-or-equal" -> notTooLate = joined -> !joined.isAfter(bound);
                default -> notTooLate = joined -> joined.isBefore(bound);
            }
        }
        Predicate<Instant> early = tooEarly;
        Predicate<Instant> inTime = notTooLate;
        long addedStart = 0;
        while (addedStart < added.size()
                && early.test(added.get((int) addedStart).joined())) {
            addedStart++;
        }
        long addedEnd = addedStart;
        while (addedEnd < added.size() && inTime.test(added.get((int) addedEnd).joined())) {
            addedEnd++;
        }
        long generatedStart = firstFalse(0, size, index -> early.test(joinedAt(index)));
        long generatedEnd = firstFalse(generatedStart, size, index -> inTime.test(joinedAt(index)));
        return new Range(addedStart, addedEnd, generatedStart, generatedEnd);
    }

    /** The first position in [from, to) where {@code test}, true up to it and false from it, is false; else to. */
    private static long firstFalse(long from, long to, LongPredicate test) {
        long low = from;
        long high = to;
        while (low < high) {
            long middle = (low + high) >>> 1;
            if (test.test(middle)) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    private Member added(int position) {
        Added profile = added.get(position);
        return new Member(profile.joined(), profile.id(), true, position);
    }

    private Member generatedMember(long index) {
        return new Member(joinedAt(index), generatedId(index), false, index);
    }

    private static int pageSize(String value) {
        if (value == null) {
            return 20;
        }
        int pageSize;
        try {
            pageSize = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("page[size] must be an integer");
        }
        if (pageSize < 1 || pageSize > 100) {
            throw new IllegalArgumentException("page[size] must be between 1 and 100");
        }
        return pageSize;
    }

    private static boolean sort(String sort) {
        if (sort == null || sort.equals("joined_group_at")) {
            return false;
        }
        if (sort.equals("-joined_group_at")) {
            return true;
        }
        throw new IllegalArgumentException("'" + sort + "' is not a valid sort field");
    }

    private static Set<String> fields(String value) {
        return value == null ? null : new LinkedHashSet<>(List.of(value.split(",")));
    }

    /** The profile with only the attributes {@code fields} names ({@code location} whole, or some of its fields). */
    private static ObjectNode sparse(ObjectNode profile, Set<String> fields) {
        if (fields == null) {
            return profile;
        }
        ObjectNode copy = profile.deepCopy();
        ObjectNode attributes = (ObjectNode) copy.path("attributes");
        ObjectNode kept = copy.putObject("attributes");
        attributes.properties().forEach(field -> {
            String name = field.getKey();
            if (fields.contains(name)) {
                kept.set(name, field.getValue());
            } else if (name.equals("location") && field.getValue().isObject()) {
                ObjectNode location = FakeKlaviyo.JSON.createObjectNode();
                field.getValue().properties().forEach(part -> {
                    if (fields.contains("location." + part.getKey())) {
                        location.set(part.getKey(), part.getValue());
                    }
                });
                if (!location.isEmpty()) {
                    kept.set("location", location);
                }
            }
        });
        return copy;
    }

    private static String cursor(long addedAt, long generatedAt) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(("seg:" + addedAt + ":" + generatedAt).getBytes(StandardCharsets.UTF_8));
    }

    private static long[] positions(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
            if (parts.length != 3 || !parts[0].equals("seg")) {
                throw new IllegalArgumentException("Invalid page cursor.");
            }
            return new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])};
        } catch (IllegalArgumentException unreadable) {
            throw new IllegalArgumentException("Invalid page cursor.");
        }
    }

    /** A time as Klaviyo writes one, {@code 2022-11-08T00:00:00+00:00} (with microseconds when it has some). */
    private static String time(Instant instant) {
        return (instant.getNano() == 0 ? SECONDS : MICROSECONDS)
                .format(OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    }
}
