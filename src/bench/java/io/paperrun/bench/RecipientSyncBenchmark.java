package io.paperrun.bench;

import static io.paperrun.bench.AttributionBenchmark.execute;
import static io.paperrun.bench.AttributionBenchmark.text;
import static io.paperrun.bench.SyncBench.number;
import static io.paperrun.bench.SyncBench.rate;
import static io.paperrun.bench.SyncBench.verdict;

import io.paperrun.integration.klaviyo.FakeKlaviyoSegment;
import io.paperrun.recipient.HoldoutAssignment;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockWebServer;

/**
 * {@code scripts/bench.sh recipient-sync}: the product's {@code run recipient-sync}, a command in a JVM of its own,
 * for a campaign filled from a fake Klaviyo segment in this JVM within Klaviyo's limits; prints the rate, the share
 * of the steady limit used, 429s, the statuses, the command's peak heap, and whether each member was stored once.
 */
final class RecipientSyncBenchmark {

    /** The limiter of the product's segment reading, requests a second ({@code SEGMENT_PROFILES_RATE_LIMIT}). */
    static final int PRODUCT_RATE = 12;
    /** Profiles a page, as the product asks ({@code KlaviyoAudienceSource.PAGE_SIZE}). */
    static final int PAGE_SIZE = 100;

    private static final double GOAL_STEADY_SHARE = 0.90;
    private static final long GOAL_HEAP = 1L << 30;
    private static final BigDecimal HOLDOUT_PERCENTAGE = BigDecimal.TEN;

    private static final String ORG = "bench";
    private static final String CAMPAIGN = "bench-segment";
    private static final String SEGMENT = "BenchSeg1";
    private static final String KEY = "pk_bench0123456789abcdef0123456789";
    private static final Instant FIRST_JOINED = Instant.parse("2026-01-01T00:00:00Z");

    /** What to run: the segment's size, the repetitions, the options, and the command line. */
    record Settings(int profiles, int repeat, boolean keep, String commandLine) {}

    private final Settings settings;
    private final PrintWriter out = new PrintWriter(System.out, true);
    private ProductProcess paperrun;

    RecipientSyncBenchmark(Settings settings) {
        this.settings = settings;
    }

    /** Whether generated member {@code index} is on the organization's do-not-mail list: every 1,000th from the 500th. */
    static boolean doNotMail(long index) {
        return index % 1000 == 500;
    }

    /** How many of members {@code 0..profiles-1} are on the do-not-mail list. */
    static long doNotMailMembers(long profiles) {
        return (profiles + 499) / 1000;
    }

    /** How many of members {@code 0..profiles-1} the campaign holds out: the rule's 10%, none suppressed. */
    static long holdouts(long profiles) {
        long held = 0;
        for (long i = 0; i < profiles; i++) {
            if (!doNotMail(i)
                    && HoldoutAssignment.inShare(HoldoutAssignment.draw(CAMPAIGN, email(i)), HOLDOUT_PERCENTAGE)) {
                held++;
            }
        }
        return held;
    }

    private static String email(long index) {
        return "member" + index + "@example.com";
    }

    /** Runs it in a temporary directory, removed afterwards unless kept; true when every run stored what it must. */
    boolean run() throws Exception {
        return SyncBench.inTemporaryDirectory(settings.keep(), out, (db, server, product, work) -> {
            paperrun = product;
            return measureAndReport(db, server, work);
        });
    }

    private boolean measureAndReport(Connection db, MockWebServer server, Path work) throws Exception {
        Cpu cpu = new Cpu(work);
        String baseUrl = "http://127.0.0.1:" + server.getPort();
        Expected expected =
                new Expected(settings.profiles(), holdouts(settings.profiles()), doNotMailMembers(settings.profiles()));
        describeRun(db, baseUrl, expected);
        paperrun.run("apply", "-f", applyFile(work, baseUrl).toString());
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < settings.repeat(); i++) {
            runs.add(sync(db, server, cpu, i + 1));
        }
        report(runs, expected);
        return runs.stream().allMatch(r -> r.stored().right(expected));
    }

    private void describeRun(Connection db, String baseUrl, Expected expected) throws Exception {
        String chunk = System.getProperty("paperrun.batch.chunk-size");
        out.println("PaperRun recipient-sync benchmark (Klaviyo segment profiles, a fake segment)");
        out.println("command:  " + settings.commandLine());
        out.println("machine:  " + AttributionBenchmark.machine(db));
        out.printf(
                "settings: commands: %s; paperrun.batch.chunk-size=%s; PostgreSQL fsync=%s synchronous_commit=%s%n",
                paperrun.describe(),
                chunk == null ? "2000 (default)" : chunk,
                text(db, "SHOW fsync"),
                text(db, "SHOW synchronous_commit"));
        out.printf(
                "segment:  FakeKlaviyoSegment at %s (in this JVM, MockWebServer), %,d generated members (each with "
                        + "an email; every 10th without a street address); %,d of their emails on the "
                        + "organization's do-not-mail list; one active campaign, holdout %s%%%n",
                baseUrl, expected.members(), expected.suppressed(), HOLDOUT_PERCENTAGE);
        out.printf(
                "limits:   Klaviyo's fixed windows, %d requests a minute (steady), %d a second (burst), 429 with "
                        + "Retry-After beyond; the product's limiter: %d requests/s of %d profiles (%,d a minute, "
                        + "%.0f%% of the steady limit): at most %,.0f profiles/s%n",
                FakeKlaviyoSegment.STEADY_LIMIT,
                FakeKlaviyoSegment.BURST_LIMIT,
                PRODUCT_RATE,
                PAGE_SIZE,
                PRODUCT_RATE * 60,
                PRODUCT_RATE * 60 * 100.0 / FakeKlaviyoSegment.STEADY_LIMIT,
                (double) PRODUCT_RATE * PAGE_SIZE);
        out.println();
    }

    private static Path applyFile(Path work, String baseUrl) throws Exception {
        return Files.writeString(
                work.resolve("apply.yaml"), """
                organizations:
                  - slug: %s
                    name: Bench Co
                    integrations:
                      klaviyo: {api_key: "${KLAVIYO_KEY}", base_url: "%s"}
                campaigns:
                  - key: %s
                    organization: %s
                    status: active
                    holdout: {enabled: true, percentage: %s}
                    audience: {source: klaviyo, segment_id: %s}
                """.formatted(ORG, baseUrl, CAMPAIGN, ORG, HOLDOUT_PERCENTAGE, SEGMENT));
    }

    /** What the members must become: each stored once, so many held out, so many suppressed, the rest pending. */
    record Expected(long members, long holdout, long suppressed) {
        long pending() {
            return members - holdout - suppressed;
        }
    }

    /** One sync: what the command took, the segment's usage, the heap, and what the database holds after it. */
    private record Run(
            Phase phase,
            double stepSeconds,
            long requests,
            long served,
            long throttled,
            double steadyShare,
            int busiestMinute,
            ProductProcess.Heap heap,
            Stored stored) {}

    /**
     * What the sync stored: the recipients, their distinct external ids, those that are the segment's members, by
     * status, and the suppressed that are on the do-not-mail list.
     */
    private record Stored(
            long recipients,
            long distinct,
            long members,
            long pending,
            long holdout,
            long suppressed,
            long suppressedListed) {

        boolean right(Expected expected) {
            return recipients == expected.members()
                    && distinct == expected.members()
                    && members == expected.members()
                    && pending == expected.pending()
                    && holdout == expected.holdout()
                    && suppressed == expected.suppressed()
                    && suppressedListed == expected.suppressed();
        }
    }

    private Run sync(Connection db, MockWebServer server, Cpu cpu, int number) throws Exception {
        execute(db, "TRUNCATE recipient, recipient_sync_checkpoint, do_not_mail CASCADE");
        try (PreparedStatement st = db.prepareStatement("""
                INSERT INTO do_not_mail (organization_id, kind, value)
                SELECT o.id, 'email', 'member' || g || '@example.com'
                FROM organization o, generate_series(500, ? - 1, 1000) g WHERE o.slug = ?""")) {
            st.setLong(1, settings.profiles());
            st.setString(2, ORG);
            st.executeUpdate();
        }
        execute(db, "VACUUM ANALYZE");
        execute(db, "CHECKPOINT");
        FakeKlaviyoSegment segment = new FakeKlaviyoSegment(SEGMENT, KEY, settings.profiles(), FIRST_JOINED)
                .limits(FakeKlaviyoSegment.STEADY_LIMIT, FakeKlaviyoSegment.BURST_LIMIT);
        server.setDispatcher(segment);
        Phase phase = new Phase(settings.repeat() > 1 ? "run recipient-sync, " + number : "run recipient-sync", cpu);
        ProductProcess.Heap heap = paperrun.run(Map.of("KLAVIYO_KEY", KEY), "run", "recipient-sync");
        phase.end();
        return new Run(
                phase,
                SyncBench.stepSeconds(db, "recipient-sync", "recipient-sync-recipients"),
                segment.requests(),
                segment.served(),
                segment.throttled(),
                segment.steadyShare(),
                segment.busiestMinute(),
                heap,
                stored(db));
    }

    private Stored stored(Connection db) throws Exception {
        try (PreparedStatement st = db.prepareStatement("""
                SELECT count(*), count(DISTINCT external_id),
                       count(*) FILTER (WHERE external_id ~ '^01SEG[0-9]{21}$'
                                          AND substr(external_id, 6)::bigint < ?
                                          AND email = 'member' || substr(external_id, 6)::bigint || '@example.com'),
                       count(*) FILTER (WHERE status = 'pending'),
                       count(*) FILTER (WHERE status = 'holdout'),
                       count(*) FILTER (WHERE status = 'suppressed'),
                       count(*) FILTER (WHERE status = 'suppressed' AND suppression_reason = 'do_not_mail'
                                          AND substr(external_id, 6)::bigint % 1000 = 500)
                FROM recipient""")) {
            st.setLong(1, settings.profiles());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return new Stored(
                        rs.getLong(1),
                        rs.getLong(2),
                        rs.getLong(3),
                        rs.getLong(4),
                        rs.getLong(5),
                        rs.getLong(6),
                        rs.getLong(7));
            }
        }
    }

    private void report(List<Run> runs, Expected expected) {
        String header = "%-28s %8s %12s %8s %12s %8s %8s %8s %8s %8s%n";
        String row = "%-28s %8.1f %12s %8.1f %12s %8.1f %8.1f %8.1f %8.1f %8.1f%n";
        out.printf(
                header,
                "run",
                "seconds",
                "recipients/s",
                "step s",
                "recipients/s",
                "product",
                "segment",
                "pg",
                "other",
                "steal");
        for (Run run : runs) {
            Phase p = run.phase();
            out.printf(
                    row,
                    p.name,
                    p.seconds,
                    rate(run.stored().recipients(), p.seconds),
                    run.stepSeconds(),
                    rate(run.stored().recipients(), run.stepSeconds()),
                    p.javaCpu - p.benchCpu,
                    p.benchCpu,
                    p.pgCpu,
                    p.otherCpu,
                    p.steal);
        }
        out.println("  recipients/s: recipients stored over the command's wall time (its JVM's start and stop "
                + "included), then over the sync step's (recipient-sync-recipients, from Spring Batch's tables); "
                + "cpu seconds of the product's command, of the fake segment (this JVM), of PostgreSQL, of "
                + "everything else on the machine, and steal (time the hypervisor gave other guests)");
        Run median = runs.stream()
                .sorted(Comparator.comparingDouble(r -> r.phase().seconds))
                .toList()
                .get(runs.size() / 2);
        if (runs.size() > 1) {
            out.printf("  %d runs; the median run is reported below%n", runs.size());
        }
        out.println();
        out.printf(
                "API: %,d requests, %,d pages served, %,d answered 429; %.1f%% of the steady limit used (pages a "
                        + "minute from the first page to the last, over %d); the busiest fixed minute let %,d "
                        + "through%n",
                median.requests(),
                median.served(),
                median.throttled(),
                median.steadyShare() * 100,
                FakeKlaviyoSegment.STEADY_LIMIT,
                median.busiestMinute());
        out.println();
        for (Run run : runs) {
            SyncBench.reportHeap(out, run.phase().name, run.heap());
        }
        SyncBench.explainHeap(out);
        long peak = runs.stream().mapToLong(r -> r.heap().peakBytes()).max().orElse(0);
        String goal = "  %-40s %-8s (%s)%n";
        out.println("goals (the median run; the heap: every run):");
        out.printf(
                goal,
                String.format(">= %.0f%% of the steady limit used", GOAL_STEADY_SHARE * 100),
                verdict(median.steadyShare() >= GOAL_STEADY_SHARE),
                String.format("%.1f%%", median.steadyShare() * 100));
        out.printf(goal, "no 429", verdict(median.throttled() == 0), number(median.throttled()));
        out.printf(goal, "heap under 1 GiB", verdict(peak < GOAL_HEAP), String.format("%,d MiB", peak >> 20));
        for (Run run : runs) {
            Stored s = run.stored();
            out.printf(
                    "correctness, %s: %,d recipients stored of %,d members, %,d distinct ids, %,d of them the "
                            + "segment's members; %,d pending, %,d holdout, %,d suppressed (%,d on the do-not-mail "
                            + "list) of %,d, %,d and %,d expected: %s%n",
                    run.phase().name,
                    s.recipients(),
                    expected.members(),
                    s.distinct(),
                    s.members(),
                    s.pending(),
                    s.holdout(),
                    s.suppressed(),
                    s.suppressedListed(),
                    expected.pending(),
                    expected.holdout(),
                    expected.suppressed(),
                    s.right(expected) ? "each exactly once" : "WRONG");
        }
        out.flush();
    }
}
