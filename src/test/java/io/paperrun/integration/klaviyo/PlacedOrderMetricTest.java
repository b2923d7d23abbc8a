package io.paperrun.integration.klaviyo;

import static io.paperrun.integration.klaviyo.FakeKlaviyo.metric;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Which of an account's metrics named Placed Order is read. */
class PlacedOrderMetricTest {

    private static PlacedOrderMetric placedOrder(String id, String integration, String category, String created) {
        return PlacedOrderMetric.of(metric(id, "Placed Order", integration, category, created))
                .orElseThrow();
    }

    @Test
    void onlyAMetricNamedPlacedOrderIsOne() {
        assertThat(PlacedOrderMetric.of(metric("X", "Placed Order ", "API", "API", "2024-01-01T00:00:00+00:00")))
                .isEmpty();
        assertThat(PlacedOrderMetric.of(metric("X", "Ordered Product", "Shopify", "eCommerce", "2024-01-01")))
                .isEmpty();
        assertThat(placedOrder("X", "Shopify", "eCommerce", "2024-01-01T00:00:00.000000"))
                .isEqualTo(new PlacedOrderMetric("X", "Shopify", "eCommerce", Instant.parse("2024-01-01T00:00:00Z")));
    }

    @Test
    void aStorePlatformsMetricIsPreferredToOneSentThroughTheApiEvenIfNewer() {
        PlacedOrderMetric api = placedOrder("a", "API", "API", "2019-01-01T00:00:00+00:00");
        PlacedOrderMetric shopify = placedOrder("b", "Shopify", "eCommerce", "2024-01-01T00:00:00+00:00");

        assertThat(PlacedOrderMetric.choose(List.of(api, shopify))).contains(shopify);
    }

    @Test
    void amongMetricsOfTheSameKindTheOldestIsRead() {
        PlacedOrderMetric magento = placedOrder("z", "Magento", "eCommerce", "2018-01-01T00:00:00+00:00");
        PlacedOrderMetric shopify = placedOrder("a", "Shopify", "e-commerce", "2024-01-01T00:00:00+00:00");

        assertThat(PlacedOrderMetric.choose(List.of(shopify, magento))).contains(magento);
    }

    @Test
    void thenTheLeastIdAndAMetricWithoutACreationTimeLast() {
        PlacedOrderMetric b = placedOrder("b", "API", "API", "2020-01-01T00:00:00+00:00");
        PlacedOrderMetric a = placedOrder("a", "API", "API", "2020-01-01T00:00:00+00:00");
        ObjectNode undated = metric("0", "Placed Order", "API", "API", "2020-01-01");
        ((ObjectNode) undated.path("attributes")).putNull("created");

        assertThat(PlacedOrderMetric.choose(
                        List.of(b, PlacedOrderMetric.of(undated).orElseThrow(), a)))
                .contains(a);
    }

    @Test
    void noMetricNoChoice() {
        assertThat(PlacedOrderMetric.choose(List.of())).isEqualTo(Optional.empty());
    }
}
