package io.paperrun.order;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.paperrun.integration.http.JdkLogging;
import io.paperrun.support.Cli;
import io.paperrun.support.DatabaseTest;
import io.paperrun.support.OmetriaServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Secrets planted in the environment an apply file references go through a sync that succeeds, retries, rejects a
 * record and is refused; they appear in no log line, no command output, nothing the job repository or the domain
 * tables hold, and no export. A secret written in clear in an apply file is refused without being repeated.
 */
class PlantedSecretTest extends DatabaseTest {

    private static final String GOOD = "om_PLANTED_acme_7f3a9c";
    private static final String WRONG = "om_PLANTED_beta_51e0d2";
    private static final String PLANTED = "PLANTED";

    /** The tables a secret could reach: the job repository, the sync's records, rejected rows, orders. */
    private static final List<String> TABLES = List.of(
            "batch_job_instance",
            "batch_job_execution",
            "batch_job_execution_params",
            "batch_job_execution_context",
            "batch_step_execution",
            "batch_step_execution_context",
            "organization",
            "order_sync_run",
            "order_sync_checkpoint",
            "rejected_row",
            "customer_order",
            "attribution");

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final OmetriaServer ometria = new OmetriaServer(GOOD);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    private final Logger paperrun = (Logger) LoggerFactory.getLogger("io.paperrun");
    private final List<String> printed = new ArrayList<>();
    private Level rootLevel;
    private Level paperrunLevel;

    @TempDir
    Path dir;

    @BeforeEach
    void plantAndCapture() {
        server.setDispatcher(ometria);
        System.setProperty("OMETRIA_KEY", GOOD);
        System.setProperty("OMETRIA_BETA_KEY", WRONG);
        JdkLogging.forwardEverything();
        rootLevel = root.getLevel();
        paperrunLevel = paperrun.getLevel();
        root.setLevel(Level.TRACE);
        paperrun.setLevel(Level.TRACE);
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void restore() {
        root.detachAppender(logs);
        root.setLevel(rootLevel);
        paperrun.setLevel(paperrunLevel);
        JdkLogging.restore();
        System.clearProperty("OMETRIA_KEY");
        System.clearProperty("OMETRIA_BETA_KEY");
    }

    @Test
    void aPlantedSecretAppearsNowhere() throws IOException {
        Path apply = dir.resolve("apply.yaml");
        Files.writeString(apply, """
                organizations:
                  - slug: acme
                    sync_orders: true
                    order_source: ometria
                    integrations:
                      ometria: {api_key: "${OMETRIA_KEY}", base_url: "%s"}
                  - slug: beta
                    sync_orders: true
                    order_source: ometria
                    integrations:
                      ometria: {api_key: "${OMETRIA_BETA_KEY}", base_url: "%s"}
                """.formatted(server.url("/"), server.url("/")));
        keep(run(0, "apply", "-f", apply.toString()));
        ometria.putSample();
        ometria.putRaw("bad-1", Instant.parse("2025-02-01T00:00:00Z"), "{\"timestamp\": \"yesterday\"}");
        AtomicInteger calls = new AtomicInteger();
        ometria.failWhen(url -> calls.incrementAndGet() == 1, 503); // the first request is retried

        keep(run(1, "run", "order-sync"));
        keep(run(1, "run", "order-sync"));
        keep(run(0, "executions"));
        keep(run(0, "export", "attributions", "--org", "acme", "--out", "-"));
        Path export = dir.resolve("attributions.csv");
        keep(run(0, "export", "attributions", "--org", "acme", "--out", export.toString()));
        printed.add(Files.readString(export));

        // The sync did what it must: acme's orders stored, its bad record rejected, beta refused.
        assertThat(count("customer_order")).isEqualTo(19);
        assertThat(jdbc.sql("SELECT record_id || ': ' || reason FROM rejected_row")
                        .query(String.class)
                        .list())
                .isNotEmpty()
                .allSatisfy(row -> assertThat(row).startsWith("bad-1: "));
        assertThat(String.join("\n", printed))
                .contains("beta (ometria): FAILED")
                .contains("rejected ometria acme bad-1: timestamp 'yesterday' is not an ISO-8601 instant");
        assertThat(logLines()).anyMatch(line -> line.contains("status 503") && line.contains("retrying"));
        assertThat(jdbc.sql("SELECT integrations::text FROM organization WHERE slug = 'acme'")
                        .query(String.class)
                        .single())
                .contains("${OMETRIA_KEY}");

        assertThat(String.join("\n", printed)).doesNotContain(PLANTED);
        assertThat(logLines()).isNotEmpty().noneMatch(line -> line.contains(PLANTED));
        for (String table : TABLES) {
            assertThat(jdbc.sql("SELECT coalesce(string_agg(row_to_json(t)::text, '\n'), '') FROM " + table + " t")
                            .query(String.class)
                            .single())
                    .as(table)
                    .doesNotContain(PLANTED);
        }
    }

    @Test
    void aSecretWrittenInClearIsRefusedWithoutBeingRepeated() throws IOException {
        Path apply = dir.resolve("apply.yaml");
        Files.writeString(apply, """
                organizations:
                  - slug: acme
                    order_source: ometria
                    integrations:
                      ometria: {api_key: "%s"}
                """.formatted(GOOD));
        Cli.Result refused = run(2, "apply", "-f", apply.toString());
        assertThat(refused.err())
                .contains("organizations[0].integrations.ometria.api_key: must be a reference to an environment "
                        + "variable")
                .doesNotContain(PLANTED);
        assertThat(count("organization")).isZero();
        assertThat(logLines()).noneMatch(line -> line.contains(PLANTED));
    }

    private void keep(Cli.Result result) {
        printed.add(result.out());
        printed.add(result.err());
    }

    private List<String> logLines() {
        List<ILoggingEvent> logged;
        synchronized (logs) { // other threads (OkHttp, mock servers) may still be appending
            logged = List.copyOf(logs.list);
        }
        return logged.stream()
                .map(event -> event.getFormattedMessage()
                        + (event.getThrowableProxy() == null
                                ? ""
                                : "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy())))
                .toList();
    }
}
