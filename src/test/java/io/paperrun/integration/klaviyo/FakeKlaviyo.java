package io.paperrun.integration.klaviyo;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Klaviyo account as {@code GET /api/metrics} and {@code GET /api/events} show it, in the documented JSON:API
 * shapes: pages of metrics and of events (with their profiles included), linked by {@code links.next} URLs that
 * repeat the request's query with a {@code page[cursor]}, as Klaviyo's do.
 */
final class FakeKlaviyo extends Dispatcher {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** One answered document, for checking against the description. */
    record Answer(RecordedRequest request, String document) {}

    private record EventPage(List<ObjectNode> events, List<ObjectNode> profiles) {}

    private final List<List<ObjectNode>> metricPages = new ArrayList<>();
    private final List<EventPage> eventPages = new ArrayList<>();
    private final Deque<MockResponse> first = new ArrayDeque<>();
    private final List<Answer> answers = new ArrayList<>();
    private HttpUrl linkOrigin;

    /** A page of {@code GET /api/metrics}. */
    synchronized FakeKlaviyo metricsPage(ObjectNode... metrics) {
        metricPages.add(List.of(metrics));
        return this;
    }

    /** A page of {@code GET /api/events}, each event's profile included. */
    synchronized FakeKlaviyo eventsPage(List<ObjectNode> events, ObjectNode... profiles) {
        eventPages.add(new EventPage(events, List.of(profiles)));
        return this;
    }

    /** Answered, in order, before any page: a 429, a 401... */
    synchronized FakeKlaviyo answerFirst(MockResponse response) {
        first.add(response);
        return this;
    }

    /** Next links on this scheme, host and port instead of the request's. */
    synchronized FakeKlaviyo linkTo(HttpUrl origin) {
        linkOrigin = origin;
        return this;
    }

    synchronized List<Answer> answers() {
        return List.copyOf(answers);
    }

    @Override
    public synchronized MockResponse dispatch(RecordedRequest request) {
        if (!first.isEmpty()) {
            return first.poll();
        }
        HttpUrl url = request.getUrl();
        String path = url.encodedPath().replaceAll("/$", "");
        String cursor = url.queryParameter("page[cursor]");
        int page = cursor == null ? 0 : Integer.parseInt(cursor.substring("cursor".length()));
        ObjectNode document = JSON.createObjectNode();
        ArrayNode data = document.putArray("data");
        int pages;
        switch (path) {
            case KlaviyoApi.METRICS -> {
                pages = metricPages.size();
                if (page < pages) {
                    metricPages.get(page).forEach(data::add);
                }
            }
            case KlaviyoApi.EVENTS -> {
                pages = eventPages.size();
                ArrayNode included = document.putArray("included");
                if (page < pages) {
                    eventPages.get(page).events().forEach(data::add);
                    eventPages.get(page).profiles().forEach(included::add);
                }
            }
            default -> {
                return status(404, "not_found", "Not found.");
            }
        }
        ObjectNode links = document.putObject("links");
        links.put("self", url.toString());
        if (page + 1 < pages) {
            HttpUrl origin = linkOrigin == null ? url : linkOrigin;
            links.put(
                    "next",
                    url.newBuilder()
                            .scheme(origin.scheme())
                            .host(origin.host())
                            .port(origin.port())
                            .encodedPath(path + "/")
                            .setQueryParameter("page[cursor]", "cursor" + (page + 1))
                            .build()
                            .toString());
        }
        String body = document.toString();
        answers.add(new Answer(request, body));
        return new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", KlaviyoApi.MEDIA_TYPE)
                .setHeader("RateLimit-Limit", "350")
                .setHeader("RateLimit-Remaining", "349")
                .setHeader("RateLimit-Reset", "1")
                .body(body)
                .build();
    }

    /** A Klaviyo error document: {@code {"errors":[{id, status, code, title, detail, source}]}}. */
    static MockResponse status(int status, String code, String detail) {
        ObjectNode document = JSON.createObjectNode();
        ObjectNode error = document.putArray("errors").addObject();
        error.put("id", "0f6b1c2e-6d8e-4d5a-9a47-2f0f6f9c1a11");
        error.put("status", status);
        error.put("code", code);
        error.put("title", detail);
        error.put("detail", detail);
        error.putObject("source").put("pointer", "/data/");
        return new MockResponse.Builder()
                .code(status)
                .setHeader("Content-Type", KlaviyoApi.MEDIA_TYPE)
                .body(document.toString())
                .build();
    }

    /** A 429 as Klaviyo sends one: only {@code Retry-After}, no RateLimit headers. */
    static MockResponse throttled(int retryAfterSeconds) {
        return new MockResponse.Builder(status(
                        429,
                        "throttled",
                        "Request was throttled. Expected available in " + retryAfterSeconds + " seconds."))
                .setHeader("Retry-After", retryAfterSeconds)
                .build();
    }

    /** A metric as {@code GET /api/metrics} lists it, with the integration that owns it. */
    static ObjectNode metric(String id, String name, String integration, String category, String created) {
        ObjectNode metric = JSON.createObjectNode();
        metric.put("type", "metric");
        metric.put("id", id);
        ObjectNode attributes = metric.putObject("attributes");
        attributes.put("name", name);
        attributes.put("created", created);
        attributes.put("updated", created);
        ObjectNode owner = attributes.putObject("integration");
        owner.put("object", "integration");
        owner.put("id", "int" + integration.hashCode());
        owner.put("name", integration);
        owner.put("category", category);
        metric.putObject("links").put("self", "https://a.klaviyo.com/api/metrics/" + id + "/");
        return metric;
    }

    /** A Placed Order event of metric {@code metricId} at {@code datetime}, of profile {@code profileId}. */
    static ObjectNode event(String id, String metricId, String datetime, String profileId, JsonNode properties) {
        ObjectNode event = JSON.createObjectNode();
        event.put("type", "event");
        event.put("id", id);
        ObjectNode attributes = event.putObject("attributes");
        attributes.put("timestamp", OffsetDateTime.parse(datetime).toEpochSecond());
        attributes.set("event_properties", properties);
        attributes.put("datetime", datetime);
        attributes.put(
                "uuid",
                UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8)).toString());
        ObjectNode relationships = event.putObject("relationships");
        if (profileId != null) {
            relationship(relationships, "profile", id, profileId);
        }
        relationship(relationships, "metric", id, metricId);
        event.putObject("links").put("self", "https://a.klaviyo.com/api/events/" + id + "/");
        return event;
    }

    private static void relationship(ObjectNode relationships, String type, String eventId, String id) {
        ObjectNode relationship = relationships.putObject(type);
        ObjectNode data = relationship.putObject("data");
        data.put("type", type);
        data.put("id", id);
        ObjectNode links = relationship.putObject("links");
        links.put("self", "https://a.klaviyo.com/api/events/" + eventId + "/relationships/" + type + "/");
        links.put("related", "https://a.klaviyo.com/api/events/" + eventId + "/" + type + "/");
    }

    /** A profile as a page's {@code included} holds it (the fields asked for: email, location, properties). */
    static ObjectNode profile(String id, String email, JsonNode location, JsonNode properties) {
        ObjectNode profile = JSON.createObjectNode();
        profile.put("type", "profile");
        profile.put("id", id);
        ObjectNode attributes = profile.putObject("attributes");
        attributes.put("email", email);
        attributes.set("location", location);
        attributes.set("properties", properties);
        profile.putObject("links").put("self", "https://a.klaviyo.com/api/profiles/" + id + "/");
        return profile;
    }

    /** JSON text (single quotes for double ones, for readable tests) as a tree. */
    static JsonNode json(String text) {
        return JSON.readTree(text.replace('\'', '"'));
    }
}
