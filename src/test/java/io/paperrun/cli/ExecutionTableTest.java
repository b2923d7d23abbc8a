package io.paperrun.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.batch.ExecutionHistory.Execution;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExecutionTableTest {

    private static final LocalDateTime NOW = LocalDateTime.parse("2026-12-04T17:00:00");

    @ParameterizedTest
    @CsvSource({
        "0, 0.0s",
        "412, 0.4s",
        "9999, 9.9s",
        "10000, 10s",
        "12700, 12s",
        "59999, 59s",
        "60000, 1m00s",
        "185000, 3m05s",
        "3599999, 59m59s",
        "3600000, 1h00m",
        "3720000, 1h02m",
        "363600000, 101h00m",
        "-5, 0.0s"
    })
    void aDurationIsSaidShortAndCutDown(long millis, String said) {
        assertThat(ExecutionTable.duration(Duration.ofMillis(millis))).isEqualTo(said);
    }

    @Test
    void columnsAlignAndTheRunningOnesDurationIsSoFar() {
        List<String> lines = ExecutionTable.lines(
                List.of(
                        execution(12, "attribution-processing", "STARTED", "", NOW.minusSeconds(125), null, 1234),
                        execution(9, "order-sync", "COMPLETED", "", NOW.minusHours(2), NOW.minusMinutes(58), 19),
                        execution(
                                3,
                                "order-sync",
                                "FAILED",
                                "ERROR: injected failure",
                                NOW.minusDays(1),
                                NOW.minusDays(1).plusNanos(400_000_000),
                                7)),
                NOW,
                false);
        assertThat(lines)
                .containsExactly(
                        "ID JOB                    STATUS    STARTED             DURATION READ WRITTEN REJECTED EXIT MESSAGE",
                        "12 attribution-processing STARTED   2026-12-04 16:57:55    2m05s 1234    1234        0",
                        "9  order-sync             COMPLETED 2026-12-04 15:00:00    1h02m   19      19        0",
                        "3  order-sync             FAILED    2026-12-03 17:00:00     0.4s    7       7        0 ERROR: "
                                + "injec…");
        assertThat(ExecutionTable.lines(
                                List.of(execution(3, "order-sync", "FAILED", "ERROR: injected failure", NOW, NOW, 7)),
                                NOW,
                                false)
                        .get(1))
                .as("a job's executions alone leave the message more room")
                .isEqualTo(
                        "3  order-sync FAILED 2026-12-04 17:00:00     0.0s    7       7        0 ERROR: injected failure");
    }

    @Test
    void everyLineFitsAHundredCharactersWithALongNameAndMessage() {
        String longJob = "a-job-whose-name-is-far-longer-than-any-in-the-catalog";
        String longMessage = "acme (ometria): GET https://api.ometria.example/v2/orders?since=2026-12-01: status 503 "
                + "after 5 tries, the last one refused";
        List<String> lines = ExecutionTable.lines(
                List.of(
                        execution(48213, longJob, "FAILED", longMessage, NOW.minusHours(1), NOW, 123456),
                        execution(2, "order-sync", "ABANDONED", longMessage, NOW.minusHours(1), NOW, 3)),
                NOW,
                false);
        assertThat(lines).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(100));
        assertThat(lines.get(1)).hasSize(100).endsWith("…").startsWith("48213 a-job-whose-name-is-f… FAILED ");
        assertThat(lines.get(2)).hasSize(100).endsWith("…").startsWith("2     order-sync             ABANDONED ");
        int message = lines.get(0).indexOf("EXIT ");
        assertThat(lines.subList(1, 3))
                .allSatisfy(line -> assertThat(line.substring(message)).startsWith("acme (o…"));

        List<String> huge = ExecutionTable.lines(
                List.of(execution(1234567, "attribution-processing", "FAILED", longMessage, NOW, NOW, 1234567890L)),
                NOW,
                false);
        assertThat(huge.get(1))
                .as("very long ids and counts cut the job's name, and the message keeps some room")
                .hasSize(100)
                .startsWith("1234567 attribution-pro… FAILED")
                .endsWith(" acme (o…");
    }

    @Test
    void wideSaysEverythingWithTheParametersButTheChecksum() {
        Execution e = new Execution(
                5,
                5,
                "order-sync",
                "ABANDONED",
                "ABANDONED",
                "the file changed",
                NOW.minusMinutes(1),
                NOW,
                19,
                19,
                0,
                2,
                new TreeMap<>(Map.of("file", "/data/orders.csv", "org", "acme", "sha256", "ab12")),
                false);
        assertThat(ExecutionTable.lines(List.of(e), NOW, true))
                .containsExactly(
                        "ID JOB        STATUS    STARTED             DURATION READ WRITTEN REJECTED PARAMETERS          "
                                + "           EXIT MESSAGE",
                        "5  order-sync ABANDONED 2026-12-04 16:59:00    1m00s   19      19        2 file=/data/orders.csv "
                                + "org=acme the file changed");
    }

    private static Execution execution(
            long id, String job, String status, String message, LocalDateTime started, LocalDateTime ended, long n) {
        return new Execution(id, id, job, status, status, message, started, ended, n, n, 0, 0, Map.of(), false);
    }
}
