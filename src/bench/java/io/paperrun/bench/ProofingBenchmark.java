package io.paperrun.bench;

import static io.paperrun.bench.AttributionBenchmark.execute;
import static io.paperrun.bench.AttributionBenchmark.text;
import static io.paperrun.bench.SyncBench.rate;
import static io.paperrun.bench.SyncBench.verdict;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;

/**
 * {@code scripts/bench.sh proofing}: the product's {@code run proofing}, a command in a JVM of its own, for one
 * campaign with the example win-back design and generated unique codes, on synthetic enriched pending recipients;
 * prints proofs per second, CPU, the command's peak heap, where the time went, and whether each was proofed once.
 */
final class ProofingBenchmark {

    private static final double GOAL_RATE = 50;
    private static final long GOAL_HEAP = 1L << 30;
    private static final String ORG = "bench";
    private static final String CAMPAIGN = "bench-winback";
    private static final Path DESIGNS = Path.of("jobs-config", "examples", "designs");

    /** What to run: how many recipients, whether to keep the files, and the command line. */
    record Settings(int recipients, boolean keep, String commandLine) {}

    private final Settings settings;
    private final PrintWriter out = new PrintWriter(System.out, true);

    ProofingBenchmark(Settings settings) {
        this.settings = settings;
    }

    /** Runs it in a temporary directory, removed afterwards unless kept; true when every recipient was proofed once. */
    boolean run() throws Exception {
        return SyncBench.inTemporaryDirectory(settings.keep(), out, this::measureAndReport);
    }

    private boolean measureAndReport(Connection db, MockWebServer unused, ProductProcess paperrun, Path work)
            throws Exception {
        Cpu cpu = new Cpu(work);
        Path files = work.resolve("files");
        Map<String, String> environment = Map.of("PAPERRUN_DATA_DIR", files.toString());
        Path apply = applyFile(work);
        out.println("PaperRun proofing benchmark (the example win-back design, generated unique codes)");
        out.println("command:  " + settings.commandLine());
        out.println("machine:  " + AttributionBenchmark.machine(db));
        out.printf(
                "settings: commands: %s; PostgreSQL fsync=%s synchronous_commit=%s; render threads: "
                        + "paperrun.proofing.threads (default: %d processors)%n",
                paperrun.describe(),
                text(db, "SHOW fsync"),
                text(db, "SHOW synchronous_commit"),
                Runtime.getRuntime().availableProcessors());
        out.printf(
                "data:     %,d pending recipients of one active campaign, their addresses enriched; the design "
                        + "%s (4x6, a QR code of the landing URL), codes WB- and 8 characters%n%n",
                settings.recipients(), DESIGNS.resolve("winback-front.html"));
        paperrun.run(environment, "apply", "-f", apply.toString());
        insertRecipients(db);
        execute(db, "VACUUM ANALYZE");
        execute(db, "CHECKPOINT");

        Phase phase = new Phase("run proofing", cpu);
        ProductProcess.Heap heap = paperrun.run(environment, "run", "proofing");
        phase.end();
        double stepSeconds = SyncBench.stepSeconds(db, "proofing", "proofing-proof");
        Stored stored = stored(db, files);
        String time = paperrun.lastOutput()
                .lines()
                .filter(l -> l.trim().startsWith("time:"))
                .findFirst()
                .orElse("  time: (not printed)")
                .trim();

        String header = "%-16s %8s %9s %8s %9s %8s %8s %8s %8s%n";
        out.printf(header, "run", "seconds", "proofs/s", "step s", "proofs/s", "product", "pg", "other", "steal");
        out.printf(
                "%-16s %8.1f %9s %8.1f %9s %8.1f %8.1f %8.1f %8.1f%n",
                phase.name,
                phase.seconds,
                rate(stored.proofed(), phase.seconds),
                stepSeconds,
                rate(stored.proofed(), stepSeconds),
                phase.javaCpu - phase.benchCpu,
                phase.pgCpu,
                phase.otherCpu,
                phase.steal);
        out.println("  proofs/s: recipients proofed over the command's wall time (its JVM's start and stop "
                + "included), then over the proofing step's (proofing-proof, from Spring Batch's tables); cpu "
                + "seconds of the product's command, of PostgreSQL, of everything else on the machine, and steal");
        out.printf(
                "  cpu per proof: %.1f ms (the product's command)%n",
                stored.proofed() == 0 ? 0 : (phase.javaCpu - phase.benchCpu) * 1e3 / stored.proofed());
        out.println("  " + time + " (the product's own measure, from its run summary)");
        out.println();
        SyncBench.reportHeap(out, phase.name, heap);
        SyncBench.explainHeap(out);
        double stepRate = stepSeconds > 0 ? stored.proofed() / stepSeconds : 0;
        String goal = "  %-40s %-8s (%s)%n";
        out.println("goals:");
        out.printf(
                goal,
                String.format(">= %.0f proofs/s (the step)", GOAL_RATE),
                verdict(stepRate >= GOAL_RATE),
                String.format("%.1f/s", stepRate));
        out.printf(
                goal,
                "heap under 1 GiB",
                verdict(heap.peakBytes() < GOAL_HEAP),
                String.format("%,d MiB", heap.peakBytes() >> 20));
        boolean right = stored.right(settings.recipients());
        out.printf(
                "correctness: %,d of %,d recipients proofed, %,d distinct codes, %,d PDFs and %,d previews on disk: "
                        + "%s%n",
                stored.proofed(),
                settings.recipients(),
                stored.codes(),
                stored.pdfs(),
                stored.previews(),
                right ? "each exactly once" : "WRONG");
        out.flush();
        return right;
    }

    private Path applyFile(Path work) throws IOException {
        Path designs = work.resolve("designs");
        Files.createDirectories(designs);
        for (String name : List.of("winback-front.html", "winback-back.html", "winback.css")) {
            Files.copy(DESIGNS.resolve(name), designs.resolve(name));
        }
        return Files.writeString(work.resolve("apply.yaml"), """
                organizations:
                  - slug: %s
                    name: Bench Co
                campaigns:
                  - key: %s
                    organization: %s
                    status: active
                    start_date: 2024-01-01
                    unique_codes: {generate: true, prefix: WB-, length: 8}
                    postcard:
                      size: 4x6
                      front: designs/winback-front.html
                      back: designs/winback-back.html
                      landing_url: "https://acme.example/p/{{discount_code}}"
                """.formatted(ORG, CAMPAIGN, ORG));
    }

    private void insertRecipients(Connection db) throws Exception {
        try (PreparedStatement st = db.prepareStatement("""
                INSERT INTO recipient (campaign_id, organization_id, natural_key, external_id, status, created_at,
                    email, email_lower, first_name, last_name, address1, city, region, zip, country, address_key,
                    enriched_at)
                SELECT c.id, c.organization_id, 'P' || g, 'P' || g, 'pending', now(), 'person' || g || '@example.com',
                    'person' || g || '@example.com', 'Person' || g, 'Bench', g || ' Main St', 'Springfield', 'IL',
                    '62701', 'US', g || ' MAIN ST|62701|US', now()
                FROM campaign c, generate_series(1, ?) g WHERE c.key = ?""")) {
            st.setInt(1, settings.recipients());
            st.setString(2, CAMPAIGN);
            st.executeUpdate();
        }
    }

    /** What the run stored: recipients proofed, their distinct codes, and the proofs' files on disk. */
    private record Stored(long proofed, long codes, long pdfs, long previews) {
        boolean right(long expected) {
            return proofed == expected && codes == expected && pdfs == expected && previews == expected;
        }
    }

    private static Stored stored(Connection db, Path files) throws Exception {
        long proofed;
        long codes;
        try (PreparedStatement st = db.prepareStatement("""
                SELECT count(*) FILTER (WHERE status = 'proofed' AND proof_front IS NOT NULL),
                       count(DISTINCT discount_code_upper)
                FROM recipient""");
                ResultSet rs = st.executeQuery()) {
            rs.next();
            proofed = rs.getLong(1);
            codes = rs.getLong(2);
        }
        Path proofs = files.resolve("proofs");
        long pdfs = 0;
        long previews = 0;
        if (Files.isDirectory(proofs)) {
            try (Stream<Path> all = Files.walk(proofs)) {
                for (Path p : (Iterable<Path>) all::iterator) {
                    String name = p.getFileName().toString();
                    pdfs += name.endsWith(".pdf") ? 1 : 0;
                    previews += name.endsWith("-front.png") ? 1 : 0;
                }
            }
        }
        return new Stored(proofed, codes, pdfs, previews);
    }
}
