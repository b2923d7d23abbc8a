package io.paperrun.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/bench.sh recipient-sync, small, in a process of its own (it exits when done): the product stores every
 * member of the fake segment once, with the status it must have, within Klaviyo's limits, and prints the figures.
 */
class RecipientSyncBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void theDoNotMailListHoldsEvery1000thMemberFromThe500th() {
        assertThat(RecipientSyncBenchmark.doNotMailMembers(500)).isZero();
        assertThat(RecipientSyncBenchmark.doNotMailMembers(501)).isEqualTo(1);
        assertThat(RecipientSyncBenchmark.doNotMailMembers(2000)).isEqualTo(2);
        assertThat(RecipientSyncBenchmark.doNotMailMembers(100_000)).isEqualTo(100);
        assertThat(RecipientSyncBenchmark.holdouts(100_000)).isBetween(9_700L, 10_300L);
    }

    @Test
    void aSmallRunStoresEveryMemberOnceWithinTheLimits() throws Exception {
        String printed =
                BenchmarkProcess.run(dir, Duration.ofSeconds(120), List.of(), "recipient-sync", "--profiles", "2000");
        long holdouts = RecipientSyncBenchmark.holdouts(2000);
        assertThat(printed)
                .contains("2,000 generated members")
                .contains("2 of their emails on the organization's do-not-mail list")
                .containsPattern("run recipient-sync\\s+[0-9.]+\\s+[0-9,]+\\s+[0-9.]+\\s+[0-9,]+")
                .containsPattern("API: 20 requests, 20 pages served, 0 answered 429; [0-9.]+% of the steady limit")
                .containsPattern("peak heap, run recipient-sync: [0-9,]+ MiB; the most a collection left: [0-9,]+ MiB")
                .containsPattern(">= 90% of the steady limit used\\s+(met|NOT MET)")
                .containsPattern("no 429\\s+met")
                .containsPattern("heap under 1 GiB\\s+met")
                .contains(String.format(
                        "correctness, run recipient-sync: 2,000 recipients stored of 2,000 members, 2,000 distinct "
                                + "ids, 2,000 of them the segment's members; %,d pending, %,d holdout, 2 suppressed (2 "
                                + "on the do-not-mail list) of %,d, %,d and 2 expected: each exactly once",
                        1998 - holdouts, holdouts, 1998 - holdouts, holdouts));
        // Its temporary directory (files and database) is removed.
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("paperrun-bench"));
        }
    }
}
