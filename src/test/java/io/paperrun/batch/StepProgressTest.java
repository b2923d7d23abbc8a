package io.paperrun.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepProgressTest {

    private static final Instant START = Instant.parse("2026-12-04T16:00:00Z");

    @Test
    void aLineSaysTheItemsDoneTheRateAndWithATotalTheTimeLeft() {
        assertThat(StepProgress.line("order-sync-orders", 120_000, 720_000L, Duration.ofSeconds(15)))
                .isEqualTo("order-sync-orders: 120,000 of 720,000 done, 8,000/s, ETA 00:01:15");
        assertThat(StepProgress.line("order-sync-orders", 120_000, null, Duration.ofSeconds(15)))
                .isEqualTo("order-sync-orders: 120,000 done, 8,000/s");
        assertThat(StepProgress.line("mailing-send", 5, 100L, Duration.ofSeconds(2)))
                .isEqualTo("mailing-send: 5 of 100 done, 2.5/s, ETA 00:00:38");
        assertThat(StepProgress.line("proofing-render", 7_200, 1_000_000L, Duration.ofSeconds(3600)))
                .isEqualTo("proofing-render: 7,200 of 1,000,000 done, 2.0/s, ETA 137:53:20");
    }

    @Test
    void withNoTimePassedOrNothingDoneThereIsNoRateOrNoTimeLeft() {
        assertThat(StepProgress.line("s", 3, 10L, Duration.ZERO)).isEqualTo("s: 3 of 10 done");
        assertThat(StepProgress.line("s", 0, 10L, Duration.ofSeconds(1))).isEqualTo("s: 0 of 10 done, 0.0/s");
        assertThat(StepProgress.line("s", 12, 10L, Duration.ofSeconds(1)))
                .as("more done than counted: nothing left")
                .isEqualTo("s: 12 of 10 done, 12/s, ETA 00:00:00");
    }

    @Test
    void everyChunkSaysEachCommitWithTheItemsDoneSoFar() {
        StepProgress progress = new StepProgress("s", 9L, START, StepProgress.Pace.EVERY_CHUNK);
        assertThat(progress.committed(3, START.plusSeconds(1))).hasValue("s: 3 of 9 done, 3.0/s, ETA 00:00:02");
        assertThat(progress.committed(3, START.plusSeconds(1))).hasValue("s: 6 of 9 done, 6.0/s, ETA 00:00:01");
        assertThat(progress.committed(3, START.plusSeconds(2))).hasValue("s: 9 of 9 done, 4.5/s, ETA 00:00:00");
    }

    @Test
    void onATerminalALineComesEveryFiveSecondsOnceTheStepHasRunFive() {
        StepProgress progress = new StepProgress("s", null, START, StepProgress.Pace.TERMINAL);
        List<String> lines = new ArrayList<>();
        for (int ms = 500; ms <= 16_000; ms += 500) { // a commit every half second
            progress.committed(10, START.plusMillis(ms)).ifPresent(lines::add);
        }
        assertThat(lines).containsExactly("s: 100 done, 20/s", "s: 200 done, 20/s", "s: 300 done, 20/s");
    }

    @Test
    void aTerminalLineWaitsForTheNextCommitAfterFiveSeconds() {
        StepProgress progress = new StepProgress("s", null, START, StepProgress.Pace.TERMINAL);
        assertThat(progress.committed(1, START.plusSeconds(4))).isEmpty();
        assertThat(progress.committed(1, START.plusSeconds(7))).hasValue("s: 2 done, 0.3/s");
        assertThat(progress.committed(1, START.plusSeconds(11))).isEmpty();
        assertThat(progress.committed(1, START.plusSeconds(30))).hasValue("s: 4 done, 0.1/s");
    }

    @Test
    void inALogByDefaultAShortStepSaysNothingAndALongOneSaysEveryCommit() {
        StepProgress progress = new StepProgress("s", null, START, StepProgress.Pace.LONG_STEPS);
        assertThat(progress.committed(5, START.plusMillis(4_999))).isEmpty();
        assertThat(progress.committed(5, START.plusSeconds(5))).hasValue("s: 10 done, 2.0/s");
        assertThat(progress.committed(5, START.plusSeconds(5))).hasValue("s: 15 done, 3.0/s");
    }
}
