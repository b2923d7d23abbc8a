package io.paperrun.integration.shopify;

import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * A response's {@code extensions.cost}: what the query was expected to cost, what it cost (null when it was
 * throttled) and the state of the shop's cost bucket after it (points, points restored per second).
 */
record QueryCost(
        double requested, Double actual, double maximumAvailable, double currentlyAvailable, double restoreRate) {

    /** The cost in a response's root, if it carries a usable one. */
    static Optional<QueryCost> of(JsonNode root) {
        JsonNode cost = root.path("extensions").path("cost");
        JsonNode bucket = cost.path("throttleStatus");
        if (!cost.path("requestedQueryCost").isNumber()
                || !bucket.path("maximumAvailable").isNumber()
                || !bucket.path("currentlyAvailable").isNumber()
                || !bucket.path("restoreRate").isNumber()
                || bucket.path("restoreRate").asDouble() <= 0) {
            return Optional.empty();
        }
        JsonNode actual = cost.path("actualQueryCost");
        return Optional.of(new QueryCost(
                cost.path("requestedQueryCost").asDouble(),
                actual.isNumber() ? actual.asDouble() : null,
                bucket.path("maximumAvailable").asDouble(),
                bucket.path("currentlyAvailable").asDouble(),
                bucket.path("restoreRate").asDouble()));
    }
}
