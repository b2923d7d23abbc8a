package io.paperrun.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.MessageProperties;
import io.paperrun.support.DatabaseTest;
import io.paperrun.support.OmetriaServer;
import io.paperrun.support.PaperRunProcess;
import io.paperrun.support.Snapshot;
import io.paperrun.support.TestBroker;
import io.paperrun.support.TestDatabase;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote partitioning end to end, as on several machines: a launching process and {@code paperrun worker} processes
 * on one PostgreSQL and the test run's broker ({@link TestBroker}: the RabbitMQ of the machine, else Qpid in this
 * JVM). attribution-processing's decisions (two partitions, chunks of 2 on the workers) must equal a local run's,
 * each attribution decided in exactly one committed chunk, through a request delivered twice and a worker's death
 * mid-partition, through the death of every process of the run followed by {@code paperrun restart}, and through
 * a worker's SIGTERM; order-sync from providers runs an organization per partition on the workers. A gate in the database holds the
 * decision of one attribution until the test has killed whoever is deciding it.
 */
class RemotePartitioningTest extends DatabaseTest {

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private static final String OMETRIA_KEY = "om-key-remote-1";

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final OmetriaServer ometria = new OmetriaServer(OMETRIA_KEY);

    @StartStop
    private final MockWebServer gateway = new MockWebServer();

    private final String queue = TestBroker.queue();
    private final List<PaperRunProcess> processes = new ArrayList<>();
    private long secondSpanFrom;

    @AfterEach
    void stopEveryProcessAndOpenTheGate() throws Exception {
        for (PaperRunProcess process : processes) {
            process.kill();
        }
        // the test's own queue, durable: not left on the machine's broker
        TestBroker.onChannel(channel -> channel.queueDelete(queue));
        if (jdbc.sql("SELECT to_regclass('remote_test_gate') IS NOT NULL")
                .query(Boolean.class)
                .single()) {
            jdbc.sql("INSERT INTO remote_test_gate VALUES (true)").update();
        }
        jdbc.sql("DROP TRIGGER IF EXISTS remote_test_gate ON attribution").update();
        jdbc.sql("DROP TRIGGER IF EXISTS remote_test_decided ON attribution").update();
        jdbc.sql("DROP FUNCTION IF EXISTS remote_test_gate()").update();
        jdbc.sql("DROP FUNCTION IF EXISTS remote_test_decided()").update();
        jdbc.sql("DROP TABLE IF EXISTS remote_test_gate, remote_test_decided").update();
    }

    /**
     * Two workers, a partition each; while one decides in the gate, its request is delivered again to the other,
     * which waits for it; the first is killed: the other resumes the partition from its last committed chunk, and
     * the dead worker's request, delivered to it after, finds the partition ended and does nothing.
     */
    @Test
    void twoWorkersDecideAsALocalRunThroughADuplicateRequestAndTheDeathOfTheWorkerRunningIt() throws Exception {
        List<String> local = sampleMatchback();
        emptyTables();
        long pending = seed();
        closeTheGateAtTheLastPendingAttribution();
        PaperRunProcess a = worker("worker-a", 1);
        PaperRunProcess b = worker("worker-b", 1);
        awaitListening(a);
        awaitListening(b);
        PaperRunProcess launcher = paperrun("launcher", "run", "attribution-processing");

        String held = awaitWaitingAtTheGate();
        assertThat(held).isIn("worker-a", "worker-b");
        PaperRunProcess dying = held.equals("worker-a") ? a : b;
        PaperRunProcess surviving = dying == a ? b : a;
        assertThat(committedInTheGatesPartition())
                .as("the partition has committed chunks before the gate")
                .isPositive();
        long execution = lastExecutionId();
        await(
                "the other partition completes",
                () -> partitions(execution).stream().anyMatch(p -> p.startsWith("COMPLETED ")));
        long running = jdbc.sql("""
                        SELECT step_execution_id FROM batch_step_execution
                        WHERE job_execution_id = ? AND step_name LIKE '%:partition%' AND status = 'STARTED'
                        """).param(execution).query(Long.class).single();
        publish(new PartitionRequest("attribution-processing-decide", running));
        await(
                "the other worker waits for the partition's runner",
                () -> said(surviving)
                        .contains("attribution-processing-decide:partition1 (step execution " + running
                                + ") is still held by another " + "worker: waiting"));
        dying.kill();
        openTheGate();

        PaperRunProcess.Exit run = finish(launcher);
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("attribution-processing: execution " + execution + " completed");
        assertThat(Snapshot.of(jdbc)).isEqualTo(local);
        assertEachAttributionDecidedOnce(pending);
        assertThat(partitions(execution))
                .as("two partitions, each completed once, their decisions adding up to the pending attributions")
                .hasSize(2)
                .allSatisfy(p -> assertThat(p).startsWith("COMPLETED "));
        assertThat(writtenByPartitions(execution)).isEqualTo(pending);
        assertThat(said(surviving))
                .contains("attribution-processing-decide:partition1 (step execution " + running + " of job execution "
                        + execution + "): resumed from its last committed chunk");
        await(
                "the dead worker's request, delivered again, does nothing",
                () -> said(surviving)
                        .contains("(step execution " + running + ") has already ended COMPLETED: nothing to do"));
    }

    @Test
    void aRunWhoseWorkerAndLauncherDiedIsRestartedAndAFreshWorkerRunsOnlyItsUnfinishedPartition() throws Exception {
        List<String> local = sampleMatchback();
        emptyTables();
        long pending = seed();
        closeTheGateAtTheLastPendingAttribution();

        PaperRunProcess first = worker("worker-a", 2);
        awaitListening(first);
        PaperRunProcess launcher = paperrun("launcher", "run", "attribution-processing");
        assertThat(awaitWaitingAtTheGate()).isEqualTo("worker-a");
        assertThat(committedInTheGatesPartition())
                .as("the partition has committed chunks before the gate")
                .isPositive();
        long execution = lastExecutionId();
        await(
                "the partition without the gate completes",
                () -> partitions(execution).stream().anyMatch(p -> p.startsWith("COMPLETED ")));
        first.kill();
        launcher.kill();

        PaperRunProcess restart = paperrun("restarter", "restart", Long.toString(execution));
        await("the restart recovers the dead run and starts again", () -> lastExecutionId() > execution);
        openTheGate();
        worker("worker-b", 2);

        PaperRunProcess.Exit restarted = finish(restart);
        assertThat(restarted.code()).as(restarted.err()).isZero();
        assertThat(restarted.out())
                .contains("attribution-processing: restarted as execution " + (execution + 1) + ", completed");
        assertThat(Snapshot.of(jdbc)).isEqualTo(local);
        assertEachAttributionDecidedOnce(pending);
        String unfinished = jdbc.sql("""
                        SELECT step_name FROM batch_step_execution
                        WHERE job_execution_id = ? AND step_name LIKE '%:partition%' AND status <> 'COMPLETED'
                        """).param(execution).query(String.class).single();
        assertThat(partitions(execution + 1))
                .as("the restart ran again only the partition that had not completed")
                .singleElement()
                .asString()
                .startsWith("COMPLETED " + unfinished + " ");
        assertThat(partitions(execution))
                .as("the dead run's partition stays as the restart's recovery left it: its request, handed back by "
                        + "the dead worker, is not run again")
                .anyMatch(p -> p.startsWith("FAILED " + unfinished + " "));
        assertThat(writtenByPartitions(execution) + writtenByPartitions(execution + 1))
                .as("what the dead run committed and what its restart did add up to the pending attributions")
                .isEqualTo(pending);
    }

    /**
     * {@code paperrun stop} on a run whose partitions run on a worker: the worker's partition stops at its next
     * chunk boundary, the run ends STOPPED, and {@code paperrun restart} finishes it on the worker, each attribution
     * decided once.
     */
    @Test
    void aRunStoppedWhileAWorkerRunsItsPartitionStopsAtAChunkBoundaryAndItsRestartFinishesIt() throws Exception {
        long pending = seed();
        // The third attribution of the second partition: a chunk of 2 committed before the gate, more after it.
        closeTheGateAt(jdbc.sql("SELECT attribution_id FROM attribution_pending WHERE attribution_id >= ? "
                        + "ORDER BY attribution_id OFFSET 2 LIMIT 1")
                .param(secondSpanFrom)
                .query(Long.class)
                .single());
        PaperRunProcess worker = worker("worker-a", 2);
        awaitListening(worker);
        PaperRunProcess launcher = paperrun("launcher", "run", "attribution-processing");
        assertThat(awaitWaitingAtTheGate()).isEqualTo("worker-a");
        long execution = lastExecutionId();
        await(
                "the partition without the gate completes",
                () -> partitions(execution).stream().anyMatch(p -> p.startsWith("COMPLETED ")));

        run(0, "stop", Long.toString(execution));
        openTheGate();
        PaperRunProcess.Exit stopped = finish(launcher);
        assertThat(stopped.code()).as(stopped.err()).isEqualTo(1);
        assertThat(stopped.err())
                .contains("attribution-processing: execution " + execution + " STOPPED")
                .contains("restart it from its last committed chunk with: paperrun restart " + execution);
        assertThat(partitions(execution))
                .anyMatch(p -> p.startsWith("STOPPED attribution-processing-decide:partition1"));
        assertThat(count("attribution_pending"))
                .as("the stopped partition left work")
                .isPositive();

        PaperRunProcess.Exit restarted = finish(paperrun("launcher", "restart", Long.toString(execution)));
        assertThat(restarted.code()).as(restarted.err()).isZero();
        assertThat(partitions(execution + 1)).singleElement().asString().startsWith("COMPLETED ");
        assertEachAttributionDecidedOnce(pending);
    }

    @Test
    void aWorkerStoppedBySigtermHandsBackWhatItStillRunsAfterItsDrainAndAnotherWorkerCompletesIt() throws Exception {
        long pending = seed();
        closeTheGateAtTheLastPendingAttribution();
        PaperRunProcess stopped = worker("worker-a", 2, "PT1S");
        awaitListening(stopped);
        PaperRunProcess launcher = paperrun("launcher", "run", "attribution-processing");
        assertThat(awaitWaitingAtTheGate()).isEqualTo("worker-a");

        stopped.process().destroy(); // SIGTERM
        assertThat(stopped.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        PaperRunProcess.Exit exit = stopped.exit();
        assertThat(exit.code())
                .as("ended as SIGTERM ends a process: " + exit.out() + exit.err())
                .isEqualTo(143);
        assertThat(exit.out())
                .contains("worker: stopping: no more partitions; letting the running ones finish for PT1S")
                .contains("worker: handing back step executions [")
                .doesNotContain("worker: stopped");
        PaperRunProcess other = worker("worker-b", 2, "PT90S");
        openTheGate();

        PaperRunProcess.Exit run = finish(launcher);
        assertThat(run.code()).as(run.err()).isZero();
        assertEachAttributionDecidedOnce(pending);
        assertThat(partitions(lastExecutionId()))
                .hasSize(2)
                .allSatisfy(p -> assertThat(p).startsWith("COMPLETED "));
        assertThat(said(other)).contains("resumed from its last committed chunk");

        other.process().destroy();
        assertThat(other.process().waitFor(60, TimeUnit.SECONDS))
                .as("an idle worker stops at once")
                .isTrue();
        assertThat(other.exit().code()).isEqualTo(143);
        assertThat(other.exit().out()).contains("worker: stopped").doesNotContain("handing back");
    }

    @Test
    void orderSyncAndProofingRunOnTheWorkersAsInTheLaunchingProcessProofsOnTheSharedDataDirectory() throws Exception {
        String fromFile = attributionsFromTheSampleFile();
        server.setDispatcher(ometria);
        ometria.putSample();
        applyWithSampleCampaigns(
                dir,
                organization("acme", "ometria", "{api_key: \"${OMETRIA_KEY}\", base_url: \"" + server.url("/") + "\"}")
                        + organization(
                                "beta",
                                "ometria",
                                "{api_key: \"${OMETRIA_BETA_KEY}\", base_url: \"" + server.url("/") + "\"}"));
        importSampleRecipients();
        Path shared = Files.createDirectories(dir.resolve("shared-data"));
        Map<String, String> metrics = Map.of(
                "PAPERRUN_METRICS_PUSHGATEWAY",
                gateway.url("/").toString(),
                "PAPERRUN_METRICS_PUSH_INTERVAL",
                "PT1S",
                "PAPERRUN_DATA_DIR",
                shared.toString());
        PaperRunProcess a = worker("worker-a", 1, "PT90S", metrics);
        PaperRunProcess b = worker("worker-b", 1, "PT90S", metrics);
        awaitListening(a);
        awaitListening(b);

        PaperRunProcess.Exit sync = finish(paperrun("launcher", "run", "order-sync"));
        assertThat(sync.code()).as(sync.err() + said(a) + said(b)).isEqualTo(1);
        assertThat(sync.out()).contains("acme (ometria): 19 read, 19 new, 0 updated, ");
        assertThat(sync.err())
                .as("the organization whose key is refused fails alone, said as a local run says it")
                .contains("order-sync: execution " + lastExecutionId() + " FAILED: 1 of 2 organizations failed")
                .contains("  beta (ometria): FAILED: GET ")
                .contains("status 403, Ometria refused the credentials (integrations.ometria.api_key)");
        assertThat(said(a) + said(b))
                .as("each organization's partition ran on a worker")
                .contains("order-sync-orders:partition0 (step execution ")
                .contains("order-sync-orders:partition1 (step execution ");
        PaperRunProcess.Exit decide = finish(paperrun("launcher", "run", "attribution-processing"));
        assertThat(decide.code()).as(decide.err()).isZero();
        assertThat(exportAttributions()).isEqualTo(fromFile);
        assertThat(ometria.requests()).hasSize(2);

        // Proofing: one partition per campaign, rendered on the workers into the data directory they share with
        // the launching process, and said by it as a local run says it.
        run(0, "import", "recipients", "--org", "acme", "--file", EXAMPLES + "spring-audience.csv");
        run(0, "run", "address-enrichment");
        PaperRunProcess.Exit proofing =
                finish(paperrun("launcher", Map.of("PAPERRUN_DATA_DIR", shared.toString()), "run", "proofing"));
        assertThat(proofing.code()).as(proofing.err() + said(a) + said(b)).isZero();
        long proofed = jdbc.sql("SELECT count(*) FROM recipient WHERE status = 'proofed'")
                .query(Long.class)
                .single();
        assertThat(proofed).isPositive();
        assertThat(proofing.out())
                .contains("proofs: " + proofed + " proofed, 0 failed")
                .contains("acme/spring-2025: " + proofed + " proofed, 0 failed");
        assertThat(said(a) + said(b)).contains("proofing-proof:partition0 (step execution ");
        for (String proof : jdbc.sql("SELECT proof_front FROM recipient WHERE status = 'proofed'")
                .query(String.class)
                .list()) {
            assertThat(shared.resolve(proof))
                    .as("written by a worker to the shared data directory")
                    .isRegularFile();
        }

        String host = InetAddress.getLocalHost().getHostName();
        RecordedRequest push = gateway.takeRequest(30, TimeUnit.SECONDS);
        assertThat(push).as("a worker's metrics pushed").isNotNull();
        assertThat(push.getUrl().encodedPath())
                .as("to its own instance of the job's group, never over the launching process's")
                .startsWith("/metrics/job/paperrun/batch_job/")
                .endsWith("/instance/worker-" + host);
    }

    /** The sample's recipients and orders, imported here; returns the attributions left to decide. */
    private long seed() {
        applySample();
        importSampleRecipients();
        importSampleOrders();
        long pending = count("attribution_pending");
        assertThat(pending).as("attributions for stage B").isGreaterThan(4);
        long[] span = jdbc.sql("SELECT min(attribution_id), max(attribution_id) FROM attribution_pending")
                .query((rs, i) -> new long[] {rs.getLong(1), rs.getLong(2)})
                .single();
        secondSpanFrom = span[0] + (span[1] - span[0] + 1) / 2;
        jdbc.sql("CREATE TABLE remote_test_decided (attribution_id bigint)").update();
        jdbc.sql("CREATE FUNCTION remote_test_decided() RETURNS trigger AS $$ BEGIN "
                        + "INSERT INTO remote_test_decided VALUES (NEW.id); RETURN NEW; END $$ LANGUAGE plpgsql")
                .update();
        jdbc.sql("CREATE TRIGGER remote_test_decided AFTER UPDATE ON attribution FOR EACH ROW "
                        + "WHEN (NOT OLD.processed AND NEW.processed) EXECUTE FUNCTION remote_test_decided()")
                .update();
        return pending;
    }

    /**
     * From now on, the decision of the last pending attribution (the second partition's last chunk) waits until
     * the test opens the gate.
     */
    private void closeTheGateAtTheLastPendingAttribution() {
        closeTheGateAt(jdbc.sql("SELECT max(attribution_id) FROM attribution_pending")
                .query(Long.class)
                .single());
    }

    /** As {@link #closeTheGateAtTheLastPendingAttribution}, at attribution {@code gate}. */
    private void closeTheGateAt(long gate) {
        jdbc.sql("CREATE TABLE remote_test_gate (open boolean)").update();
        jdbc.sql("CREATE FUNCTION remote_test_gate() RETURNS trigger AS $$ BEGIN IF NEW.id = " + gate
                        + " THEN WHILE NOT EXISTS (SELECT 1 FROM remote_test_gate) LOOP PERFORM pg_sleep(0.05); "
                        + "END LOOP; END IF; RETURN NEW; END $$ LANGUAGE plpgsql")
                .update();
        jdbc.sql("CREATE TRIGGER remote_test_gate BEFORE UPDATE ON attribution FOR EACH ROW "
                        + "WHEN (NOT OLD.processed AND NEW.processed) EXECUTE FUNCTION remote_test_gate()")
                .update();
    }

    private void openTheGate() {
        jdbc.sql("INSERT INTO remote_test_gate VALUES (true)").update();
    }

    /** Until a session sleeps in the gate; returns its application name (which process it is). */
    private String awaitWaitingAtTheGate() throws InterruptedException {
        await("a worker reaches the gate", () -> !sleepingAtTheGate().isEmpty());
        return sleepingAtTheGate().get(0);
    }

    private List<String> sleepingAtTheGate() {
        return jdbc.sql("SELECT application_name FROM pg_stat_activity WHERE wait_event = 'PgSleep' "
                        + "AND pid <> pg_backend_pid()")
                .query(String.class)
                .list();
    }

    /**
     * The decisions committed in the gate's partition, the second of two equal spans of the pending ids (as
     * {@link Partitions#byIdRange} splits them).
     */
    private long committedInTheGatesPartition() {
        return jdbc.sql("SELECT count(*) FROM remote_test_decided WHERE attribution_id >= ?")
                .param(secondSpanFrom)
                .query(Long.class)
                .single();
    }

    private void assertEachAttributionDecidedOnce(long pending) {
        assertThat(jdbc.sql("SELECT attribution_id || ' x' || count(*) FROM remote_test_decided "
                                + "GROUP BY attribution_id HAVING count(*) > 1")
                        .query(String.class)
                        .list())
                .as("no attribution decided in two committed chunks")
                .isEmpty();
        assertThat(count("remote_test_decided")).isEqualTo(pending);
        assertThat(count("attribution_pending")).isZero();
    }

    /** The execution's partitions: {@code STATUS step-name written}. */
    private List<String> partitions(long execution) {
        return jdbc.sql("""
                        SELECT status || ' ' || step_name || ' ' || write_count FROM batch_step_execution
                        WHERE job_execution_id = ? AND step_name LIKE 'attribution-processing-decide:partition%'
                        ORDER BY step_name
                        """).param(execution).query(String.class).list();
    }

    private long writtenByPartitions(long execution) {
        return jdbc.sql("""
                        SELECT coalesce(sum(write_count), 0) FROM batch_step_execution
                        WHERE job_execution_id = ? AND step_name LIKE 'attribution-processing-decide:partition%'
                        """).param(execution).query(Long.class).single();
    }

    /** Sends a request to the run's queue, as a launching process does. */
    private void publish(PartitionRequest request) throws Exception {
        TestBroker.onChannel(
                channel -> channel.basicPublish("", queue, MessageProperties.PERSISTENT_BASIC, request.json()));
    }

    private static String said(PaperRunProcess process) {
        try {
            return Files.readString(process.err());
        } catch (IOException e) {
            return "";
        }
    }

    private PaperRunProcess worker(String name, int partitions) throws IOException {
        return worker(name, partitions, "PT90S");
    }

    private PaperRunProcess worker(String name, int partitions, String drain) throws IOException {
        return worker(name, partitions, drain, Map.of());
    }

    private PaperRunProcess worker(String name, int partitions, String drain, Map<String, String> more)
            throws IOException {
        Map<String, String> env = new HashMap<>(environment(name));
        env.putAll(more);
        env.put("PAPERRUN_BROKER_WORKER_DRAIN", drain);
        env.put("PAPERRUN_BROKER_WORKER_PARTITIONS", Integer.toString(partitions));
        env.put("PAPERRUN_BATCH_CHUNK_SIZE", "2");
        return started(PaperRunProcess.start(dir, env, List.of(), "worker"));
    }

    private PaperRunProcess paperrun(String name, String... args) throws IOException {
        return paperrun(name, Map.of(), args);
    }

    private PaperRunProcess paperrun(String name, Map<String, String> more, String... args) throws IOException {
        Map<String, String> env = new HashMap<>(environment(name));
        env.putAll(more);
        return started(PaperRunProcess.start(dir, env, List.of(), args));
    }

    private PaperRunProcess started(PaperRunProcess process) {
        processes.add(process);
        return process;
    }

    /** A process of the run: the test's database (sessions named {@code name}) and broker. */
    private Map<String, String> environment(String name) {
        String url = TestDatabase.jdbcUrl();
        return Map.of(
                "SPRING_DATASOURCE_URL",
                url + (url.contains("?") ? "&" : "?") + "ApplicationName=" + name,
                "SPRING_DATASOURCE_USERNAME",
                "postgres",
                "PAPERRUN_BROKER_URL",
                TestBroker.url(),
                "PAPERRUN_BROKER_QUEUE",
                queue,
                "PAPERRUN_BROKER_POLL_INTERVAL",
                "PT0.2S",
                "PAPERRUN_LOG_LEVEL",
                "INFO",
                "OMETRIA_KEY",
                OMETRIA_KEY,
                "OMETRIA_BETA_KEY",
                "om-key-beta-wrong");
    }

    private void awaitListening(PaperRunProcess worker) throws InterruptedException {
        await("worker listening", () -> {
            try {
                return Files.readString(worker.out()).contains("worker: taking partitions from queue " + queue);
            } catch (IOException e) {
                return false;
            }
        });
    }

    private static PaperRunProcess.Exit finish(PaperRunProcess process) throws Exception {
        assertThat(process.process().waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                .as("the run ends")
                .isTrue();
        return process.exit();
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                StringBuilder said = new StringBuilder();
                for (PaperRunProcess process : processes) {
                    try {
                        said.append("\n--- ")
                                .append(process.err())
                                .append('\n')
                                .append(Files.readString(process.err()));
                    } catch (IOException e) {
                        said.append(e);
                    }
                }
                throw new AssertionError("timed out: " + what + said);
            }
            Thread.sleep(100);
        }
    }
}
