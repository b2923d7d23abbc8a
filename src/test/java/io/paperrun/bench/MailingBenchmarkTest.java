package io.paperrun.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/bench.sh mailing, small, in a process of its own (it exits when done): the product mails every recipient
 * once to the fake Lob, without a 429, and prints the figures. 40 pieces fit in one window of the limit, so no run
 * waits for a window.
 */
class MailingBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void aSmallRunMailsEveryRecipientOnceWithinTheLimit() throws Exception {
        String printed = BenchmarkProcess.run(
                dir, Duration.ofSeconds(120), List.of(), "mailing", "--recipients", "40", "--concurrency", "4");
        assertThat(printed)
                .contains("40 recipients (US")
                .contains("150 requests per 5 s window")
                .containsPattern("run mailing, concurrency 4\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+%")
                .containsPattern("API, run mailing, concurrency 4: 40 requests, 0 answered 429 \\(0.00%\\)")
                .contains("40 postcards created of 40 recipients, under 40 distinct keys, 0 replays")
                .containsPattern("peak heap, run mailing, concurrency 4: [0-9,]+ MiB")
                .containsPattern("< 1% of requests throttled\\s+met")
                .containsPattern("no duplicates\\s+met")
                .contains("correctness, run mailing, concurrency 4: 40 postcards created of 40 recipients, 40 "
                        + "recipients sent (40 by Lob, 40 distinct postcard ids), 0 recipients with more than one "
                        + "postcard: each exactly once");
        // Its temporary directory (files and database) is removed.
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("paperrun-bench"));
        }
    }
}
