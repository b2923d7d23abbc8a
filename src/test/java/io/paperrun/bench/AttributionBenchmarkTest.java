package io.paperrun.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/bench.sh's program, small, in a process of its own (it exits when done): the product, the floor and
 * the baseline run on the same synthetic organization and agree, and {@code --repeat} runs the product again on
 * the emptied tables (were the second run to import nothing, the sanity check would fail the benchmark).
 */
class AttributionBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void aSmallRepeatedRunMeasuresEveryPhaseAndItsAttributionsAgree() throws Exception {
        String printed = BenchmarkProcess.run(
                dir,
                Duration.ofSeconds(300),
                List.of(),
                "attribution",
                "--recipients",
                "2000",
                "--orders",
                "3000",
                "--baseline-orders",
                "300",
                "--repeat",
                "2");
        assertThat(printed)
                .contains("PostgreSQL fsync=on synchronous_commit=on")
                .containsPattern("2 runs of the product, end to end: [0-9.]+, [0-9.]+ s")
                .containsPattern("product, end to end\\s+[0-9.]+\\s+[0-9,]+")
                .containsPattern("floor: PostgreSQL alone\\s+[0-9.]+")
                .containsPattern("baseline: one order at a time \\(sample 300\\)\\s+[0-9.]+")
                .containsPattern("storage floor: PostgreSQL storing alone\\s+[0-9.]+")
                .containsPattern("storage floor: the product's rows, in its tables, one session: orders COPY [0-9.]+ s")
                .containsPattern("lower bound from CPU alone: .* = [0-9.]+ s end to end, at most [0-9,]+ orders/s")
                .containsPattern("product: 3,000 orders stored, [0-9,]+ internal, [0-9,]+ blacklisted, "
                        + "0 attributions left unprocessed")
                .containsPattern("email matches: product [0-9,]+, floor [0-9,]+: agree")
                .contains("heap under 1 GiB                   met");
        // Every kind of attribution the product made, the floor made as often.
        List<String> methods = printed.lines()
                .dropWhile(l -> !l.startsWith("  method"))
                .skip(1)
                .takeWhile(l -> !l.startsWith("  total"))
                .toList();
        assertThat(methods).isNotEmpty();
        for (String line : methods) {
            String[] columns = line.trim().split("\\s{2,}");
            assertThat(columns[1]).as(line).isEqualTo(columns[3]); // product, passing, floor
        }
        // Its temporary directory (files and database) is removed.
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("paperrun-bench"));
        }
    }
}
