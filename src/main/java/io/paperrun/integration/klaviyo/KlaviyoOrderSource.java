package io.paperrun.integration.klaviyo;

import io.paperrun.batch.ImportLine;
import io.paperrun.batch.Page;
import io.paperrun.batch.Partitions;
import io.paperrun.batch.RejectedRowException;
import io.paperrun.order.IncomingOrder;
import io.paperrun.order.OrderSource;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * An organization's orders from Klaviyo: the events of its "Placed Order" metric, oldest first, with their profiles
 * (email, address, subscription start). A page's cursor is Klaviyo's {@code links.next} URL, which fetches the same
 * page again after a restart; a partition keeps the orders whose id hashes into its slice.
 */
public final class KlaviyoOrderSource implements OrderSource {

    private static final Logger log = LoggerFactory.getLogger(KlaviyoOrderSource.class);

    /** Events per page: Klaviyo's default, and the most its description of the endpoint says a page holds. */
    static final int PAGE_SIZE = 200;

    private final KlaviyoApi api;
    private final String organization;
    private final Partitions.Slice slice;

    /** The metric read, found on the first page asked for; empty when the account has none. */
    private Optional<PlacedOrderMetric> metric;

    KlaviyoOrderSource(KlaviyoApi api, String organization, Partitions.Slice slice) {
        this.api = api;
        this.organization = organization;
        this.slice = slice;
    }

    @Override
    public String provider() {
        return "klaviyo";
    }

    @Override
    public String location() {
        return location(organization);
    }

    /** Where an organization's orders are read from, as rejected rows and messages name it: never a URL or key. */
    static String location(String organization) {
        return "klaviyo " + organization;
    }

    /**
     * The page at {@code cursor}, or the first page of the events at or after {@code since}: malformed events are
     * rejected lines, the rest of the page goes on.
     */
    @Override
    public Page<IncomingOrder> fetch(Instant since, String cursor) throws IOException {
        HttpUrl url;
        if (cursor == null) {
            Optional<PlacedOrderMetric> placedOrder = metric();
            if (placedOrder.isEmpty()) {
                return new Page<>(List.of(), null);
            }
            url = firstPage(placedOrder.get().id(), since);
        } else {
            HttpUrl parsed = HttpUrl.parse(cursor);
            if (parsed == null) {
                throw new IOException(location() + ": the cursor is not a URL of a page of events");
            }
            url = api.onBase(parsed, KlaviyoApi.EVENTS);
        }
        JsonNode document = api.get(url);
        Map<String, JsonNode> profiles = profiles(document);
        List<ImportLine<IncomingOrder>> lines = new ArrayList<>();
        for (JsonNode event : api.data(document, url)) {
            PlacedOrderEvent placed = new PlacedOrderEvent(event, profiles.get(PlacedOrderEvent.profileId(event)));
            String recordId = placed.recordId();
            if (!slice.holds(recordId == null ? 0 : recordId.hashCode())) {
                continue;
            }
            try {
                lines.add(new ImportLine.Accepted<>(0, placed.toOrder()));
            } catch (RejectedRowException rejected) {
                lines.add(new ImportLine.Rejected<>(0, recordId, rejected.getMessage(), placed.raw()));
            }
        }
        HttpUrl next = api.next(document, KlaviyoApi.EVENTS);
        if (url.equals(next)) {
            throw new IOException(
                    location() + ": the next page's link is the page just read; stopped rather than loop");
        }
        return new Page<>(lines, next == null ? null : next.toString());
    }

    /**
     * {@code GET /api/events} of the metric, oldest first, with the profiles: from {@code since} on (whole seconds,
     * rounded down, written unquoted as the filter syntax needs), or all of them.
     */
    private HttpUrl firstPage(String metricId, Instant since) {
        String byMetric = "equals(metric_id,\"" + metricId + "\")";
        String filter = since == null
                ? byMetric
                : "and(" + byMetric + ",greater-or-equal(datetime,"
                        + DateTimeFormatter.ISO_INSTANT.format(since.truncatedTo(ChronoUnit.SECONDS)) + "))";
        return api.url(KlaviyoApi.EVENTS)
                .addQueryParameter("filter", filter)
                .addQueryParameter("sort", "datetime")
                .addQueryParameter("include", "profile")
                .addQueryParameter("fields[profile]", "email,location,properties")
                .addQueryParameter("page[size]", String.valueOf(PAGE_SIZE))
                .build();
    }

    /** The Placed Order metric, looked up once for the source's life ({@link PlacedOrderMetric#choose}). */
    private Optional<PlacedOrderMetric> metric() throws IOException {
        if (metric == null) {
            List<PlacedOrderMetric> found = api.placedOrderMetrics();
            metric = PlacedOrderMetric.choose(found);
            if (metric.isEmpty()) {
                log.warn(
                        "{}: the account has no metric named {}; no orders to read",
                        location(),
                        PlacedOrderMetric.NAME);
            } else if (found.size() > 1) {
                log.info(
                        "{}: {} metrics are named {}: {}; reading {}, since an e-commerce platform's is preferred,"
                                + " then the oldest",
                        location(),
                        found.size(),
                        PlacedOrderMetric.NAME,
                        found.stream().map(PlacedOrderMetric::describe).collect(Collectors.joining(", ")),
                        metric.get().describe());
            } else {
                log.info(
                        "{}: reading the {} events of metric {}",
                        location(),
                        PlacedOrderMetric.NAME,
                        metric.get().describe());
            }
        }
        return metric;
    }

    /** The attributes of the page's included profiles, by id. */
    private static Map<String, JsonNode> profiles(JsonNode document) {
        Map<String, JsonNode> profiles = new HashMap<>();
        for (JsonNode resource : document.path("included")) {
            JsonNode id = resource.path("id");
            if ("profile".equals(resource.path("type").asString("")) && id.isString()) {
                profiles.put(id.stringValue(), resource.path("attributes"));
            }
        }
        return profiles;
    }
}
