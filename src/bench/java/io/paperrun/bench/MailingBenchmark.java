package io.paperrun.bench;

import static io.paperrun.bench.AttributionBenchmark.execute;
import static io.paperrun.bench.AttributionBenchmark.text;
import static io.paperrun.bench.SyncBench.number;
import static io.paperrun.bench.SyncBench.verdict;

import io.paperrun.integration.http.RateLimit;
import io.paperrun.integration.lob.FakeLob;
import io.paperrun.integration.lob.LobPrinters;
import io.paperrun.mailing.MailingFixture;
import io.paperrun.mailing.MailingJobConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import mockwebserver3.MockWebServer;

/**
 * {@code scripts/bench.sh mailing}: the product's {@code run mailing}, a command in a JVM of its own, sending N proofed
 * US recipients of one campaign (printer auto) to a fake Lob in this JVM that allows 150 postcard requests per 5 s;
 * prints the send step's rate against that limit, 429s, postcards created and duplicates, the command's CPU and
 * peak heap, once per concurrency asked for.
 */
final class MailingBenchmark {

    /** The limit the fake enforces, requests a second. */
    static final double LIMIT_PER_SECOND = FakeLob.POSTCARD_LIMIT / (double) FakeLob.POSTCARD_WINDOW.toSeconds();

    private static final double GOAL_SHARE = 0.90;
    private static final double GOAL_THROTTLED = 0.01;
    private static final String KEY = "test_bench0123456789abcdef";
    private static final String CONCURRENCY_VARIABLE = "PAPERRUN_MAILING_CONCURRENCY";

    /**
     * What to run: the recipients, the fake's delay before each postcard answer, the product's mailing concurrencies
     * (none: its default), the options and the command line.
     */
    record Settings(int recipients, Duration latency, List<Integer> concurrencies, boolean keep, String commandLine) {}

    private final Settings settings;
    private final PrintWriter out = new PrintWriter(System.out, true);
    private ProductProcess paperrun;

    MailingBenchmark(Settings settings) {
        this.settings = settings;
    }

    /** Runs it in a temporary directory, removed afterwards unless kept; true when every run mailed each piece once. */
    boolean run() throws Exception {
        return SyncBench.inTemporaryDirectory(settings.keep(), out, (db, server, product, work) -> {
            paperrun = product;
            return measureAndReport(db, server, work);
        });
    }

    private boolean measureAndReport(Connection db, MockWebServer server, Path work) throws Exception {
        Cpu cpu = new Cpu(work);
        String baseUrl = "http://127.0.0.1:" + server.getPort();
        describeRun(db, baseUrl);
        String integrations =
                "    integrations:\n      lob: {api_key: \"${LOB_KEY}\", base_url: \"" + baseUrl + "\"}\n";
        paperrun.run(
                Map.of("LOB_KEY", KEY),
                "apply",
                "-f",
                MailingFixture.applyFile(work, integrations, "auto").toString());
        Path proof = MailingFixture.proof(work);
        List<OptionalInt> concurrencies = settings.concurrencies().isEmpty()
                ? List.of(OptionalInt.empty())
                : settings.concurrencies().stream().map(OptionalInt::of).toList();
        List<Run> runs = new ArrayList<>();
        for (OptionalInt concurrency : concurrencies) {
            // A file of its own for each import: an import of a file already imported is a job instance complete.
            Path recipients = MailingFixture.recipients(
                    Files.createDirectory(work.resolve("recipients-" + (runs.size() + 1))),
                    settings.recipients(),
                    "US");
            runs.add(mail(db, server, cpu, recipients, proof, concurrency));
        }
        report(runs);
        return runs.stream().allMatch(r -> r.onceEach(settings.recipients()));
    }

    private void describeRun(Connection db, String baseUrl) throws Exception {
        out.println("PaperRun mailing benchmark (Lob postcards, a fake Lob)");
        out.println("command:  " + settings.commandLine());
        out.println("machine:  " + AttributionBenchmark.machine(db));
        out.printf(
                "settings: commands: %s; chunks of 100 pieces (MailingJobConfig.MAX_CHUNK); PostgreSQL fsync=%s "
                        + "synchronous_commit=%s%n",
                paperrun.describe(), text(db, "SHOW fsync"), text(db, "SHOW synchronous_commit"));
        out.printf(
                "mailing:  %,d recipients (US, imported with 'import recipients', then set proofed in SQL) of one "
                        + "active campaign, 4x6 design, printer auto, integrations.lob with base_url %s; every "
                        + "recipient's proof is the same two-page PDF file (read and split per piece, as usual)%n",
                settings.recipients(), baseUrl);
        out.printf(
                "fake Lob: FakeLob (in this JVM, MockWebServer), postcard answers after %d ms; %d requests per %d s "
                        + "window (windows from the epoch), 429 with Retry-After beyond: %.0f requests/s%n",
                settings.latency().toMillis(),
                FakeLob.POSTCARD_LIMIT,
                FakeLob.POSTCARD_WINDOW.toSeconds(),
                LIMIT_PER_SECOND);
        RateLimit product = LobPrinters.RATE_LIMIT;
        out.printf(
                "product:  LobPrinters.RATE_LIMIT, %d requests per %d ms: at most %.1f requests/s%n",
                product.permits(),
                product.period().toMillis(),
                product.permits() * 1e9 / product.period().toNanos());
        out.println();
    }

    /**
     * One mailing: the command's phase, the send step's seconds (from Spring Batch's tables), the fake's usage and
     * counts, the heap, and what the database holds after it.
     */
    private record Run(
            String name,
            Phase phase,
            double stepSeconds,
            MailingRequests.Usage usage,
            int created,
            int distinctKeys,
            int duplicates,
            int replays,
            ProductProcess.Heap heap,
            Stored stored) {

        double rate() {
            return stepSeconds > 0 ? usage.answered() / stepSeconds : Double.NaN;
        }

        double share() {
            return rate() / LIMIT_PER_SECOND;
        }

        double throttledShare() {
            return usage.requests() == 0 ? 0 : usage.throttled() / (double) usage.requests();
        }

        boolean onceEach(int recipients) {
            return created == recipients
                    && distinctKeys == recipients
                    && duplicates == 0
                    && stored.sent() == recipients
                    && stored.byLob() == recipients
                    && stored.distinctPieces() == recipients;
        }
    }

    /** The recipients sent, sent by Lob, and their distinct postcard ids. */
    private record Stored(long sent, long byLob, long distinctPieces) {}

    private Run mail(Connection db, MockWebServer server, Cpu cpu, Path recipients, Path proof, OptionalInt concurrency)
            throws Exception {
        execute(db, "TRUNCATE recipient CASCADE");
        paperrun.run(Map.of("LOB_KEY", KEY), "import", "recipients", "--org", "acme", "--file", recipients.toString());
        try (PreparedStatement st = db.prepareStatement(
                "UPDATE recipient SET status = 'proofed', proof_front = ?, proof_back = ? WHERE status = 'pending'")) {
            st.setString(1, proof.toString());
            st.setString(2, proof.toString());
            if (st.executeUpdate() != settings.recipients()) {
                throw new IllegalStateException("the import did not create " + settings.recipients() + " recipients");
            }
        }
        execute(db, "VACUUM ANALYZE");
        execute(db, "CHECKPOINT");
        FakeLob lob = new FakeLob(KEY);
        lob.delayPostcards(settings.latency());
        MailingRequests requests = new MailingRequests(lob);
        server.setDispatcher(requests);
        Map<String, String> environment = new HashMap<>();
        environment.put("LOB_KEY", KEY);
        concurrency.ifPresent(c -> environment.put(CONCURRENCY_VARIABLE, Integer.toString(c)));
        String name = "run mailing, concurrency "
                + (concurrency.isPresent()
                        ? Integer.toString(concurrency.getAsInt())
                        : MailingJobConfig.CONCURRENCY + " (default)");
        Phase phase = new Phase(name, cpu);
        ProductProcess.Heap heap = paperrun.run(environment, "run", "mailing");
        phase.end();
        return new Run(
                name,
                phase,
                SyncBench.stepSeconds(db, "mailing", "mailing-send"),
                requests.usage(),
                lob.postcardsCreated(),
                lob.distinctKeys(),
                lob.duplicateRecipients().size(),
                lob.replays(),
                heap,
                stored(db));
    }

    private static Stored stored(Connection db) throws Exception {
        try (PreparedStatement st = db.prepareStatement("""
                SELECT count(*) FILTER (WHERE status = 'sent'),
                       count(*) FILTER (WHERE status = 'sent' AND provider = 'lob'),
                       count(DISTINCT provider_piece_id)
                FROM recipient""");
                ResultSet rs = st.executeQuery()) {
            rs.next();
            return new Stored(rs.getLong(1), rs.getLong(2), rs.getLong(3));
        }
    }

    private void report(List<Run> runs) {
        String header = "%-38s %8s %8s %10s %8s %8s %8s %8s %8s %8s %8s%n";
        String row = "%-38s %8.1f %8.1f %10.1f %7.1f%% %7.1f%% %8d %8.1f %8.1f %8.1f %8.1f%n";
        out.printf(
                header,
                "run",
                "seconds",
                "step s",
                "requests/s",
                "limit",
                "windows",
                "busiest",
                "product",
                "fake",
                "pg",
                "other");
        for (Run run : runs) {
            Phase p = run.phase();
            out.printf(
                    row,
                    run.name(),
                    p.seconds,
                    run.stepSeconds(),
                    run.rate(),
                    run.share() * 100,
                    run.usage().fullWindowShare() * 100,
                    run.usage().busiestWindow(),
                    p.javaCpu - p.benchCpu,
                    p.benchCpu,
                    p.pgCpu,
                    p.otherCpu);
        }
        out.printf(
                "  seconds: the command's wall time (its JVM's start and stop included); step s: the send step's "
                        + "(mailing-send, from Spring Batch's tables); requests/s: requests the fake answered (not "
                        + "429) over the step's seconds, and limit: that over %.0f/s; windows: the requests answered "
                        + "in the fake's 5 s windows between the first request's and the last's, over %d each; "
                        + "busiest: the most answered in one window; cpu seconds of the product's command, of the "
                        + "fake (this JVM), of PostgreSQL and of everything else on the machine%n",
                LIMIT_PER_SECOND, FakeLob.POSTCARD_LIMIT);
        out.println();
        for (Run run : runs) {
            MailingRequests.Usage u = run.usage();
            out.printf(
                    "API, %s: %,d requests, %,d answered 429 (%.2f%%), first to last %.1f s, over %d windows "
                            + "(%d between the first and the last, the quietest of them %d); %,d postcards created "
                            + "of %,d recipients, under %,d distinct keys, %,d replays%n",
                    run.name(),
                    u.requests(),
                    u.throttled(),
                    run.throttledShare() * 100,
                    u.firstToLastSeconds(),
                    u.windows(),
                    u.fullWindows(),
                    u.quietestFullWindow(),
                    run.created(),
                    settings.recipients(),
                    run.distinctKeys(),
                    run.replays());
        }
        out.println();
        for (Run run : runs) {
            SyncBench.reportHeap(out, run.name(), run.heap());
        }
        SyncBench.explainHeap(out);
        out.println();
        String goal = "  %-40s %-8s (%s)%n";
        for (Run run : runs) {
            out.println("goals, " + run.name() + ":");
            out.printf(
                    goal,
                    String.format(">= %.0f%% of the limit used", GOAL_SHARE * 100),
                    verdict(run.share() >= GOAL_SHARE),
                    String.format("%.1f%% over the send step", run.share() * 100));
            out.printf(
                    goal,
                    String.format("< %.0f%% of requests throttled", GOAL_THROTTLED * 100),
                    verdict(run.throttledShare() < GOAL_THROTTLED),
                    String.format(
                            "%s of %s",
                            number(run.usage().throttled()), number(run.usage().requests())));
            out.printf(goal, "no duplicates", verdict(run.duplicates() == 0), number(run.duplicates()));
            Stored s = run.stored();
            out.printf(
                    "correctness, %s: %,d postcards created of %,d recipients, %,d recipients sent (%,d by Lob, %,d "
                            + "distinct postcard ids), %,d recipients with more than one postcard: %s%n",
                    run.name(),
                    run.created(),
                    settings.recipients(),
                    s.sent(),
                    s.byLob(),
                    s.distinctPieces(),
                    run.duplicates(),
                    run.onceEach(settings.recipients()) ? "each exactly once" : "WRONG");
        }
        out.flush();
    }
}
