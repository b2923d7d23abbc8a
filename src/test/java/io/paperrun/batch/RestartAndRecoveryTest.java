package io.paperrun.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.Cli;
import io.paperrun.support.DatabaseTest;
import io.paperrun.support.InjectedFailure;
import io.paperrun.support.Snapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Restarts beyond the plain "fail, restart, compare" of {@link RestartAfterFailureTest}: {@code restart ID}
 * for every job, a failure in the re-run's matching step, rejected rows and the order-sync checkpoint
 * across a restart, and executions left STARTED by a process that is gone (or not). Chunks of 3 lines
 * (the same properties as {@link RestartAfterFailureTest}, so the same Spring context).
 */
@TestPropertySource(properties = "paperrun.batch.chunk-size=3")
class RestartAndRecoveryTest extends DatabaseTest {

    @Autowired
    DataSource dataSource;

    @TempDir
    Path dir;

    @AfterEach
    void dropInjectedFailures() {
        InjectedFailure.dropAll(jdbc);
    }

    @Test
    void attributionProcessingFailedPartWayAndRestartedByIdEqualsAnUninterruptedRun() {
        List<String> uninterrupted = sampleMatchback();
        emptyTables();
        applySample();
        importSampleRecipients();
        importSampleOrders();
        long failedId;
        try (InjectedFailure ignored = failOnProcessing("1013")) {
            Cli.Result failed = run(1, "run", "attribution-processing");
            failedId = lastExecutionId();
            assertThat(failed.err())
                    .contains("attribution-processing: execution " + failedId + " FAILED")
                    .contains(InjectedFailure.MESSAGE)
                    .contains("restart it from its last committed chunk with: paperrun restart " + failedId);
            // The holdout attribution was decided by the sync; at least one chunk of 3 more committed.
            assertThat(processed()).isBetween(4L, 14L);
        }
        Cli.Result restarted = run(0, "restart", Long.toString(failedId));
        assertThat(restarted.out())
                .contains("attribution-processing: restarted as execution " + (failedId + 1) + ", completed");
        assertThat(Snapshot.of(jdbc)).isEqualTo(uninterrupted);
        assertThat(statuses()).containsExactly("COMPLETED", "COMPLETED", "FAILED", "COMPLETED");

        assertThat(run(2, "restart", Long.toString(failedId)).err())
                .contains("execution " + failedId + " was already restarted as execution " + (failedId + 1)
                        + " (COMPLETED)");
        assertThat(Snapshot.of(jdbc)).isEqualTo(uninterrupted);
    }

    @Test
    void attributionProcessingRunsInTwoPartitionsOfIdsAndARestartRunsAgainOnlyThePartitionThatFailed() {
        List<String> uninterrupted = sampleMatchback();
        long waiting = jdbc.sql("SELECT count(*) FROM attribution WHERE NOT holdout")
                .query(Long.class)
                .single();
        long uninterruptedId = lastExecutionId();
        assertThat(stepCounts(uninterruptedId))
                .containsExactly(
                        "attribution-processing-decide COMPLETED read=" + waiting,
                        "attribution-processing-decide:partition0 COMPLETED read=" + partitionSize(0),
                        "attribution-processing-decide:partition1 COMPLETED read=" + partitionSize(1),
                        "attribution-processing-requeue COMPLETED read=0");
        assertThat(partitionSize(0)).isPositive();
        assertThat(partitionSize(1)).isPositive();
        assertThat(run(0, "executions", "--job", "attribution-processing").out())
                .as("the partitions are not counted twice")
                .containsPattern(uninterruptedId + "\\s+attribution-processing\\s+COMPLETED\\s.*\\s" + waiting + "\\s+"
                        + waiting + "\\s");

        emptyTables();
        applySample();
        importSampleRecipients();
        importSampleOrders();
        String failing = "1013";
        long failingId = jdbc.sql("SELECT id FROM attribution WHERE order_id = ?")
                .param(orderId(failing))
                .query(Long.class)
                .single();
        int failingPartition = failingId < bounds(1)[0] ? 0 : 1;
        long failedId;
        try (InjectedFailure ignored = failOnProcessing(failing)) {
            run(1, "run", "attribution-processing");
            failedId = lastExecutionId();
        }
        assertThat(stepStatuses(failedId))
                .containsExactly(
                        "attribution-processing-decide FAILED",
                        "attribution-processing-decide:partition0 " + (failingPartition == 0 ? "FAILED" : "COMPLETED"),
                        "attribution-processing-decide:partition1 " + (failingPartition == 1 ? "FAILED" : "COMPLETED"),
                        "attribution-processing-requeue COMPLETED");
        assertThat(stepCounts(failedId))
                .contains("attribution-processing-decide:partition" + (1 - failingPartition) + " COMPLETED read="
                        + partitionSize(1 - failingPartition));
        run(0, "restart", Long.toString(failedId));
        assertThat(stepStatuses(failedId + 1))
                .as("the completed partition is not run again")
                .containsExactly(
                        "attribution-processing-decide COMPLETED",
                        "attribution-processing-decide:partition" + failingPartition + " COMPLETED");
        assertThat(Snapshot.of(jdbc)).isEqualTo(uninterrupted);
    }

    /**
     * Partition {@code i} of 2: the i-th half of the span of ids of the attributions waiting for stage B
     * (all but the holdout ones, which the sync decided), {from, to}.
     */
    private long[] bounds(int i) {
        return jdbc.sql("SELECT min(id), max(id) FROM attribution WHERE NOT holdout")
                .query((rs, n) -> {
                    long min = rs.getLong(1), span = rs.getLong(2) - min + 1;
                    return new long[] {min + span * i / 2, min + span * (i + 1) / 2};
                })
                .single();
    }

    /** Attributions stage B decided in partition {@code i} of 2 (the uninterrupted run's own rows). */
    private long partitionSize(int i) {
        long[] range = bounds(i);
        return jdbc.sql("SELECT count(*) FROM attribution WHERE NOT holdout AND id >= ? AND id < ?")
                .param(range[0])
                .param(range[1])
                .query(Long.class)
                .single();
    }

    /** "step STATUS read=N" of an execution's steps, by step name. */
    private List<String> stepCounts(long execution) {
        return jdbc.sql("SELECT step_name || ' ' || status || ' read=' || read_count FROM batch_step_execution "
                        + "WHERE job_execution_id = ? ORDER BY step_name")
                .param(execution)
                .query(String.class)
                .list();
    }

    private List<String> stepStatuses(long execution) {
        return stepCounts(execution).stream()
                .map(c -> c.substring(0, c.indexOf(" read=")))
                .toList();
    }

    @Test
    void attributionRerunFailedInItsMatchingStepAndRestartedEqualsTheLiveRun() {
        List<String> live = sampleMatchback();
        long failedId;
        // The re-run queues every attribution of its range for stage B; it fails on 1013's (5th chunk of 3).
        try (InjectedFailure ignored = InjectedFailure.on(
                jdbc, "attribution", "UPDATE", "NOT NEW.processed AND NEW.order_id = " + orderId("1013"))) {
            Cli.Result failed = run(1, "run", "attribution-rerun", "from=2024-01-01", "to=2025-01-01", "org=acme");
            failedId = lastExecutionId();
            assertThat(failed.err()).contains("attribution-rerun: execution " + failedId + " FAILED");
            assertThat(jdbc.sql("SELECT step_name || ' ' || status FROM batch_step_execution "
                                    + "WHERE job_execution_id = ? ORDER BY step_execution_id")
                            .param(failedId)
                            .query(String.class)
                            .list())
                    .containsExactly("attribution-rerun-select COMPLETED", "attribution-rerun-match FAILED");
            assertThat(processed())
                    .as("the committed chunks queued their attributions again")
                    .isLessThan(15L);
        }
        run(0, "restart", Long.toString(failedId));
        assertThat(Snapshot.of(jdbc)).isEqualTo(live);
        assertThat(count("attribution_rerun_order")).isZero();
    }

    @Test
    void anImportWithARejectedRowFailedAndRestartedRecordsAndCountsTheRejectionOnce() throws IOException {
        List<String> sample = Files.readAllLines(Path.of(EXAMPLES + "orders.csv"));
        // Line 3 is rejected; it is in the first chunk, which commits before the failure on 1010.
        List<String> lines = new ArrayList<>(sample);
        lines.add(2, "bad,notadate,x@example.com,1.00,USD,,,,,,,,");
        Path file = Files.write(dir.resolve("orders.csv"), lines);
        String rejection = "rejected " + file.toAbsolutePath() + ":3: created_at 'notadate' is not an ISO-8601 "
                + "instant with offset or Z";

        applySample();
        importSampleRecipients();
        Cli.Result once = run(2, "import", "orders", "--org", "acme", "--file", file.toString());
        assertThat(once.out()).contains("19 imported, 1 rejected");
        run(0, "run", "attribution-processing");
        List<String> uninterrupted = Snapshot.of(jdbc);

        emptyTables();
        applySample();
        importSampleRecipients();
        long failedId;
        try (InjectedFailure ignored =
                InjectedFailure.on(jdbc, "customer_order", "INSERT", "NEW.provider_order_id = '1010'")) {
            run(1, "import", "orders", "--org", "acme", "--file", file.toString());
            failedId = lastExecutionId();
            assertThat(count("rejected_row")).isEqualTo(1);
        }
        Cli.Result restarted = run(2, "restart", Long.toString(failedId));
        assertThat(restarted.out())
                .contains("order-sync: restarted as execution " + (failedId + 1) + ", completed")
                .contains("19 imported, 1 rejected");
        assertThat(restarted
                        .err()
                        .lines()
                        .filter(l -> l.startsWith("rejected "))
                        .toList())
                .containsExactly(rejection);
        assertThat(count("rejected_row")).isEqualTo(1);
        run(0, "run", "attribution-processing");
        assertThat(Snapshot.of(jdbc)).isEqualTo(uninterrupted);
    }

    @Test
    void anOrderSyncRestartedAfterAFailureEndsAtTheCheckpointOfAnUninterruptedRun() throws IOException {
        Path first =
                Files.writeString(dir.resolve("a.csv"), "order_id,created_at,total\n1,2024-01-10T00:00:00Z,1.00\n");
        // In two partitions by order id: orders 3, 5 and 7 (partition 1) commit, up to 2024-02-03; orders 2
        // (the latest), 4 and 6 (partition 0) fail with 6.
        Path second = Files.writeString(
                dir.resolve("b.csv"),
                "order_id,created_at,total\n"
                        + "2,2024-03-01T00:00:00Z,1.00\n3,2024-01-20T00:00:00Z,1.00\n4,2024-01-21T00:00:00Z,1.00\n"
                        + "5,2024-02-01T00:00:00Z,1.00\n6,2024-02-02T00:00:00Z,1.00\n7,2024-02-03T00:00:00Z,1.00\n");

        applySample();
        run(0, "import", "orders", "--org", "acme", "--file", first.toString());
        run(0, "import", "orders", "--org", "acme", "--file", second.toString());
        assertThat(checkpoint()).isEqualTo("2024-03-01 00:00:00+00");
        List<String> uninterrupted = Snapshot.of(jdbc);

        emptyTables();
        applySample();
        run(0, "import", "orders", "--org", "acme", "--file", first.toString());
        long failedId;
        try (InjectedFailure ignored =
                InjectedFailure.on(jdbc, "customer_order", "INSERT", "NEW.provider_order_id = '6'")) {
            run(1, "import", "orders", "--org", "acme", "--file", second.toString());
            failedId = lastExecutionId();
        }
        assertThat(checkpoint())
                .as("a failed run does not advance the checkpoint")
                .isEqualTo("2024-01-10 00:00:00+00");
        run(0, "restart", Long.toString(failedId));
        assertThat(checkpoint()).isEqualTo("2024-03-01 00:00:00+00");
        assertThat(Snapshot.of(jdbc)).isEqualTo(uninterrupted);
        // The restarted run carries on from where the failed one started and got to.
        assertThat(runs())
                .containsExactly(
                        "null -> 2024-01-10 00:00:00+00 read=1 finished",
                        "2024-01-10 00:00:00+00 -> 2024-02-03 00:00:00+00 read=3 unfinished",
                        "2024-01-10 00:00:00+00 -> 2024-03-01 00:00:00+00 read=3 finished");
    }

    @Test
    void anExecutionLeftStartedIsNotTakenFromALiveOwnerButIsRecoveredOnceTheOwnerIsGone() throws Exception {
        List<String> uninterrupted = sampleMatchback();
        emptyTables();
        applySample();
        importSampleRecipients();
        long execution = importOrdersLeftStartedAsByAProcessKilledAt("1010");
        assertThat(run(0, "executions", "--status", "started")
                        .out()
                        .lines()
                        .skip(1)
                        .toList())
                .singleElement()
                .asString()
                .matches(execution + "\\s+order-sync\\s+STARTED\\s.*");

        long committed = count("customer_order");
        assertThat(committed).isBetween(1L, 18L);
        try (Connection owner = dataSource.getConnection();
                Statement st = owner.createStatement()) {
            // A live owner holds the job's lock.
            st.execute("SELECT pg_advisory_lock(hashtext('paperrun.job'), hashtext('order-sync'))");
            assertThat(run(3, "restart", Long.toString(execution)).err())
                    .contains("another execution of order-sync is already running: execution " + execution
                            + " (order-sync, started ");
            assertThat(run(3, "import", "orders", "--org", "acme", "--file", EXAMPLES + "orders.csv")
                            .err())
                    .contains("another execution of order-sync is already running");
            assertThat(status(execution)).isEqualTo("STARTED");
            assertThat(count("customer_order")).isEqualTo(committed);
        }
        Cli.Result restarted = run(0, "restart", Long.toString(execution));
        assertThat(restarted.out())
                .contains("restarted as execution " + (execution + 1) + ", completed")
                .contains("19 imported, 0 rejected");
        assertThat(status(execution)).isEqualTo("FAILED");
        run(0, "run", "attribution-processing");
        assertThat(Snapshot.of(jdbc)).isEqualTo(uninterrupted);
    }

    @Test
    void stoppingAnExecutionWhoseProcessIsGoneMarksItFailedAndItCanBeRestarted() {
        applySample();
        importSampleRecipients();
        long execution = importOrdersLeftStartedAsByAProcessKilledAt("1010");
        Cli.Result stop = run(0, "stop", Long.toString(execution));
        assertThat(stop.out())
                .contains("execution " + execution + " had no live process; marked FAILED, restart it "
                        + "with: paperrun restart " + execution);
        assertThat(status(execution)).isEqualTo("FAILED");
        run(0, "restart", Long.toString(execution));
        assertThat(count("customer_order")).isEqualTo(19);
        assertThat(run(2, "stop", Long.toString(execution + 1)).err())
                .contains("execution " + (execution + 1) + " is not running (COMPLETED)");
    }

    @Test
    void anExecutionWhoseFileChangedAfterItsProcessDiedIsAbandonedWithItsReasonNotLeftStarted() throws Exception {
        applySample();
        importSampleRecipients();
        Path orders = Files.copy(Path.of(EXAMPLES + "orders.csv"), dir.resolve("orders.csv"));
        long execution = importLeftStartedAsByAProcessKilledAt(orders, "1010");
        Files.writeString(orders, Files.readString(orders).replace("59.90", "59.95")); // edited since

        Cli.Result restart = run(2, "restart", Long.toString(execution));
        String why = orders.toAbsolutePath() + " changed since execution " + execution + " started, so it cannot be "
                + "restarted; import the new file instead";
        assertThat(restart.err().strip())
                .isEqualTo("paperrun restart: " + why + "; execution " + execution + " is marked ABANDONED");
        assertThat(status(execution)).isEqualTo("ABANDONED");
        assertThat(run(0, "executions", "--job", "order-sync", "--wide")
                        .out()
                        .lines()
                        .skip(1)
                        .toList())
                .singleElement()
                .asString()
                .matches(execution + "\\s+order-sync\\s+ABANDONED\\s.*\\s\\Q" + why + "\\E");
        assertThat(run(2, "stop", Long.toString(execution)).err().strip())
                .isEqualTo("paperrun stop: execution " + execution + " is not running (ABANDONED: " + why + ")");
        // The new file imports as a new instance.
        assertThat(run(0, "import", "orders", "--org", "acme", "--file", orders.toString())
                        .out())
                .contains("19 imported, 0 rejected");
    }

    @Test
    void stoppingAnExecutionWhoseProcessIsGoneAndWhoseFileChangedAbandonsIt() throws Exception {
        applySample();
        importSampleRecipients();
        Path orders = Files.copy(Path.of(EXAMPLES + "orders.csv"), dir.resolve("orders.csv"));
        long execution = importLeftStartedAsByAProcessKilledAt(orders, "1010");
        Files.writeString(orders, "order_id,created_at,total\n");

        assertThat(run(0, "stop", Long.toString(execution)).out().strip())
                .isEqualTo("execution " + execution
                        + " had no live process; " + orders.toAbsolutePath() + " changed since execution " + execution
                        + " started, so it cannot be restarted; import the new file instead: marked ABANDONED");
        assertThat(status(execution)).isEqualTo("ABANDONED");
        assertThat(run(2, "restart", Long.toString(execution)).err()).contains("is ABANDONED and cannot be restarted");
    }

    /**
     * An import of the sample orders whose process died on the chunk of {@code orderId}: the chunks before
     * it committed, and the job repository still says STARTED (as after a kill -9).
     */
    private long importOrdersLeftStartedAsByAProcessKilledAt(String orderId) {
        return importLeftStartedAsByAProcessKilledAt(Path.of(EXAMPLES + "orders.csv"), orderId);
    }

    private long importLeftStartedAsByAProcessKilledAt(Path orders, String orderId) {
        long execution;
        try (InjectedFailure ignored =
                InjectedFailure.on(jdbc, "customer_order", "INSERT", "NEW.provider_order_id = '" + orderId + "'")) {
            run(1, "import", "orders", "--org", "acme", "--file", orders.toString());
            execution = lastExecutionId();
        }
        jdbc.sql("UPDATE batch_job_execution SET status = 'STARTED', exit_code = 'UNKNOWN', exit_message = '', "
                        + "end_time = NULL WHERE job_execution_id = ?")
                .param(execution)
                .update();
        jdbc.sql("UPDATE batch_step_execution SET status = 'STARTED', exit_code = 'EXECUTING', exit_message = '', "
                        + "end_time = NULL WHERE job_execution_id = ?")
                .param(execution)
                .update();
        return execution;
    }

    private InjectedFailure failOnProcessing(String providerOrderId) {
        return InjectedFailure.on(
                jdbc, "attribution", "UPDATE", "NEW.processed AND NEW.order_id = " + orderId(providerOrderId));
    }

    private long orderId(String providerOrderId) {
        return jdbc.sql("SELECT id FROM customer_order WHERE provider_order_id = ?")
                .param(providerOrderId)
                .query(Long.class)
                .single();
    }

    private long processed() {
        return jdbc.sql("SELECT count(*) FROM attribution WHERE processed")
                .query(Long.class)
                .single();
    }

    private List<String> statuses() {
        return jdbc.sql("SELECT status FROM batch_job_execution ORDER BY job_execution_id")
                .query(String.class)
                .list();
    }

    private String status(long execution) {
        return jdbc.sql("SELECT status FROM batch_job_execution WHERE job_execution_id = ?")
                .param(execution)
                .query(String.class)
                .single();
    }

    private String checkpoint() {
        return jdbc.sql("SELECT last_order_at::text FROM order_sync_checkpoint")
                .query(String.class)
                .single();
    }

    private List<String> runs() {
        return jdbc.sql("""
                SELECT coalesce(checkpoint_before::text, 'null') || ' -> ' || coalesce(checkpoint_after::text, 'null')
                       || ' read=' || orders_read || CASE WHEN finished_at IS NULL THEN ' unfinished' ELSE ' finished' END
                FROM order_sync_run ORDER BY job_execution_id
                """).query(String.class).list();
    }
}
