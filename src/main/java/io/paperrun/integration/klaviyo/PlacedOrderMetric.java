package io.paperrun.integration.klaviyo;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * A metric named {@value #NAME} and the integration that owns it (Shopify, API...), as {@code GET /api/metrics}
 * lists it. An account can have several: {@link #choose} picks the one whose events are read.
 */
record PlacedOrderMetric(String id, String integration, String category, Instant created) {

    static final String NAME = "Placed Order";

    /** The order in which metrics are preferred: an e-commerce platform's, then the oldest, then by id. */
    private static final Comparator<PlacedOrderMetric> PREFERENCE = Comparator.comparing(
                    (PlacedOrderMetric metric) -> !metric.fromStorePlatform())
            .thenComparing(PlacedOrderMetric::created, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(PlacedOrderMetric::id);

    /** The metric {@code resource} describes, if it is named {@value #NAME}. */
    static Optional<PlacedOrderMetric> of(JsonNode resource) {
        JsonNode attributes = resource.path("attributes");
        if (!NAME.equals(string(attributes.path("name")))
                || !resource.path("id").isString()) {
            return Optional.empty();
        }
        JsonNode integration = attributes.path("integration");
        return Optional.of(new PlacedOrderMetric(
                resource.path("id").stringValue(),
                string(integration.path("name")),
                string(integration.path("category")),
                time(string(attributes.path("created")))));
    }

    /**
     * The metric to read among several named {@value #NAME}: an e-commerce platform's (Shopify, WooCommerce...,
     * the store's own record of its orders) before one sent through the API, then the oldest, then the least id.
     */
    static Optional<PlacedOrderMetric> choose(List<PlacedOrderMetric> metrics) {
        return metrics.stream().min(PREFERENCE);
    }

    /** Whether the integration is an e-commerce platform (Klaviyo's category {@code eCommerce}). */
    boolean fromStorePlatform() {
        return category != null
                && category.replace("-", "")
                        .replace(" ", "")
                        .toLowerCase(Locale.ROOT)
                        .equals("ecommerce");
    }

    /** The metric as a log line names it: its id and its integration. */
    String describe() {
        return id + " (" + (integration == null ? "no integration" : integration) + ")";
    }

    /** The node's text when it is a JSON string, else null. */
    private static String string(JsonNode node) {
        return node.isString() ? node.stringValue() : null;
    }

    /** A creation time, with an offset or, as the API documents it, without one (UTC); null when unreadable. */
    private static Instant time(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }
}
