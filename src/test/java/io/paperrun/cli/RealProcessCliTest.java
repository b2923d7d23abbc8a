package io.paperrun.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.database.DataDirectory;
import io.paperrun.database.EmbeddedDatabase;
import io.paperrun.support.Cli;
import io.paperrun.support.DatabaseTest;
import io.paperrun.support.OmetriaServer;
import io.paperrun.support.PaperRunProcess;
import io.paperrun.support.SampleOrders;
import io.paperrun.support.Snapshot;
import io.paperrun.support.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as separate processes: the embedded database, its data directory, a process killed hard. */
class RealProcessCliTest extends DatabaseTest {

    @TempDir
    Path dir;

    record Exit(int code, String out, String err) {}

    /** How the import's progress lines start, should the step have run long enough to print them. */
    private static final String ORDERS_PROGRESS = "order-sync-orders: ";

    @Test
    void withNoDatabaseConfiguredTheEmbeddedOneKeepsItsDataInTheDataDirectory() throws Exception {
        Path data = dir.resolve("data");
        Exit first = paperrun(Map.of(), "--data-dir", data.toString(), "apply", "-f", EXAMPLES + "acme.yaml");
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("organization acme: created");
        // $PAPERRUN_DATA_DIR names the same directory; the data is still there.
        Exit second = paperrun(Map.of("PAPERRUN_DATA_DIR", data.toString()), "apply", "-f", EXAMPLES + "acme.yaml");
        assertThat(second.code()).as(second.err()).isZero();
        assertThat(second.out()).contains("organization acme: unchanged");
        assertThat(data.resolve("postgres/PG_VERSION")).exists();
    }

    @Test
    void aResultThatCannotBeWrittenToStandardOutputFailsInOneLine() throws Exception {
        sampleMatchback();
        Map<String, String> server =
                Map.of("SPRING_DATASOURCE_URL", TestDatabase.jdbcUrl(), "SPRING_DATASOURCE_USERNAME", "postgres");
        for (String[] command : List.of(
                new String[] {"export", "attributions", "--org", "acme", "--out", "-"}, new String[] {"executions"})) {
            PaperRunProcess started = start(server, List.of(), Path.of("/dev/full"), command);
            assertThat(started.process().waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(started.process().exitValue())
                    .as(Files.readString(started.err()))
                    .isEqualTo(1);
            assertThat(Files.readString(started.err()).strip())
                    .isEqualTo("paperrun: could not write to standard output: No space left on device");
        }
    }

    @Test
    void aSecondProcessOnTheSameDataDirectoryFailsWithAClearMessage() throws Exception {
        Path data = dir.resolve("busy");
        try (DataDirectory held = DataDirectory.lock(data)) {
            Exit second = paperrun(Map.of(), "--data-dir", data.toString(), "executions");
            assertThat(second.code()).isEqualTo(3);
            assertThat(second.err())
                    .contains("data directory " + data.toAbsolutePath() + " is in use by another paperrun process (pid "
                            + ProcessHandle.current().pid() + ")");
        }
    }

    @Test
    void aDatabaseThatCannotBeReachedIsReportedInOneLineWithoutItsSecrets() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Exit exit = paperrun(
                Map.of(
                        "SPRING_DATASOURCE_URL",
                        "jdbc:postgresql://127.0.0.1:" + closedPort + "/paperrun?password=s3cret",
                        "SPRING_DATASOURCE_PASSWORD",
                        "s3cret"),
                "executions");
        assertThat(exit.code()).isEqualTo(1);
        assertThat(exit.err().strip())
                .isEqualTo("paperrun: could not start (database jdbc:postgresql://127.0.0.1:" + closedPort
                        + "/paperrun): Connection refused");
        assertThat(exit.out()).isEmpty();
    }

    @Test
    void aSettingTheApplicationCannotUseIsReportedInOneLine() throws Exception {
        Exit exit = paperrun(
                Map.of(
                        "SPRING_DATASOURCE_URL",
                        TestDatabase.jdbcUrl(),
                        "SPRING_DATASOURCE_USERNAME",
                        "postgres",
                        "PAPERRUN_BATCH_PARTITIONS",
                        "two"),
                "executions");
        assertThat(exit.code()).as("bad usage: no execution to restart").isEqualTo(2);
        assertThat(exit.err().lines().toList())
                .singleElement()
                .asString()
                .isEqualTo("paperrun: could not start (database "
                        + Session.Opener.withoutCredentials(TestDatabase.jdbcUrl())
                        + "): setting paperrun.batch.partitions (PAPERRUN_BATCH_PARTITIONS) "
                        + "must be a whole number, not \"two\"");

        Exit zero = paperrun(
                Map.of(
                        "SPRING_DATASOURCE_URL",
                        TestDatabase.jdbcUrl(),
                        "SPRING_DATASOURCE_USERNAME",
                        "postgres",
                        "PAPERRUN_BATCH_CHUNK_SIZE",
                        "0"),
                "executions");
        assertThat(zero.code()).isEqualTo(2);
        assertThat(zero.err().lines().toList())
                .singleElement()
                .asString()
                .endsWith("): setting paperrun.batch.chunk-size (PAPERRUN_BATCH_CHUNK_SIZE) must be at least 1, not 0");

        Exit progress = paperrun(
                Map.of(
                        "SPRING_DATASOURCE_URL",
                        TestDatabase.jdbcUrl(),
                        "SPRING_DATASOURCE_USERNAME",
                        "postgres",
                        "PAPERRUN_PROGRESS",
                        "sometimes"),
                "executions");
        assertThat(progress.code()).isEqualTo(2);
        assertThat(progress.err().lines().toList())
                .singleElement()
                .asString()
                .endsWith("): setting paperrun.progress (PAPERRUN_PROGRESS) must be auto, terminal, chunk or off, "
                        + "not \"sometimes\"");

        Exit broker = paperrun(
                Map.of(
                        "SPRING_DATASOURCE_URL",
                        TestDatabase.jdbcUrl(),
                        "SPRING_DATASOURCE_USERNAME",
                        "postgres",
                        "PAPERRUN_BROKER_URL",
                        "http://ops:s3cret@rabbitmq:5672"),
                "executions");
        assertThat(broker.code()).isEqualTo(2);
        assertThat(broker.err().lines().toList())
                .singleElement()
                .asString()
                .contains("PAPERRUN_BROKER_URL must be the broker's amqp or amqps URL")
                .doesNotContain("s3cret");

        Exit logs = paperrun(Map.of("PAPERRUN_LOG_FORMAT", "json"), "executions");
        assertThat(logs.code()).isEqualTo(2);
        assertThat(logs.err())
                .isEqualTo("paperrun: PAPERRUN_LOG_FORMAT must be ecs, logstash or gelf (JSON logs), or text, not "
                        + "\"json\"\n");
    }

    @Test
    void anImportKilledHardIsRecoveredAndCompletedByRestart() throws Exception {
        Cli cli = cli();
        assertThat(cli.run("apply", "-f", EXAMPLES + "acme.yaml").exitCode()).isZero();
        assertThat(cli.run("import", "recipients", "--org", "acme", "--file", EXAMPLES + "recipients.csv")
                        .exitCode())
                .isZero();
        assertThat(cli.run("import", "orders", "--org", "acme", "--file", EXAMPLES + "orders.csv")
                        .exitCode())
                .isZero();
        assertThat(cli.run("run", "attribution-processing").exitCode()).isZero();
        List<String> uninterrupted = Snapshot.of(jdbc);
        emptyTables();
        assertThat(cli.run("apply", "-f", EXAMPLES + "acme.yaml").exitCode()).isZero();
        assertThat(cli.run("import", "recipients", "--org", "acme", "--file", EXAMPLES + "recipients.csv")
                        .exitCode())
                .isZero();

        // The import hangs on order 1010 (chunk 4 of 3 lines), after three chunks have committed.
        hangOnInserting("1010");
        Process importing = start(
                        Map.of(
                                "SPRING_DATASOURCE_URL",
                                TestDatabase.jdbcUrl(),
                                "SPRING_DATASOURCE_USERNAME",
                                "postgres"),
                        List.of("-Dpaperrun.batch.chunk-size=3"),
                        "import",
                        "orders",
                        "--org",
                        "acme",
                        "--file",
                        EXAMPLES + "orders.csv")
                .process();
        try {
            awaitOrders(9, Duration.ofSeconds(60));
            importing.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        } finally {
            importing.destroyForcibly();
            stopHanging();
        }
        long execution = jdbc.sql("SELECT max(job_execution_id) FROM batch_job_execution")
                .query(Long.class)
                .single();
        assertThat(jdbc.sql("SELECT status FROM batch_job_execution WHERE job_execution_id = ?")
                        .param(execution)
                        .query(String.class)
                        .single())
                .as("a killed process leaves its execution STARTED")
                .isEqualTo("STARTED");
        assertThat(cli.run("executions", "--status", "started")
                        .out()
                        .lines()
                        .skip(1)
                        .toList())
                .as("its partitions' committed lines are its count")
                .singleElement()
                .asString()
                .matches(execution + "\\s+order-sync\\s+STARTED\\s.*\\s" + count("customer_order") + "\\s+"
                        + count("customer_order") + "\\s+0(\\s.*)?");

        Cli.Result restart = cli.run("restart", Long.toString(execution));
        assertThat(restart.exitCode()).as(restart.toString()).isZero();
        assertThat(restart.out()).contains("restarted as execution").contains("19 imported, 0 rejected");
        assertThat(cli.run("run", "attribution-processing").exitCode()).isZero();
        assertThat(Snapshot.of(jdbc)).isEqualTo(uninterrupted);
        assertThat(jdbc.sql("SELECT status FROM batch_job_execution WHERE job_execution_id = ?")
                        .param(execution)
                        .query(String.class)
                        .single())
                .isEqualTo("FAILED");
    }

    @Test
    void aSyncFromAProviderKilledHardIsRestartedFromItsLastCommittedChunk() throws Exception {
        OmetriaServer ometria = new OmetriaServer("om-key-1");
        Instant start = Instant.parse("2025-01-01T00:00:00Z");
        for (int i = 0; i < 300; i++) {
            ometria.put(SampleOrders.plain(String.format("o-%04d", i)), start.plusSeconds(i));
        }
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(ometria);
            server.start();
            applyWithSampleCampaigns(
                    dir,
                    organization(
                            "acme", "ometria", "{api_key: \"${OMETRIA_KEY}\", base_url: \"" + server.url("/") + "\"}"));
            // The sync hangs on order o-0220, after four chunks of 50 have committed.
            hangOnInserting("o-0220");
            Process syncing = start(
                            Map.of(
                                    "SPRING_DATASOURCE_URL",
                                    TestDatabase.jdbcUrl(),
                                    "SPRING_DATASOURCE_USERNAME",
                                    "postgres",
                                    "OMETRIA_KEY",
                                    "om-key-1"),
                            List.of("-Dpaperrun.batch.chunk-size=50"),
                            "run",
                            "order-sync")
                    .process();
            try {
                awaitOrders(200, Duration.ofSeconds(60));
                syncing.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            } finally {
                syncing.destroyForcibly();
                stopHanging();
            }
            long killed = lastExecutionId();
            assertThat(count("customer_order")).isEqualTo(200);
            int asked = ometria.requests().size();

            System.setProperty("OMETRIA_KEY", "om-key-1");
            try {
                Cli.Result restart = cli().run("restart", Long.toString(killed));
                assertThat(restart.exitCode()).as(restart.toString()).isZero();
                assertThat(restart.out()).contains("acme (ometria): 100 read, 100 new, 0 updated, ");
            } finally {
                System.clearProperty("OMETRIA_KEY");
            }
            assertThat(count("customer_order")).isEqualTo(300);
            assertThat(jdbc.sql("SELECT count(DISTINCT provider_order_id) FROM customer_order")
                            .query(Long.class)
                            .single())
                    .isEqualTo(300);
            // The restart asked from the page of the last committed chunk, not from the start.
            assertThat(ometria.requests().get(asked).queryParameter("since")).isNotNull();
        }
    }

    /**
     * SIGTERM (a CronJob's deadline, {@code kill}) while an import runs on the embedded database: the job stops
     * at its next chunk boundary, says so in two lines, the server is stopped after it (not under it, as the
     * embedded-PostgreSQL library's own hook did: hundreds of lines of failed connections), and a restart
     * completes the import.
     */
    @Test
    void aSigtermStopsAnImportOnTheEmbeddedDatabaseAtAChunkBoundaryAndARestartCompletesIt() throws Exception {
        Path data = dir.resolve("sigterm");
        assertThat(paperrun(Map.of(), "--data-dir", data.toString(), "apply", "-f", EXAMPLES + "acme.yaml")
                        .code())
                .isZero();
        // Each order takes a few milliseconds to store, so that the import is still running when it is stopped.
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data);
                Connection c = DriverManager.getConnection(db.jdbcUrl());
                Statement st = c.createStatement()) {
            st.execute("CREATE FUNCTION slow() RETURNS trigger AS $$ BEGIN PERFORM pg_sleep(0.003); RETURN NEW; END "
                    + "$$ LANGUAGE plpgsql");
            st.execute("CREATE TRIGGER slow BEFORE INSERT ON customer_order FOR EACH ROW EXECUTE FUNCTION slow()");
        }
        StringBuilder orders = new StringBuilder("order_id,created_at,email,total\n");
        for (int i = 1; i <= 4000; i++) {
            orders.append(i).append(",2024-01-10T00:00:00Z,someone").append(i).append("@example.com,10.00\n");
        }
        Path file = Files.writeString(dir.resolve("orders-4000.csv"), orders);

        PaperRunProcess importing = start(
                Map.of(),
                List.of("-Dpaperrun.batch.chunk-size=50"),
                "--data-dir",
                data.toString(),
                "import",
                "orders",
                "--org",
                "acme",
                "--file",
                file.toString());
        try {
            awaitStoredOrders(data, 300, Duration.ofSeconds(90));
            importing.process().destroy(); // SIGTERM
            assertThat(importing.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            importing.process().destroyForcibly();
        }
        String err = Files.readString(importing.err());
        assertThat(err.lines().filter(line -> !line.startsWith(ORDERS_PROGRESS)))
                .as(err)
                .containsExactly(
                        "order-sync: execution 1 STOPPED: JobExecution interrupted.",
                        "restart it from its last committed chunk with: paperrun restart 1");
        assertThat(data.resolve("postgres/postmaster.pid"))
                .as("the server was stopped")
                .doesNotExist();

        Exit restart = paperrun(Map.of(), "--data-dir", data.toString(), "restart", "1");
        assertThat(restart.code()).as(restart.err()).isZero();
        assertThat(restart.out())
                .contains("order-sync: restarted as execution 2, completed")
                .contains("4000 imported, 0 rejected");
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data);
                Connection c = DriverManager.getConnection(db.jdbcUrl());
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT count(*), count(DISTINCT provider_order_id) FROM customer_order")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(4000);
            assertThat(rs.getLong(2)).isEqualTo(4000);
        }
    }

    /** Waits until the embedded database a running process holds has stored this many orders. */
    private static void awaitStoredOrders(Path data, long orders, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the import never stored " + orders + " orders");
            }
            Path pid = data.resolve("postgres/postmaster.pid");
            List<String> lines = Files.exists(pid) ? Files.readAllLines(pid) : List.of();
            if (lines.size() > 3) {
                String url = "jdbc:postgresql://127.0.0.1:" + lines.get(3).trim() + "/postgres?user=postgres";
                try (Connection c = DriverManager.getConnection(url);
                        ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM customer_order")) {
                    rs.next();
                    if (rs.getLong(1) >= orders) {
                        return;
                    }
                } catch (SQLException notYet) {
                    // Starting, or its schema not migrated yet.
                }
            }
            Thread.sleep(100);
        }
    }

    /** Makes the insert of order {@code orderId} hang (two minutes), as a process stuck mid-chunk. */
    private void hangOnInserting(String orderId) {
        jdbc.sql("CREATE FUNCTION hang() RETURNS trigger AS $$ BEGIN IF NEW.provider_order_id = '" + orderId
                        + "' THEN PERFORM pg_sleep(120); END IF; RETURN NEW; END $$ LANGUAGE plpgsql")
                .update();
        jdbc.sql("CREATE TRIGGER hang BEFORE INSERT ON customer_order FOR EACH ROW EXECUTE FUNCTION hang()")
                .update();
    }

    /** Ends the killed process's session, asleep in the trigger until its statement is ended, and the hang. */
    private void stopHanging() {
        jdbc.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event = 'PgSleep' "
                        + "AND pid <> pg_backend_pid()")
                .query(Boolean.class)
                .list();
        jdbc.sql("DROP TRIGGER hang ON customer_order").update();
        jdbc.sql("DROP FUNCTION hang()").update();
    }

    private void awaitOrders(long orders, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (count("customer_order") < orders) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the import never committed " + orders + " orders");
            }
            Thread.sleep(100);
        }
    }

    private Exit paperrun(Map<String, String> env, String... args) throws IOException, InterruptedException {
        PaperRunProcess.Exit exit = PaperRunProcess.run(dir, env, List.of(), args);
        return new Exit(exit.code(), exit.out(), exit.err());
    }

    private PaperRunProcess start(Map<String, String> env, List<String> jvmOptions, String... args) throws IOException {
        return PaperRunProcess.start(dir, env, jvmOptions, args);
    }

    private PaperRunProcess start(Map<String, String> env, List<String> jvmOptions, Path out, String... args)
            throws IOException {
        return PaperRunProcess.start(out, dir, env, jvmOptions, args);
    }
}
