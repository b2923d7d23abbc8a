package io.paperrun.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
                "proofing",
                "--recipients",
                "20");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("SPRING_") || k.startsWith("PAPERRUN_"));
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the benchmark did not finish");
        }
        String printed = Files.readString(out);
        assertThat(process.exitValue()).as(printed + Files.readString(err)).isZero();
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
