package io.paperrun.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paperrun.support.Cli;
import io.paperrun.support.DatabaseTest;
import io.paperrun.support.InjectedFailure;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Progress lines in a log ({@code paperrun.progress=chunk}): one on standard error at every chunk commit, the
 * partitions adding to their step's, with the rate and, where the step's total is known, the time left.
 */
@TestPropertySource(properties = {"paperrun.batch.chunk-size=3", "paperrun.progress=chunk"})
class ProgressLinesTest extends DatabaseTest {

    private static final Pattern LINE =
            Pattern.compile("(\\S+): (\\d+) of (\\d+) done, [\\d.,]+/s, ETA \\d\\d:\\d\\d:\\d\\d");

    @Test
    void anImportSaysItsLinesDoneAtEveryChunkCommitOnStandardError() {
        applySample();
        importSampleRecipients();

        Cli.Result result = run(0, "import", "orders", "--org", "acme", "--file", EXAMPLES + "orders.csv");

        List<long[]> lines = progress(result, "order-sync-orders");
        assertThat(lines).as(result.toString()).hasSize((int) commits("order-sync-orders:%"));
        assertThat(lines).allSatisfy(line -> assertThat(line[1]).isEqualTo(19));
        assertThat(lines.stream().mapToLong(line -> line[0]))
                .as("the partitions' commits, summed")
                .isSorted()
                .doesNotHaveDuplicates()
                .endsWith(19L);
        assertThat(result.out()).doesNotContain(" done, ").contains("19 imported, 0 rejected");
    }

    @Test
    void attributionProcessingCountsTheAttributionsItHasToDecide() {
        applySample();
        importSampleRecipients();
        importSampleOrders();
        long pending = count("attribution_pending");
        assertThat(pending).isPositive();

        Cli.Result result = run(0, "run", "attribution-processing");

        List<long[]> lines = progress(result, "attribution-processing-decide");
        assertThat(lines).hasSize((int) commits("attribution-processing-decide:%"));
        assertThat(lines).allSatisfy(line -> assertThat(line[1]).isEqualTo(pending));
        assertThat(lines.get(lines.size() - 1)[0]).isEqualTo(pending);
    }

    @Test
    void aRestartedImportCountsTheLinesItHasLeft() {
        applySample();
        importSampleRecipients();
        try (InjectedFailure ignored =
                InjectedFailure.on(jdbc, "customer_order", "INSERT", "NEW.provider_order_id = '1010'")) {
            run(1, "import", "orders", "--org", "acme", "--file", EXAMPLES + "orders.csv");
        }
        long committed = count("customer_order");

        Cli.Result restart = run(0, "restart", Long.toString(lastExecutionId()));

        List<long[]> lines = progress(restart, "order-sync-orders");
        assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line[1]).isEqualTo(19 - committed));
        assertThat(lines.get(lines.size() - 1)[0]).isEqualTo(19 - committed);
    }

    @Test
    void withoutAKnownTotalALineSaysTheItemsDoneAndTheRate() {
        applySample();
        importSampleRecipients();
        importSampleOrders();
        Cli.Result result = run(0, "run", "attribution-rerun", "from=2024-01-01", "to=2025-01-01");
        assertThat(result.err().lines().filter(l -> l.contains(" done")))
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line).matches("attribution-rerun-\\S+: \\d+ done, [\\d.,]+/s"));
    }

    @Test
    void theSettingIsOneOfItsFourWords() {
        assertThat(new ProgressLines(" Terminal ", null)).isNotNull();
        assertThatThrownBy(() -> new ProgressLines("loud", null))
                .hasMessage("setting paperrun.progress (PAPERRUN_PROGRESS) must be auto, terminal, chunk or off, not "
                        + "\"loud\"");
    }

    /** The lines of {@code step} on standard error, each as {done, total}. */
    private static List<long[]> progress(Cli.Result result, String step) {
        return result.err()
                .lines()
                .filter(line -> line.startsWith(step + ": "))
                .map(line -> {
                    Matcher m = LINE.matcher(line);
                    assertThat(m.matches()).as(line).isTrue();
                    return new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(3))};
                })
                .toList();
    }

    private long commits(String stepName) {
        return jdbc.sql("SELECT sum(commit_count) FROM batch_step_execution WHERE step_name LIKE ?")
                .param(stepName)
                .query(Long.class)
                .single();
    }
}
