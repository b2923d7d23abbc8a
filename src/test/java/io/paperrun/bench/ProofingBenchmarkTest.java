package io.paperrun.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/bench.sh proofing, small, in a process of its own (it exits when done): the product proofs every recipient
 * once, with its files and a code of its own, and prints the figures.
 */
class ProofingBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void aSmallRunProofsEveryRecipientOnce() throws Exception {
        String printed =
                BenchmarkProcess.run(dir, Duration.ofSeconds(120), List.of(), "proofing", "--recipients", "20");
        assertThat(printed)
                .contains("20 pending recipients of one active campaign")
                .containsPattern("run proofing\\s+[0-9.]+\\s+[0-9,]+\\s+[0-9.]+\\s+[0-9,]+")
                .containsPattern("cpu per proof: [0-9.]+ ms")
                .containsPattern("time: rendering [0-9.]+ s, storing [0-9.]+ s \\(summed over the render threads\\), "
                        + "database [0-9.]+ s")
                .containsPattern("peak heap, run proofing: [0-9,]+ MiB")
                .containsPattern(">= 50 proofs/s \\(the step\\)\\s+(met|NOT MET)")
                .contains("correctness: 20 of 20 recipients proofed, 20 distinct codes, 20 PDFs and 20 previews on "
                        + "disk: each exactly once");
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("paperrun-bench"));
        }
    }
}
