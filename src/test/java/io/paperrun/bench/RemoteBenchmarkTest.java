package io.paperrun.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.TestBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
        // Passed on to the product's commands and workers: this test checks what the benchmark does, not how fast,
        // and C1 alone with the serial collector about halves the start of each of its 7 JVMs.
        String printed = BenchmarkProcess.run(
                dir,
                Duration.ofSeconds(180),
                List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
                "remote",
                "--orders",
                "2000",
                "--repeat",
                "1",
                "--broker",
                TestBroker.url(),
                "--poll-interval",
                "PT0.2S");
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
