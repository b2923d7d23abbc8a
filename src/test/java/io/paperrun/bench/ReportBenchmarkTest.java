package io.paperrun.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(
                java,
                "-Xmx512m",
                "-Djava.io.tmpdir=" + dir,
                "-cp",
                System.getProperty("java.class.path"),
                AttributionBenchmark.class.getName(),
                "report",
                "--recipients",
                "200",
                "--explain");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("SPRING_") || k.startsWith("PAPERRUN_"));
        Process process = builder.start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the benchmark did not finish");
        }
        String printed = Files.readString(out);
        assertThat(process.exitValue()).as(printed + Files.readString(err)).isZero();
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
