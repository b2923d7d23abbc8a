package io.paperrun.bench;

import static io.paperrun.bench.AttributionBenchmark.execute;
import static io.paperrun.bench.AttributionBenchmark.text;

import io.paperrun.integration.shopify.FakeShopify;
import java.io.PrintWriter;
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
 * {@code scripts/bench.sh order-sync}: the product's {@code run order-sync}, a command in a JVM of its own, for an
 * organization syncing from a fake Shopify in this JVM, with the shop's cost budget and without; prints the rate,
 * the share of the budget used and throttled, the command's peak heap, and whether each order was stored once.
 */
final class OrderSyncBenchmark {

    /** The most one query may cost, as Shopify's (and the fake's) limit. */
    static final double MAX_QUERY_COST = 1000;

    private static final double CONNECTION_COST = 2;
    private static final int MOST_A_PAGE = 250;
    private static final double GOAL_THROUGHPUT_USED = 0.90;
    private static final double GOAL_THROTTLED = 0.01;
    private static final long GOAL_HEAP = 1L << 30;
    /** How much faster than the budget the pipeline alone must be for the budget to bound a run. */
    private static final double HEADROOM = 1.2;
    /** A bucket and restore rate no sync exhausts: the pipeline alone sets the pace. */
    private static final double UNLIMITED = 1e12;

    private static final String ORG = "bench";
    private static final String TOKEN = "shpat_bench0123456789abcdef0123456789";
    private static final Instant FIRST_UPDATE = Instant.parse("2025-01-01T00:00:00Z");
    private static final int UPDATES_A_SECOND = 10;
    private static final String TEST_ORDER = "test order, not synced";

    /** What to run: the orders, the shop's budget, the repetitions, the options, and the command line. */
    record Settings(
            int orders,
            double restoreRate,
            double bucket,
            double perOrderCost,
            int repeat,
            boolean unthrottled,
            boolean keep,
            String commandLine) {}

    private final Settings settings;
    private final PrintWriter out = new PrintWriter(System.out, true);
    private ProductProcess paperrun;

    OrderSyncBenchmark(Settings settings) {
        this.settings = settings;
    }

    /** The orders a page holds when each costs {@code perOrderCost}: 250, or fewer when that costs too much. */
    static int pageSize(double perOrderCost) {
        return (int) Math.min(MOST_A_PAGE, Math.floor((MAX_QUERY_COST - CONNECTION_COST) / perOrderCost));
    }

    /** What a full page costs. */
    static double pageCost(double perOrderCost) {
        return CONNECTION_COST + pageSize(perOrderCost) * perOrderCost;
    }

    /** How many of orders {@code 0..orders-1} the fake shop makes test orders: every 97th from the 13th. */
    static long testOrders(long orders) {
        return orders <= 13 ? 0 : (orders - 14) / 97 + 1;
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
        describeRun(db, baseUrl);
        paperrun.run("apply", "-f", applyFile(work, baseUrl).toString());
        List<Run> budgeted = new ArrayList<>();
        List<Run> unthrottled = new ArrayList<>();
        for (int i = 0; i < settings.repeat(); i++) {
            budgeted.add(sync(db, server, cpu, true, budgeted.isEmpty()));
            if (settings.unthrottled()) {
                unthrottled.add(sync(db, server, cpu, false, false));
            }
        }
        report(budgeted, unthrottled);
        List<Run> all = new ArrayList<>(budgeted);
        all.addAll(unthrottled);
        return all.stream().allMatch(r -> r.stored().right(settings.orders()));
    }

    private void describeRun(Connection db, String baseUrl) throws Exception {
        String chunk = System.getProperty("paperrun.batch.chunk-size");
        int page = pageSize(settings.perOrderCost());
        out.println("PaperRun order-sync benchmark (Shopify Admin GraphQL API, a fake shop)");
        out.println("command:  " + settings.commandLine());
        out.println("machine:  " + AttributionBenchmark.machine(db));
        out.printf(
                "settings: commands: %s; paperrun.batch.chunk-size=%s; PostgreSQL fsync=%s synchronous_commit=%s%n",
                paperrun.describe(),
                chunk == null ? "2000 (default)" : chunk,
                text(db, "SHOW fsync"),
                text(db, "SHOW synchronous_commit"));
        out.printf(
                "shop:     FakeShopify at %s (in this JVM, MockWebServer), %,d generated orders (%,d of them test "
                        + "orders); cost in points: %s an order + %.0f a query, pages of %d orders (%s points)%n",
                baseUrl,
                settings.orders(),
                testOrders(settings.orders()),
                number(settings.perOrderCost()),
                CONNECTION_COST,
                page,
                number(pageCost(settings.perOrderCost())));
        out.printf(
                "budget:   a bucket of %s points, full at the start, restoring %s points/s: at most %,.0f orders/s"
                        + "%s%n",
                number(settings.bucket()),
                number(settings.restoreRate()),
                allowedRate(),
                settings.unthrottled()
                        ? "; unthrottled runs: a bucket of 10^12 points restoring 10^12/s (the pipeline alone)"
                        : "");
        out.println();
    }

    /** The orders a second the budget allows once the bucket's first fill is spent, in full pages. */
    private double allowedRate() {
        return settings.restoreRate() / pageCost(settings.perOrderCost()) * pageSize(settings.perOrderCost());
    }

    private static Path applyFile(Path work, String baseUrl) throws Exception {
        return Files.writeString(work.resolve("apply.yaml"), """
                organizations:
                  - slug: %s
                    name: Bench Co
                    sync_orders: true
                    order_source: shopify
                    integrations:
                      shopify: {shop: bench, access_token: "${SHOPIFY_TOKEN}", base_url: "%s"}
                """.formatted(ORG, baseUrl));
    }

    /** One sync: what the command took, the shop's usage, the heap, and what the database holds after it. */
    private record Run(
            boolean budgeted,
            Phase phase,
            double stepSeconds,
            FakeShopify.Usage usage,
            BucketWatch.Lost lost,
            ProductProcess.Heap heap,
            Stored stored) {}

    /**
     * What the sync stored: the orders, the distinct ids among them, those that are the shop's non-test orders,
     * and the rejected rows, those for test orders first.
     */
    private record Stored(long orders, long distinct, long expected, long rejectedTests, long rejected) {

        boolean right(int served) {
            long wanted = served - testOrders(served);
            long tests = testOrders(served);
            return orders == wanted
                    && distinct == wanted
                    && expected == wanted
                    && rejectedTests == tests
                    && rejected == tests;
        }
    }

    private Run sync(Connection db, MockWebServer server, Cpu cpu, boolean budgeted, boolean first) throws Exception {
        if (!first) {
            AttributionBenchmark.emptyProductTables(db);
        } else {
            execute(db, "VACUUM ANALYZE");
            execute(db, "CHECKPOINT");
        }
        double bucket = budgeted ? settings.bucket() : UNLIMITED;
        double restoreRate = budgeted ? settings.restoreRate() : UNLIMITED;
        FakeShopify shop = FakeShopify.builder()
                .accessToken(TOKEN)
                .generated(settings.orders(), FIRST_UPDATE, UPDATES_A_SECOND)
                .bucket(bucket, restoreRate)
                .perOrderCost(settings.perOrderCost())
                .maxQueryCost(MAX_QUERY_COST)
                .build();
        BucketWatch watch = new BucketWatch(shop, bucket, restoreRate);
        server.setDispatcher(watch);
        Phase phase = new Phase(budgeted ? "run order-sync, with the budget" : "run order-sync, unthrottled", cpu);
        ProductProcess.Heap heap = paperrun.run(Map.of("SHOPIFY_TOKEN", TOKEN), "run", "order-sync");
        phase.end();
        return new Run(budgeted, phase, stepSeconds(db), shop.usage(), watch.lost(), heap, stored(db));
    }

    /** The last order-sync's orders step (its partitions within it). */
    private static double stepSeconds(Connection db) throws Exception {
        return SyncBench.stepSeconds(db, "order-sync", "order-sync-orders");
    }

    private Stored stored(Connection db) throws Exception {
        long[] orders = new long[3];
        try (PreparedStatement st = db.prepareStatement("""
                SELECT count(*), count(DISTINCT provider_order_id),
                       count(*) FILTER (WHERE provider_order_id::bigint - ? BETWEEN 0 AND ? - 1
                                          AND (provider_order_id::bigint - ?) % 97 <> 13)
                FROM customer_order WHERE provider = 'shopify'""")) {
            st.setLong(1, FakeShopify.FIRST_ID);
            st.setLong(2, settings.orders());
            st.setLong(3, FakeShopify.FIRST_ID);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                for (int i = 0; i < 3; i++) {
                    orders[i] = rs.getLong(i + 1);
                }
            }
        }
        try (PreparedStatement st =
                db.prepareStatement("SELECT count(*) FILTER (WHERE reason = ?), count(*) FROM rejected_row")) {
            st.setString(1, TEST_ORDER);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return new Stored(orders[0], orders[1], orders[2], rs.getLong(1), rs.getLong(2));
            }
        }
    }

    private void report(List<Run> budgeted, List<Run> unthrottled) {
        String header = "%-36s %8s %9s %8s %9s %8s %8s %8s %8s %8s%n";
        String row = "%-36s %8.1f %9s %8.1f %9s %8.1f %8.1f %8.1f %8.1f %8.1f%n";
        out.printf(
                header, "run", "seconds", "orders/s", "step s", "orders/s", "product", "shop", "pg", "other", "steal");
        List<Run> all = new ArrayList<>(budgeted);
        all.addAll(unthrottled);
        for (Run run : all) {
            Phase p = run.phase();
            out.printf(
                    row,
                    p.name,
                    p.seconds,
                    rate(run.stored().orders(), p.seconds),
                    run.stepSeconds(),
                    rate(run.stored().orders(), run.stepSeconds()),
                    p.javaCpu - p.benchCpu,
                    p.benchCpu,
                    p.pgCpu,
                    p.otherCpu,
                    p.steal);
        }
        out.println("  orders/s: orders stored over the command's wall time (its JVM's start and stop included), "
                + "then over the sync step's (order-sync-orders, from Spring Batch's tables); cpu seconds of the "
                + "product's command, of the fake shop (this JVM), of PostgreSQL, of everything else on the machine, "
                + "and steal (time the hypervisor gave other guests)");
        Run budget = median(budgeted);
        Run pipeline = unthrottled.isEmpty() ? null : median(unthrottled);
        if (settings.repeat() > 1) {
            out.printf("  %d runs each; the median run of each is reported below%n", settings.repeat());
        }
        out.println();
        reportApi("with the budget", budget);
        if (pipeline != null) {
            reportApi("unthrottled", pipeline);
            double pipelineRate = pipeline.usage().ordersServed() / pipeline.stepSeconds();
            out.printf(
                    "  headroom: the pipeline alone synced (read, then stored or skipped) %,.0f orders/s in its step, "
                            + "%.1fx the %,.0f orders/s the budget allows%s%n",
                    pipelineRate,
                    pipelineRate / allowedRate(),
                    allowedRate(),
                    pipelineRate < HEADROOM * allowedRate()
                            ? String.format(
                                    "; under %.1fx, the pipeline rather than the budget bounds the run with the "
                                            + "budget (on a busy machine: see the other column)",
                                    HEADROOM)
                            : "");
        }
        out.println();
        reportHeap(all);
        reportGoals(budget, all);
        reportCorrectness(all);
        out.flush();
    }

    private void reportApi(String name, Run run) {
        FakeShopify.Usage usage = run.usage();
        double apiSeconds = usage.elapsed().toNanos() / 1e9;
        out.printf(
                "API, %s: %,d requests, %,d throttled (%.2f%%), %,d orders served in %.1f s from the first request "
                        + "to the last (%,.0f orders/s); %s points spent",
                name,
                usage.requests(),
                usage.throttled(),
                usage.throttledShare() * 100,
                usage.ordersServed(),
                apiSeconds,
                usage.ordersServed() / Math.max(apiSeconds, 1e-9),
                number(usage.pointsSpent()));
        if (run.budgeted()) {
            out.printf(
                    " of %s allowed (the bucket's %s at the first request + %.1f s x %s/s): %.1f%% of the allowed "
                            + "throughput used%n",
                    number(usage.pointsAllowed()),
                    number(settings.bucket()),
                    apiSeconds,
                    number(settings.restoreRate()),
                    usage.throughputUsed() * 100);
            BucketWatch.Lost lost = run.lost();
            out.printf(
                    "  of the %s points allowed and not spent, %s were lost to a full bucket (restored while it "
                            + "stood full: the API idle while the product was busy elsewhere), before %,d of the "
                            + "requests, at most %s (%.2f s of restoring) before one, the last %.1f s after the first "
                            + "request; the rest were in the bucket at the last request%n",
                    number(Math.round(usage.pointsAllowed() - usage.pointsSpent())),
                    number(Math.round(lost.points())),
                    lost.requests(),
                    number(Math.round(lost.most())),
                    lost.most() / settings.restoreRate(),
                    lost.lastSeconds());
        } else {
            out.println();
        }
    }

    private void reportHeap(List<Run> all) {
        for (Run run : all) {
            SyncBench.reportHeap(out, run.phase().name, run.heap());
        }
        SyncBench.explainHeap(out);
    }

    private void reportGoals(Run budget, List<Run> all) {
        double used = budget.usage().throughputUsed();
        double throttled = budget.usage().throttledShare();
        long peak = all.stream().mapToLong(r -> r.heap().peakBytes()).max().orElse(0);
        String goal = "  %-40s %-8s (%s)%n";
        out.println("goals (the run with the budget; the heap: every run):");
        out.printf(
                goal,
                String.format(">= %.0f%% of the allowed throughput used", GOAL_THROUGHPUT_USED * 100),
                verdict(used >= GOAL_THROUGHPUT_USED),
                String.format("%.1f%%", used * 100));
        out.printf(
                goal,
                String.format("< %.0f%% of requests throttled", GOAL_THROTTLED * 100),
                verdict(throttled < GOAL_THROTTLED),
                String.format("%.2f%%", throttled * 100));
        out.printf(goal, "heap under 1 GiB", verdict(peak < GOAL_HEAP), String.format("%,d MiB", peak >> 20));
    }

    private void reportCorrectness(List<Run> all) {
        long tests = testOrders(settings.orders());
        for (Run run : all) {
            Stored stored = run.stored();
            out.printf(
                    "correctness, %s: %,d orders stored of %,d served less %,d test orders (%,d rejected as '%s', "
                            + "%,d other rejected rows); %,d distinct ids, %,d of them the shop's non-test orders: %s%n",
                    run.phase().name,
                    stored.orders(),
                    settings.orders(),
                    tests,
                    stored.rejectedTests(),
                    TEST_ORDER,
                    stored.rejected() - stored.rejectedTests(),
                    stored.distinct(),
                    stored.expected(),
                    stored.right(settings.orders()) ? "each exactly once" : "WRONG");
        }
    }

    /** The median run; of an even number, the slower of the two middle ones. */
    private static Run median(List<Run> runs) {
        return runs.stream()
                .sorted(Comparator.comparingDouble(r -> r.phase().seconds))
                .toList()
                .get(runs.size() / 2);
    }

    private static String rate(long count, double seconds) {
        return SyncBench.rate(count, seconds);
    }

    private static String number(double value) {
        return SyncBench.number(value);
    }

    private static String verdict(boolean met) {
        return SyncBench.verdict(met);
    }
}
