package io.paperrun.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/bench.sh report, small, in a process of its own (it exits when done): the product's JSON reports hold the
 * groups the benchmark counts itself, and it prints the figures.
 */
class ReportBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void aSmallRunReportsTheGroupsTheDatabaseHolds() throws Exception {
        String printed = BenchmarkProcess.run(
                dir, Duration.ofSeconds(180), List.of(), "report", "--recipients", "200", "--explain");
        assertThat(printed)
                .contains("200 recipients (180 sent, 20 holdout); 200 orders")
                .containsPattern("all_orders min [0-9.]+ s, median [0-9.]+ s; first_order min [0-9.]+ s")
                .contains("Execution Time:")
                .containsPattern("report experiment json all_orders\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+")
                .containsPattern("report experiment json first_order\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+")
                .containsPattern("report experiment html all_orders\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+")
                .containsPattern("peak heap, report experiment json all_orders: [0-9,]+ MiB")
                .containsPattern("within 2x of the aggregate \\(json, all_orders\\)\\s+(met|NOT MET)")
                .containsPattern("correctness, report experiment json all_orders: experiment 180 recipients, .*: as "
                        + "the benchmark counts them")
                .containsPattern("correctness, report experiment json first_order: experiment 180 recipients, .*: as "
                        + "the benchmark counts them");
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("paperrun-bench"));
        }
    }
}
