package io.paperrun.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.ScenarioTest;
import org.junit.jupiter.api.Test;

/** {@code export attributions}: "One row per attribution, ordered by order_created_at, then order_id". */
class ExportOrderTest extends ScenarioTest {

    @Test
    void exportRowsAreOrderedByOrderCreatedAtThenOrderId() {
        apply("""
                organizations:
                  - slug: acme
                campaigns:
                  - {key: promo, organization: acme, status: active, discount_code: PROMO}
                """);
        // The file's order is neither the time order nor the id order. 11's time is 10:00Z too, written
        // with another offset.
        importOrders(
                "acme",
                "order_id,created_at,total,discount_codes\n"
                        + "1,2024-03-02T00:00:00Z,1.00,PROMO\n"
                        + "9,2024-03-01T10:00:00Z,1.00,PROMO\n"
                        + "10,2024-03-01T10:00:00Z,1.00,PROMO\n"
                        + "100,2024-03-01T10:00:00Z,1.00,PROMO\n"
                        + "11,2024-03-01T11:00:00+01:00,1.00,PROMO\n"
                        + "99,2024-02-28T23:59:59Z,1.00,PROMO\n");
        // Order ids are text and compare as text, byte by byte ("10" < "100" < "11" < "9"), not as numbers:
        // this is the current behaviour (the spec says only "then order_id"; ids are the provider's, not
        // necessarily numbers).
        assertThat(export("acme").stream()
                        .skip(1)
                        .map(l -> l.substring(0, l.indexOf(",1.00,")))
                        .toList())
                .containsExactly(
                        "99,2024-02-28T23:59:59Z",
                        "10,2024-03-01T10:00:00Z",
                        "100,2024-03-01T10:00:00Z",
                        "11,2024-03-01T10:00:00Z",
                        "9,2024-03-01T10:00:00Z",
                        "1,2024-03-02T00:00:00Z");
    }
}
