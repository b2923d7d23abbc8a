package io.paperrun.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.Cli;
import io.paperrun.support.DatabaseTest;
import io.paperrun.support.InjectedFailure;
import io.paperrun.support.Snapshot;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * A job that fails part-way (a trigger injects the failure in the database) and is
 * restarted with {@code paperrun restart ID} ends with exactly the rows of an
 * uninterrupted run: nothing duplicated, nothing lost. Chunks of 3 lines, so that
 * some chunks commit before the failure, in the default two partitions.
 */
@TestPropertySource(properties = "paperrun.batch.chunk-size=3")
class RestartAfterFailureTest extends DatabaseTest {

    @AfterEach
    void dropInjectedFailures() {
        InjectedFailure.dropAll(jdbc);
    }

    @Test
    void importOrdersFailedPartWayAndRestartedEqualsAnUninterruptedRun() {
        List<String> uninterrupted = sampleMatchback();
        emptyTables();
        List<String> restarted = matchback(this::importSampleRecipients, () -> {
            // Two partitions by order id: the one with order 1010 commits its chunks before 1010's and fails
            // there; the other one completes.
            Cli.Result failed = failedSampleOrdersImport("customer_order", "INSERT", "NEW.provider_order_id = '1010'");
            assertThat(failed.err()).contains("FAILED").contains("paperrun restart");
            long failedId = lastExecutionId();
            int failing = Math.floorMod("1010".hashCode(), 2);
            assertThat(steps(failedId))
                    .containsExactly(
                            "order-sync-orders FAILED",
                            "order-sync-orders:partition0 " + (failing == 0 ? "FAILED" : "COMPLETED"),
                            "order-sync-orders:partition1 " + (failing == 1 ? "FAILED" : "COMPLETED"));
            assertThat(count("customer_order")).isBetween(1L, 18L);
            Cli.Result restart = restartWithoutFailures(failedId);
            assertThat(restart.out()).contains("19 imported, 0 rejected").doesNotContain("1 rejected");
            assertThat(steps(lastExecutionId()))
                    .as("the partition that completed is not run again")
                    .containsExactly(
                            "order-sync-holdouts COMPLETED",
                            "order-sync-holdouts:partition0 COMPLETED",
                            "order-sync-holdouts:partition1 COMPLETED",
                            "order-sync-orders COMPLETED",
                            "order-sync-orders:partition" + failing + " COMPLETED",
                            "order-sync-requeue COMPLETED");
        });
        assertThat(restarted).isEqualTo(uninterrupted);
        assertThat(jdbc.sql("SELECT status FROM batch_job_execution ORDER BY job_execution_id")
                        .query(String.class)
                        .list())
                .containsSubsequence("FAILED", "COMPLETED");
    }

    @Test
    void importOrdersFailedInItsHoldoutsStepAndRestartedEqualsAnUninterruptedRun() {
        List<String> uninterrupted = sampleMatchback();
        emptyTables();
        List<String> restarted = matchback(this::importSampleRecipients, () -> {
            failedSampleOrdersImport("attribution", "UPDATE", "NEW.processed AND NEW.holdout");
            long failedId = lastExecutionId();
            assertThat(steps(failedId))
                    .contains(
                            "order-sync-orders COMPLETED",
                            "order-sync-requeue COMPLETED",
                            "order-sync-holdouts FAILED");
            assertThat(jdbc.sql("SELECT count(*) FROM attribution WHERE holdout AND NOT processed")
                            .query(Long.class)
                            .single())
                    .isPositive();
            Cli.Result restart = restartWithoutFailures(failedId);
            assertThat(restart.out()).contains("completed");
            assertThat(steps(lastExecutionId()))
                    .as("only the holdouts step runs again")
                    .contains("order-sync-holdouts COMPLETED")
                    .allMatch(step -> step.startsWith("order-sync-holdouts"));
        });
        assertThat(restarted).isEqualTo(uninterrupted);
        assertThat(jdbc.sql("SELECT count(*) FROM attribution WHERE holdout AND NOT processed")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void importRecipientsFailedPartWayAndRestartedEqualsAnUninterruptedRun() {
        List<String> uninterrupted = sampleMatchback();
        emptyTables();
        List<String> restarted = matchback(
                () -> {
                    // wl-001 is the 9th line: chunks 1-2 commit, chunk 3 fails.
                    InjectedFailure.on(jdbc, "recipient", "INSERT", "NEW.natural_key = 'wl-001'");
                    run(1, "import", "recipients", "--org", "acme", "--file", EXAMPLES + "recipients.csv");
                    assertThat(count("recipient")).isEqualTo(6);
                    InjectedFailure.dropAll(jdbc);
                    run(0, "restart", Long.toString(lastExecutionId()));
                },
                this::importSampleOrders);
        assertThat(restarted).isEqualTo(uninterrupted);
    }

    @Test
    void attributionProcessingFailedPartWayAndRelaunchedEqualsAnUninterruptedRun() {
        List<String> uninterrupted = sampleMatchback();
        emptyTables();
        applySample();
        importSampleRecipients();
        importSampleOrders();
        InjectedFailure.on(
                jdbc,
                "attribution",
                "UPDATE",
                "NEW.processed AND NEW.order_id = "
                        + "(SELECT id FROM customer_order WHERE provider_order_id = '1013')");
        run(1, "run", "attribution-processing");
        assertThat(jdbc.sql("SELECT count(*) FROM attribution WHERE processed")
                        .query(Long.class)
                        .single())
                .isBetween(1L, 14L);
        InjectedFailure.dropAll(jdbc);
        // Launching it again with the same parameters restarts the failed run.
        Cli.Result relaunched = run(0, "run", "attribution-processing");
        assertThat(relaunched.out()).contains("restarted as execution");
        assertThat(Snapshot.of(jdbc)).isEqualTo(uninterrupted);
    }

    @Test
    void attributionRerunFailedPartWayAndRestartedEqualsAnUninterruptedRun() {
        List<String> uninterrupted = sampleMatchback();
        run(0, "run", "attribution-rerun", "from=2024-01-01", "to=2025-01-01", "org=acme");
        assertThat(Snapshot.of(jdbc))
                .as("a re-run gives what the live run gave")
                .isEqualTo(uninterrupted);

        InjectedFailure.on(
                jdbc,
                "attribution",
                "UPDATE",
                "NEW.processed AND NEW.order_id = "
                        + "(SELECT id FROM customer_order WHERE provider_order_id = '1013')");
        run(1, "run", "attribution-rerun", "from=2024-01-01", "to=2025-01-01", "org=acme");
        InjectedFailure.dropAll(jdbc);
        run(0, "restart", Long.toString(lastExecutionId()));
        assertThat(Snapshot.of(jdbc)).isEqualTo(uninterrupted);
        assertThat(count("attribution_rerun_order"))
                .as("the re-run's selection is cleared")
                .isZero();
    }

    @Test
    void importingTheSameFilesAgainChangesNothing() {
        List<String> once = sampleMatchback();
        long executions = count("batch_job_execution");
        Cli.Result recipients = run(0, "import", "recipients", "--org", "acme", "--file", EXAMPLES + "recipients.csv");
        Cli.Result orders = run(0, "import", "orders", "--org", "acme", "--file", EXAMPLES + "orders.csv");
        assertThat(recipients.out()).contains("already completed");
        assertThat(orders.out()).contains("already completed");
        assertThat(count("batch_job_execution")).isEqualTo(executions);
        assertThat(Snapshot.of(jdbc)).isEqualTo(once);
    }

    /** The sample orders' import, failing where the injected failure fires (exit 1). */
    private Cli.Result failedSampleOrdersImport(String table, String event, String condition) {
        InjectedFailure.on(jdbc, table, event, condition);
        Cli.Result failed = run(1, "import", "orders", "--org", "acme", "--file", EXAMPLES + "orders.csv");
        assertThat(failed.err()).contains("injected failure");
        return failed;
    }

    /** {@code paperrun restart ID} once the injected failures are gone (exit 0). */
    private Cli.Result restartWithoutFailures(long execution) {
        InjectedFailure.dropAll(jdbc);
        return run(0, "restart", Long.toString(execution));
    }

    /** apply, recipients, orders, attribution-processing; returns the resulting rows. */
    private List<String> matchback(Runnable recipients, Runnable orders) {
        applySample();
        recipients.run();
        orders.run();
        run(0, "run", "attribution-processing");
        return Snapshot.of(jdbc);
    }

    private List<String> steps(long execution) {
        return jdbc.sql("SELECT step_name || ' ' || status FROM batch_step_execution WHERE job_execution_id = ? "
                        + "ORDER BY step_name")
                .param(execution)
                .query(String.class)
                .list();
    }
}
