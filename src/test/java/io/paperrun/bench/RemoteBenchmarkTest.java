package io.paperrun.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.TestBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/bench.sh remote, small, in a process of its own (it exits when done), on the test run's broker
 * ({@link TestBroker}): a local run and a remote run of stage B on the same work, each partition of the remote run
 * started by a worker, both deciding every attribution alike, and the figures printed.
 */
class RemoteBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void aSmallRunTimesLocalAndRemotePartitionsOnTheSameWorkAndTheyDecideAlike() throws Exception {
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(
                java,
                "-Xmx512m",
                // Passed on to the product's commands and workers: this test checks what the benchmark does, not
                // how fast, and C1 alone with the serial collector about halves the start of each of its 7 JVMs.
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Djava.io.tmpdir=" + dir,
                "-cp",
                System.getProperty("java.class.path"),
                AttributionBenchmark.class.getName(),
                "remote",
                "--orders",
                "2000",
                "--repeat",
                "1",
                "--broker",
                TestBroker.url(),
                "--poll-interval",
                "PT0.2S");
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
                .containsPattern("machine:  \\d+ cores \\(nproc\\)")
                .contains("PAPERRUN_BATCH_PARTITIONS=2")
                .contains("2 paperrun worker processes, PAPERRUN_BROKER_WORKER_PARTITIONS=1")
                .containsPattern("2,000 recipients, 2,000 orders; [0-9,]+ attributions, [0-9,]+ left to stage B")
                .containsPattern("local 1\\s+[0-9.]+\\s+[0-9.]+")
                .containsPattern("remote 1\\s+[0-9.]+\\s+[0-9.]+")
                .containsPattern("local 1\\s+partition0\\s+[0-9.]+\\s+[0-9,]+\\s+\\d+\\s+[0-9.]+\\s+[0-9.-]+\\s+"
                        + "[0-9.-]+\\s+here")
                .containsPattern("remote 1\\s+partition1\\s+[0-9.]+\\s+[0-9,]+\\s+\\d+\\s+[0-9.]+\\s+[0-9.-]+\\s+"
                        + "[0-9.-]+\\s+worker")
                .containsPattern("command, s\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+x")
                .containsPattern("decide step, s\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+x")
                .containsPattern("per partition, us per attribution\\s+[0-9.]+\\s+[0-9.]+")
                .containsPattern("command\\s+(met|NOT MET)\\s+\\([0-9.]+x")
                .containsPattern("decide step\\s+(met|NOT MET)\\s+\\([0-9.]+x")
                .contains("correctness: md5 of every attribution's decided columns")
                .contains("the same after every run (")
                .contains("the remote runs' partitions were started by the workers");
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("paperrun-bench"));
        }
    }
}
