package io.paperrun.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/bench.sh order-sync, small, in a process of its own (it exits when done): the product syncs every order
 * the fake shop serves but its test orders, exactly once, within the shop's budget, and the figures are printed.
 */
class OrderSyncBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void theShopsTestOrdersAreEvery97thFromThe13th() {
        assertThat(OrderSyncBenchmark.testOrders(13)).isZero();
        assertThat(OrderSyncBenchmark.testOrders(14)).isEqualTo(1); // order 13
        assertThat(OrderSyncBenchmark.testOrders(110)).isEqualTo(1);
        assertThat(OrderSyncBenchmark.testOrders(111)).isEqualTo(2); // and order 110
        assertThat(OrderSyncBenchmark.testOrders(1_000_000)).isEqualTo(10_310);
    }

    @Test
    void aPageHoldsWhatOneQueryMayCost() {
        assertThat(OrderSyncBenchmark.pageSize(1)).isEqualTo(250);
        assertThat(OrderSyncBenchmark.pageCost(1)).isEqualTo(252);
        assertThat(OrderSyncBenchmark.pageSize(5)).isEqualTo(199);
        assertThat(OrderSyncBenchmark.pageCost(5)).isEqualTo(997);
    }

    @Test
    void aSmallRunSyncsEveryOrderOnceWithinTheBudget() throws Exception {
        String printed = BenchmarkProcess.run(
                dir,
                Duration.ofSeconds(180),
                List.of(),
                "order-sync",
                "--orders",
                "3000",
                "--restore-rate",
                "2000",
                "--skip-unthrottled"); // each run is a command's JVM: a third of the test's time
        assertThat(printed)
                .contains("3,000 generated orders (31 of them test orders)")
                .contains("restoring 2,000 points/s: at most 1,984 orders/s")
                .containsPattern("run order-sync, with the budget\\s+[0-9.]+\\s+[0-9,]+\\s+[0-9.]+\\s+[0-9,]+")
                .containsPattern(
                        "API, with the budget: [0-9,]+ requests, [0-9,]+ throttled \\([0-9.]+%\\), 3,000 orders "
                                + "served in [0-9.]+ s .*; 3,024 points spent of [0-9,.]+ allowed .*: [0-9.]+% of the allowed "
                                + "throughput used")
                .containsPattern("of the [0-9,]+ points allowed and not spent, [0-9,]+ were lost to a full bucket")
                .containsPattern("peak heap, run order-sync, with the budget: [0-9,]+ MiB; the most a collection "
                        + "left: [0-9,]+ MiB")
                .containsPattern(">= 90% of the allowed throughput used\\s+(met|NOT MET)")
                .containsPattern("< 1% of requests throttled\\s+(met|NOT MET)")
                .containsPattern("heap under 1 GiB\\s+met");
        String once = ": 2,969 orders stored of 3,000 served less 31 test orders (31 rejected as 'test order, not "
                + "synced', 0 other rejected rows); 2,969 distinct ids, 2,969 of them the shop's non-test orders: "
                + "each exactly once";
        assertThat(printed)
                .contains("correctness, run order-sync, with the budget" + once)
                .doesNotContain("run order-sync, unthrottled");
        // Its temporary directory (files and database) is removed.
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("paperrun-bench"));
        }
    }
}
