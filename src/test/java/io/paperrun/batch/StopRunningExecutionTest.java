package io.paperrun.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.Cli;
import io.paperrun.support.DatabaseTest;
import io.paperrun.support.PaperRunProcess;
import io.paperrun.support.Snapshot;
import io.paperrun.support.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code paperrun stop EXECUTION_ID} on an execution that is running (its owner alive): "ask a running
 * execution to stop gracefully" at its next chunk boundary; it ends STOPPED, and {@code paperrun restart ID}
 * ("restart a failed or stopped execution from its last committed chunk") completes it with the result of an
 * uninterrupted run. Chunks of 3 lines (the properties of {@link RestartAndRecoveryTest}, so its context).
 */
@TestPropertySource(properties = "paperrun.batch.chunk-size=3")
class StopRunningExecutionTest extends DatabaseTest {

    @AfterEach
    void openTheGate() {
        // Opened first, so that an import still waiting in it (a failed test) lets go of its table.
        if (jdbc.sql("SELECT to_regclass('stop_test_gate') IS NOT NULL")
                .query(Boolean.class)
                .single()) {
            jdbc.sql("INSERT INTO stop_test_gate VALUES (true)").update();
        }
        jdbc.sql("DROP TRIGGER IF EXISTS stop_test_gate ON customer_order").update();
        jdbc.sql("DROP FUNCTION IF EXISTS stop_test_gate()").update();
        jdbc.sql("DROP TABLE IF EXISTS stop_test_gate").update();
    }

    @Test
    void stoppingARunningExecutionStopsItAtAChunkBoundaryAndRestartCompletesItLikeAnUninterruptedRun()
            throws Exception {
        List<String> uninterrupted = sampleMatchback();
        emptyTables();
        applySample();
        importSampleRecipients();

        closeTheGate();
        CompletableFuture<Cli.Result> importing = CompletableFuture.supplyAsync(
                () -> cli().run("import", "orders", "--org", "acme", "--file", EXAMPLES + "orders.csv"));
        awaitWaitingAtTheGate(Duration.ofSeconds(60));
        long execution = lastExecutionId();
        assertThat(status(execution)).isEqualTo("STARTED");

        Cli.Result stop = run(0, "stop", Long.toString(execution));
        assertThat(stop.out())
                .contains("execution " + execution + " asked to stop; it stops at its next chunk " + "boundary");
        assertThat(importing).as("it does not stop in the middle of a chunk").isNotDone();
        jdbc.sql("INSERT INTO stop_test_gate VALUES (true)").update();

        Cli.Result stopped = importing.get(60, TimeUnit.SECONDS);
        assertThat(stopped.exitCode()).as(stopped.toString()).isEqualTo(1);
        assertThat(stopped.err())
                .contains("order-sync: execution " + execution + " STOPPED")
                .contains("restart it from its last committed chunk with: paperrun restart " + execution);
        assertThat(status(execution)).isEqualTo("STOPPED");
        assertThat(count("customer_order"))
                .as("chunk 1010's committed, not the whole file")
                .isBetween(1L, 18L);

        Cli.Result restarted = run(0, "restart", Long.toString(execution));
        assertThat(restarted.out())
                .contains("order-sync: restarted as execution " + (execution + 1) + ", completed")
                .contains("19 imported, 0 rejected");
        run(0, "run", "attribution-processing");
        assertThat(Snapshot.of(jdbc)).isEqualTo(uninterrupted);
        assertThat(status(execution)).isEqualTo("STOPPED");
        assertThat(status(execution + 1)).isEqualTo("COMPLETED");
    }

    /** From now on, an import waits in the insert of order 1010 until the test opens the gate. */
    private void closeTheGate() {
        jdbc.sql("CREATE TABLE stop_test_gate (open boolean)").update();
        jdbc.sql("CREATE FUNCTION stop_test_gate() RETURNS trigger AS $$ BEGIN IF NEW.provider_order_id = '1010' "
                        + "THEN WHILE NOT EXISTS (SELECT 1 FROM stop_test_gate) LOOP PERFORM pg_sleep(0.05); END LOOP; "
                        + "END IF; RETURN NEW; END $$ LANGUAGE plpgsql")
                .update();
        jdbc.sql("CREATE TRIGGER stop_test_gate BEFORE INSERT ON customer_order FOR EACH ROW "
                        + "EXECUTE FUNCTION stop_test_gate()")
                .update();
    }

    /**
     * Two machines on one server database, as two processes: while one imports orders, the other's launches of
     * order-sync and of a job of its group exit 3, naming the running execution, and leave no execution behind.
     */
    @Test
    void twoProcessesOnOneServerRunOneExecutionAtATimeAndTheRefusedOneNamesTheRunningOne(@TempDir Path dir)
            throws Exception {
        applySample();
        importSampleRecipients();
        closeTheGate();
        Map<String, String> server =
                Map.of("SPRING_DATASOURCE_URL", TestDatabase.jdbcUrl(), "SPRING_DATASOURCE_USERNAME", "postgres");
        PaperRunProcess first = PaperRunProcess.start(
                dir, server, List.of(), "import", "orders", "--org", "acme", "--file", EXAMPLES + "orders.csv");
        try {
            awaitWaitingAtTheGate(Duration.ofSeconds(90));
            long execution = lastExecutionId();
            long executions = count("batch_job_execution");
            PaperRunProcess.Exit same = PaperRunProcess.run(
                    dir, server, List.of(), "run", "order-sync", "org=acme", "file=" + EXAMPLES + "orders.csv");
            assertThat(same.code()).as(same.err()).isEqualTo(3);
            assertThat(same.err())
                    .startsWith("paperrun: another execution of order-sync is already running: execution " + execution
                            + " (order-sync, started ");
            PaperRunProcess.Exit group = PaperRunProcess.run(dir, server, List.of(), "run", "attribution-processing");
            assertThat(group.code()).as(group.err()).isEqualTo(3);
            assertThat(group.err())
                    .contains("attribution-processing cannot start while another job that writes attributions is "
                            + "running")
                    .contains(": execution " + execution + " (order-sync, started ");
            assertThat(count("batch_job_execution")).isEqualTo(executions);

            jdbc.sql("INSERT INTO stop_test_gate VALUES (true)").update();
            assertThat(first.process().waitFor(90, TimeUnit.SECONDS)).isTrue();
            assertThat(first.exit().code()).as(first.exit().err()).isZero();
            assertThat(status(execution)).isEqualTo("COMPLETED");
        } finally {
            first.process().destroyForcibly();
        }
    }

    /** Until the import's insert of order 1010 sleeps in the gate. */
    private void awaitWaitingAtTheGate(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (jdbc.sql("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep' "
                                + "AND pid <> pg_backend_pid()")
                        .query(Long.class)
                        .single()
                == 0) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the import never reached order 1010");
            }
            Thread.sleep(50);
        }
    }

    private String status(long execution) {
        return jdbc.sql("SELECT status FROM batch_job_execution WHERE job_execution_id = ?")
                .param(execution)
                .query(String.class)
                .single();
    }
}
