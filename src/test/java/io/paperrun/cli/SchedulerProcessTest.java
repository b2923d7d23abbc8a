package io.paperrun.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.batch.ScheduleSettings;
import io.paperrun.database.EmbeddedDatabase;
import io.paperrun.support.PaperRunProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code paperrun scheduler} as a real process on the embedded database: it launches a job on its schedule, and a
 * SIGTERM stops that job at a chunk boundary and the scheduler with it; {@code paperrun restart} completes the job.
 */
class SchedulerProcessTest {

    private static final String EXAMPLES = "jobs-config/examples/";
    private static final int RECIPIENTS = 1500;

    @TempDir
    Path dir;

    @Test
    void aSigtermStopsTheRunningJobAtAChunkBoundaryThenTheSchedulerAndARestartCompletesTheJob() throws Exception {
        Path data = dir.resolve("data");
        assertThat(paperrun(Map.of(), "--data-dir", data.toString(), "apply", "-f", EXAMPLES + "acme.yaml")
                        .code())
                .isZero();
        StringBuilder audience = new StringBuilder("campaign,external_id,email,address1,city,region,zip,country\n");
        for (int i = 1; i <= RECIPIENTS; i++) {
            audience.append("spring-2025,s")
                    .append(i)
                    .append(",s")
                    .append(i)
                    .append("@example.com,")
                    .append(i)
                    .append(" Main St,Springfield,IL,62701,US\n");
        }
        Path file = Files.writeString(dir.resolve("audience.csv"), audience);
        PaperRunProcess.Exit imported = paperrun(
                Map.of(),
                "--data-dir",
                data.toString(),
                "import",
                "recipients",
                "--org",
                "acme",
                "--file",
                file.toString());
        assertThat(imported.code()).as(imported.err()).isZero();
        // Each enriched recipient takes a few milliseconds to store, so that the job is running when it is stopped.
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data);
                Connection c = DriverManager.getConnection(db.jdbcUrl());
                Statement st = c.createStatement()) {
            st.execute("CREATE FUNCTION slow() RETURNS trigger AS $$ BEGIN PERFORM pg_sleep(0.004); RETURN NEW; END "
                    + "$$ LANGUAGE plpgsql");
            st.execute("CREATE TRIGGER slow BEFORE UPDATE ON recipient FOR EACH ROW EXECUTE FUNCTION slow()");
        }

        Map<String, String> schedule = new HashMap<>();
        for (String job : List.of(
                "recipient-sync",
                "proofing",
                "mailing",
                "order-sync",
                "attribution-processing",
                "delivery-tracking",
                "experiment-report")) {
            schedule.put(ScheduleSettings.variable(job), "off");
        }
        schedule.put(ScheduleSettings.variable("address-enrichment"), "PT1H"); // at once, then hourly
        PaperRunProcess scheduler = PaperRunProcess.start(
                dir, schedule, List.of("-Dpaperrun.batch.chunk-size=50"), "--data-dir", data.toString(), "scheduler");
        try {
            awaitEnriched(data, 200, Duration.ofSeconds(90));
            scheduler.process().destroy(); // SIGTERM
            assertThat(scheduler.process().waitFor(90, TimeUnit.SECONDS)).isTrue();
        } finally {
            scheduler.process().destroyForcibly();
        }
        String out = Files.readString(scheduler.out());
        assertThat(out)
                .contains("  address-enrichment       every PT1H")
                .contains("  off: ")
                .containsPattern("address-enrichment: execution (\\d+) STOPPED: JobExecution interrupted\\.; "
                        + "restart it from its last committed chunk with: paperrun restart \\1")
                .contains(" scheduler: stopped");
        assertThat(Files.readString(scheduler.err())
                        .lines()
                        .filter(line -> !line.startsWith("address-enrichment-enrich: "))) // progress lines
                .as("nothing failed under the stopping job")
                .isEmpty();
        assertThat(data.resolve("postgres/postmaster.pid"))
                .as("the server was stopped")
                .doesNotExist();
        long execution = Long.parseLong(out.replaceAll("(?s).*address-enrichment: execution (\\d+) STOPPED.*", "$1"));

        PaperRunProcess.Exit restart =
                paperrun(Map.of(), "--data-dir", data.toString(), "restart", Long.toString(execution));
        assertThat(restart.code()).as(restart.err()).isZero();
        assertThat(restart.out()).contains("address-enrichment: restarted as execution ");
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data);
                Connection c = DriverManager.getConnection(db.jdbcUrl());
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT count(*) FILTER (WHERE enriched_at IS NULL), count(*) FROM recipient r "
                                + "JOIN campaign k ON k.id = r.campaign_id WHERE k.key = 'spring-2025'")) {
            rs.next();
            assertThat(rs.getLong(1)).as("not enriched").isZero();
            assertThat(rs.getLong(2)).isEqualTo(RECIPIENTS);
        }
    }

    /** Waits until the embedded database a running process holds has this many recipients enriched. */
    private static void awaitEnriched(Path data, long enriched, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the scheduler's enrichment never enriched " + enriched + " recipients");
            }
            Path pid = data.resolve("postgres/postmaster.pid");
            List<String> lines = Files.exists(pid) ? Files.readAllLines(pid) : List.of();
            if (lines.size() > 3) {
                String url = "jdbc:postgresql://127.0.0.1:" + lines.get(3).trim() + "/postgres?user=postgres";
                try (Connection c = DriverManager.getConnection(url);
                        ResultSet rs = c.createStatement()
                                .executeQuery("SELECT count(*) FROM recipient WHERE enriched_at IS NOT NULL")) {
                    rs.next();
                    if (rs.getLong(1) >= enriched) {
                        return;
                    }
                } catch (SQLException notYet) {
                    // Starting.
                }
            }
            Thread.sleep(100);
        }
    }

    private PaperRunProcess.Exit paperrun(Map<String, String> env, String... args) throws Exception {
        return PaperRunProcess.run(dir, env, List.of(), args);
    }
}
