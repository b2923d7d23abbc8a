package io.paperrun.mailing;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.integration.intelliprint.FakeIntelliPrint;
import io.paperrun.integration.lob.FakeLob;
import io.paperrun.integration.stannp.FakeStannp;
import io.paperrun.support.DatabaseTest;
import io.paperrun.support.PaperRunProcess;
import io.paperrun.support.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kill test (issue 18): real {@code paperrun run mailing} processes killed with {@code kill -9} at every step
 * boundary of the exactly-once protocol, and at random points, each followed by a restart; the fake Lob, Stannp
 * and IntelliPrint and the print files must count exactly one postcard per recipient, none missing.
 * {@code -Dpaperrun.kill.random-points=50} (scripts/kill-sweep.sh) sweeps 50 random points; the suite runs a few.
 */
class MailingKillTest extends DatabaseTest {

    private static final int RANDOM_POINTS = Integer.getInteger("paperrun.kill.random-points", 2);
    private static final long SEED = Long.getLong("paperrun.kill.seed", 18L);

    @TempDir
    Path dir;

    private final FakeLob lob = new FakeLob("lob-key");
    private final FakeStannp stannp = new FakeStannp("stannp-key");
    private final FakeIntelliPrint intelliprint = new FakeIntelliPrint("ip-key");
    private final HeldCreates lobCreates = new HeldCreates(
            lob, r -> "POST".equals(r.getMethod()) && r.getUrl().encodedPath().equals("/v1/postcards"));
    private final HeldCreates stannpCreates = new HeldCreates(
            stannp,
            r -> "POST".equals(r.getMethod()) && r.getUrl().encodedPath().equals("/v1/postcards/create"));
    private final HeldCreates intelliprintCreates = new HeldCreates(
            intelliprint,
            r -> "POST".equals(r.getMethod()) && r.getUrl().encodedPath().equals("/v1/prints"));
    private final List<MockWebServer> servers = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private Path data;
    private Path proof;

    @BeforeEach
    void printersAndProofedRecipients() throws IOException {
        data = Files.createDirectories(dir.resolve("data"));
        String lobUrl = serve(lobCreates);
        String stannpUrl = serve(stannpCreates);
        String intelliprintUrl = serve(intelliprintCreates);
        proof = MailingFixture.proof(dir);
        Files.writeString(dir.resolve("front.html"), "<p>Hello {{first_name}}</p>");
        Files.writeString(dir.resolve("back.html"), "<p>{{discount_code}}</p>");
        String campaign = """
                  - key: %s
                    organization: acme
                    status: active
                    start_date: 2024-01-01
                    cost_per_piece: 0.89
                    printer: %s
                    postcard: {size: %s, front: front.html, back: back.html}
                """;
        Path apply = Files.writeString(
                dir.resolve("apply.yaml"),
                """
                organizations:
                  - slug: acme
                    integrations:
                      lob: {api_key: "${LOB_KEY}", base_url: "%s"}
                      stannp: {api_key: "${STANNP_KEY}", region: uk, base_url: "%s"}
                      intelliprint: {api_key: "${INTELLIPRINT_KEY}", base_url: "%s"}
                campaigns:
                """.formatted(lobUrl, stannpUrl, intelliprintUrl)
                        + campaign.formatted("us", "auto", "4x6")
                        + campaign.formatted("uk", "auto", "A6")
                        + campaign.formatted("ip", "intelliprint", "A6"));
        run(0, "apply", "-f", apply.toString());
        addProofedRecipients("a", ALL);
    }

    @AfterEach
    void stopPrinters() throws IOException {
        lobCreates.release();
        stannpCreates.release();
        intelliprintCreates.release();
        for (MockWebServer server : servers) {
            server.close();
        }
    }

    @Test
    void eachPostcardIsMailedExactlyOnceThroughKillsAtEveryBoundaryAndAtRandomPoints() throws Exception {
        List<KillPoint> boundaries = List.of(
                hang(
                        "before sending commits",
                        "recipient",
                        "UPDATE",
                        "NEW.status = 'sending' AND OLD.status = 'sending_staged'",
                        1),
                held(
                        "Lob: sending committed, the create has not reached Lob",
                        "us",
                        lobCreates,
                        HeldCreates.Where.BEFORE_THE_PRINTER_ACTS,
                        2),
                held(
                        "Lob: created, the answer not received",
                        "us",
                        lobCreates,
                        HeldCreates.Where.AFTER_THE_PRINTER_ACTED,
                        1),
                hang(
                        "answers received, before sent commits",
                        "recipient",
                        "UPDATE",
                        "NEW.status = 'sent' AND OLD.status = 'sending'",
                        2),
                hang(
                        "settled, before the send step starts",
                        "batch_step_execution",
                        "INSERT",
                        "NEW.step_name = 'mailing-send'",
                        1),
                held(
                        "Stannp: sending committed, the create has not reached Stannp",
                        "uk",
                        stannpCreates,
                        HeldCreates.Where.BEFORE_THE_PRINTER_ACTS,
                        1),
                held(
                        "Stannp: created, the answer not received",
                        "uk",
                        stannpCreates,
                        HeldCreates.Where.AFTER_THE_PRINTER_ACTED,
                        2),
                held(
                        "IntelliPrint: sending committed, the create has not reached IntelliPrint",
                        "ip",
                        intelliprintCreates,
                        HeldCreates.Where.BEFORE_THE_PRINTER_ACTS,
                        1),
                held(
                        "IntelliPrint: created, the answer not received",
                        "ip",
                        intelliprintCreates,
                        HeldCreates.Where.AFTER_THE_PRINTER_ACTED,
                        2),
                hang("print file: sending committed, before the piece is recorded", "print_piece", "INSERT", "true", 2),
                hang(
                        "print file: piece recorded, before sent commits",
                        "recipient",
                        "UPDATE",
                        "NEW.status = 'sent' AND NEW.provider = 'print_file'",
                        1),
                hang(
                        "a chunk committed, before the next chunk's sending commits",
                        "recipient",
                        "UPDATE",
                        "NEW.status = 'sending' AND OLD.status = 'sending_staged'",
                        5),
                hang(
                        "sent, before the print files step starts",
                        "batch_step_execution",
                        "INSERT",
                        "NEW.step_name = 'mailing-print-files'",
                        1),
                hang(
                        "print files moved into place, before their run is marked written",
                        "print_run",
                        "UPDATE",
                        "NEW.written_at IS NOT NULL",
                        1));
        for (KillPoint point : boundaries) {
            assertThat(killAt(point))
                    .as("the boundary '" + point.name() + "' was reached\n" + log)
                    .isTrue();
        }
        complete();
        assertEachRecipientMailedOnce();

        // More work, then kills at random moments of runs that mail it.
        addProofedRecipients("b", ALL);
        lob.delayPostcards(Duration.ofMillis(60));
        stannp.delayPostcards(Duration.ofMillis(60));
        intelliprint.delay(Duration.ofMillis(60));
        Random random = new Random(SEED);
        for (int i = 0; i < RANDOM_POINTS; i++) {
            long after = 1_500 + random.nextInt(7_000);
            Instant[] launched = {Instant.MAX};
            killAt(new KillPoint(
                    "random: " + after + " ms after launch",
                    List.of(ALL.get(i % ALL.size())),
                    () -> launched[0] = Instant.now(),
                    () -> Duration.between(launched[0], Instant.now()).toMillis() >= after,
                    () -> {}));
        }
        complete();
        assertEachRecipientMailedOnce();
    }

    /**
     * A moment to kill the launched process at: armed before the launch, reached while it runs, then disarmed;
     * {@code work} names the kinds of recipients to add, proofed, before it is armed, so that it has work to reach.
     */
    private record KillPoint(String name, List<String> work, Runnable arm, BooleanSupplier reached, Runnable disarm) {}

    /** Launches the next run (a restart of an unfinished one, else a new run), kills it at {@code point}. */
    private boolean killAt(KillPoint point) throws Exception {
        if (!point.work().isEmpty()) {
            addProofedRecipients("k" + log.size(), point.work());
        }
        // A restart runs again only the campaigns its execution did not complete; when it completes without
        // reaching the point, a new run (which takes every campaign) is launched for it.
        for (int launch = 1; launch <= 2; launch++) {
            point.arm().run();
            Instant launched = Instant.now();
            PaperRunProcess process = launch();
            boolean reached = false;
            try {
                Instant deadline = Instant.now().plusSeconds(90);
                while (process.process().isAlive() && Instant.now().isBefore(deadline)) {
                    if (point.reached().getAsBoolean()) {
                        reached = true;
                        process.kill();
                        break;
                    }
                    Thread.sleep(20);
                }
            } finally {
                process.kill();
                point.disarm().run();
            }
            log.add(point.name() + ": "
                    + (reached
                            ? "killed"
                            : "not reached, exit " + process.exit().code()) + " after "
                    + Duration.between(launched, Instant.now()).toMillis() + " ms");
            if (reached || process.exit().code() != 0) {
                return reached;
            }
        }
        return false;
    }

    private void complete() throws Exception {
        PaperRunProcess process = launch();
        process.process().waitFor();
        assertThat(process.exit().code()).as(process.exit().toString()).isZero();
        PaperRunProcess.Exit again = PaperRunProcess.run(dir, environment(), options(), args("run", "mailing"));
        assertThat(again.code()).as(again.toString()).isZero();
        log.add("completed");
    }

    private PaperRunProcess launch() throws IOException {
        List<String> last = jdbc.sql("SELECT job_execution_id || ' ' || status FROM batch_job_execution e "
                        + "JOIN batch_job_instance i USING (job_instance_id) WHERE i.job_name = 'mailing' "
                        + "ORDER BY job_execution_id DESC LIMIT 1")
                .query(String.class)
                .list();
        String[] command = last.isEmpty() || last.get(0).endsWith("COMPLETED")
                ? args("run", "mailing")
                : args("restart", last.get(0).split(" ")[0]);
        return PaperRunProcess.start(dir, environment(), options(), command);
    }

    private String[] args(String... command) {
        List<String> args = new ArrayList<>(List.of("--data-dir", data.toString()));
        args.addAll(List.of(command));
        return args.toArray(String[]::new);
    }

    private static Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("SPRING_DATASOURCE_URL", TestDatabase.jdbcUrl());
        env.put("SPRING_DATASOURCE_USERNAME", "postgres");
        env.put("LOB_KEY", "lob-key");
        env.put("STANNP_KEY", "stannp-key");
        env.put("INTELLIPRINT_KEY", "ip-key");
        return env;
    }

    private static List<String> options() {
        return List.of("-Dpaperrun.batch.chunk-size=4", "-Dpaperrun.mailing.concurrency=2");
    }

    /** Hangs the {@code occurrence}-th {@code event} on {@code table} matching {@code condition} in the trigger. */
    private KillPoint hang(String name, String table, String event, String condition, int occurrence) {
        return new KillPoint(
                name,
                ALL,
                () -> {
                    jdbc.sql("CREATE SEQUENCE kill_point").update();
                    jdbc.sql("CREATE FUNCTION kill_point() RETURNS trigger AS $$ BEGIN IF " + condition
                                    + " AND nextval('kill_point') = " + occurrence
                                    + " THEN PERFORM pg_sleep(120); END IF; RETURN NEW; END $$ LANGUAGE plpgsql")
                            .update();
                    jdbc.sql("CREATE TRIGGER kill_point BEFORE " + event + " ON " + table
                                    + " FOR EACH ROW EXECUTE FUNCTION kill_point()")
                            .update();
                },
                () -> jdbc.sql("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep' "
                                        + "AND pid <> pg_backend_pid()")
                                .query(Long.class)
                                .single()
                        > 0,
                () -> {
                    // The killed process's session sleeps in the trigger, holding its locks, until it is ended.
                    jdbc.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event = 'PgSleep' "
                                    + "AND pid <> pg_backend_pid()")
                            .query(Boolean.class)
                            .list();
                    jdbc.sql("DROP TRIGGER kill_point ON " + table).update();
                    jdbc.sql("DROP FUNCTION kill_point()").update();
                    jdbc.sql("DROP SEQUENCE kill_point").update();
                });
    }

    private static KillPoint held(
            String name, String kind, HeldCreates creates, HeldCreates.Where where, int occurrence) {
        return new KillPoint(
                name, List.of(kind), () -> creates.holdCreate(where, occurrence), creates::reached, creates::release);
    }

    private static final List<String> ALL = List.of("us", "jp", "uk", "ip");

    /**
     * Proofed recipients of these kinds: {@code <batch>-us-N} (US, Lob), {@code -jp-N} (print file), {@code -uk-N}
     * (GB, Stannp) and {@code -ip-N} (GB, IntelliPrint), 8 of each.
     */
    private void addProofedRecipients(String batch, List<String> kinds) throws IOException {
        StringBuilder csv = new StringBuilder(
                "campaign,external_id,email,first_name,last_name,address1,address2,city,region,zip,country,status\n");
        Map<String, String> campaigns = Map.of("us", "us", "jp", "us", "uk", "uk", "ip", "ip");
        Map<String, String> places = Map.of(
                "us", "Springfield,IL,62701,US",
                "jp", "Tokyo,,100-0001,JP",
                "uk", "London,,SW1A 1AA,GB",
                "ip", "Leeds,,LS1 1AA,GB");
        for (String kind : kinds) {
            addRows(csv, batch, campaigns.get(kind), kind, 8, places.get(kind));
        }
        Path file = Files.writeString(dir.resolve("recipients-" + batch + ".csv"), csv);
        run(0, "import", "recipients", "--org", "acme", "--file", file.toString());
        jdbc.sql("UPDATE recipient SET status = 'proofed', proof_front = ?, proof_back = ? WHERE status = 'pending'")
                .param(proof.toString())
                .param(proof.toString())
                .update();
    }

    private static void addRows(StringBuilder csv, String batch, String campaign, String kind, int n, String place) {
        for (int i = 1; i <= n; i++) {
            String id = batch + "-" + kind + "-" + i;
            csv.append(campaign)
                    .append(',')
                    .append(id)
                    .append(',')
                    .append(id)
                    .append("@example.com,Pat,")
                    .append(id)
                    .append(',')
                    .append(i)
                    .append(" High St,,")
                    .append(place)
                    .append(",pending\n");
        }
    }

    private void assertEachRecipientMailedOnce() throws IOException {
        List<String> notSent = jdbc.sql("SELECT external_id || ' ' || status FROM recipient WHERE status <> 'sent'")
                .query(String.class)
                .list();
        assertThat(notSent).as("every recipient sent\n" + log).isEmpty();
        List<Map<String, Object>> pieces = jdbc.sql(
                        "SELECT id, external_id, provider, provider_piece_id, idempotency_key FROM recipient")
                .query()
                .listOfRows();
        List<String> manifest = manifestPieceIds();
        for (Map<String, Object> piece : pieces) {
            String key = (String) piece.get("idempotency_key");
            String external = (String) piece.get("external_id");
            String printer = (String) piece.get("provider");
            int made = switch (printer) {
                case "lob" ->
                    lob.postcardsByRecipient().getOrDefault(piece.get("id").toString(), 0);
                case "stannp" -> stannp.postcardsFor(key);
                case "intelliprint" -> intelliprint.printsFor(key);
                case "print_file" ->
                    (int) manifest.stream()
                            .filter(piece.get("provider_piece_id")::equals)
                            .count();
                default -> -1;
            };
            assertThat(made)
                    .as(external + " (" + printer + "): postcards made\n" + log)
                    .isEqualTo(1);
        }
        assertThat(lob.duplicateRecipients()).isEmpty();
        assertThat(stannp.duplicateAddresses()).isEmpty();
        assertThat(intelliprint.duplicateReferences()).isEmpty();
        long byPrinter = pieces.stream()
                .filter(p -> !"print_file".equals(p.get("provider")))
                .count();
        assertThat(lob.postcardsCreated() + stannp.postcardsCreated() + intelliprint.printsCreated())
                .as("postcards at the printers")
                .isEqualTo(byPrinter);
        assertThat(manifest).as("pieces in the manifests").hasSize(pieces.size() - (int) byPrinter);
    }

    /** Every piece id of every manifest written, once per manifest row. */
    private List<String> manifestPieceIds() throws IOException {
        List<String> ids = new ArrayList<>();
        Path print = data.resolve("print");
        if (!Files.isDirectory(print)) {
            return ids;
        }
        try (Stream<Path> manifests = Files.walk(print)) {
            for (Path manifest : manifests
                    .filter(p -> p.getFileName().toString().equals("manifest.csv")
                            && !p.getParent().getFileName().toString().startsWith("."))
                    .toList()) {
                List<String> lines = Files.readAllLines(manifest);
                lines.subList(1, lines.size()).forEach(line -> ids.add(line.split(",")[0]));
            }
        }
        return ids;
    }

    private String serve(HeldCreates dispatcher) throws IOException {
        MockWebServer server = new MockWebServer();
        server.setDispatcher(dispatcher);
        server.start();
        servers.add(server);
        String url = server.url("/").toString();
        return url.substring(0, url.length() - 1);
    }
}
