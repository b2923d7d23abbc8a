package io.paperrun.bench;

import io.paperrun.PaperRun;
import io.paperrun.cli.Session;
import io.paperrun.database.EmbeddedDatabase;
import org.postgresql.PGConnection;

import java.io.PrintWriter;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TimeZone;
import java.util.stream.Stream;

/**
 * {@code scripts/bench.sh attribution --recipients N --orders M}: generates a deterministic synthetic
 * organization, runs import, matching and processing through the product's command line on a fresh
 * embedded PostgreSQL, and, on the same data in the same run, two references: PostgreSQL alone (COPY of
 * the orders and one set-based matching statement: about as fast as this machine goes) and the seed's
 * approach (one order at a time, one query per lookup, on a sample of the orders). Prints orders per
 * second, peak heap and the ratios.
 */
public final class AttributionBenchmark {

    private final int recipients;
    private final int orders;
    private final int baselineOrders;
    private final long seed;
    private final PrintWriter out = new PrintWriter(System.out, true);

    private AttributionBenchmark(int recipients, int orders, int baselineOrders, long seed) {
        this.recipients = recipients;
        this.orders = orders;
        this.baselineOrders = baselineOrders;
        this.seed = seed;
    }

    public static void main(String[] args) throws Exception {
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        if (args.length == 0 || !args[0].equals("attribution") || args.length % 2 == 0) {
            usage();
            return;
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        int n = Integer.parseInt(options.getOrDefault("--recipients", "100000"));
        int m = Integer.parseInt(options.getOrDefault("--orders", "100000"));
        int k = Integer.parseInt(options.getOrDefault("--baseline-orders", Integer.toString(Math.min(m, 20000))));
        long seed = Long.parseLong(options.getOrDefault("--seed", "20241122"));
        options.keySet().removeAll(java.util.Set.of("--recipients", "--orders", "--baseline-orders", "--seed"));
        if (!options.isEmpty() || n < 1 || m < 1 || k < 1) {
            usage();
            return;
        }
        new AttributionBenchmark(n, m, Math.min(k, m), seed).run();
    }

    private static void usage() {
        System.err.println("usage: scripts/bench.sh attribution --recipients N --orders M [--baseline-orders K] "
                + "[--seed S]");
        System.exit(2);
    }

    private void run() throws Exception {
        Path work = Files.createTempDirectory("paperrun-bench");
        try (EmbeddedDatabase database = EmbeddedDatabase.start(work.resolve("data"))) {
            System.setProperty("spring.datasource.url", database.jdbcUrl());
            System.setProperty("spring.datasource.username", "postgres");
            System.setProperty("spring.datasource.password", "");
            out.printf("paperrun attribution benchmark: %,d recipients, %,d orders (seed %d)%n", recipients, orders,
                    seed);
            out.printf("machine: %d cores, %s, max heap %d MiB%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                    Runtime.getRuntime().maxMemory() >> 20);

            long t = System.nanoTime();
            SyntheticMerchant merchant = new SyntheticMerchant(recipients, orders, seed);
            Path apply = merchant.applyFile(work);
            Path recipientsFile = merchant.recipientsFile(work);
            Path[] ordersFiles = merchant.ordersFiles(work);
            out.printf("generated the files in %.1f s%n%n", seconds(t));

            paperrun("apply", "-f", apply.toString());
            t = System.nanoTime();
            paperrun("import", "recipients", "--org", SyntheticMerchant.ORG, "--file", recipientsFile.toString());
            double recipientsSeconds = seconds(t);

            resetPeaks();
            t = System.nanoTime();
            paperrun("import", "orders", "--org", SyntheticMerchant.ORG, "--file", ordersFiles[0].toString());
            double importSeconds = seconds(t);
            t = System.nanoTime();
            paperrun("run", "attribution-processing");
            double processingSeconds = seconds(t);
            long peakHeap = peakHeap();
            double productSeconds = importSeconds + processingSeconds;

            try (Connection db = DriverManager.getConnection(database.jdbcUrl(), "postgres", "")) {
                Map<String, Long> methods = counts(db, "SELECT method || CASE WHEN holdout THEN ' (holdout)' ELSE '' "
                        + "END || CASE WHEN passes_rules THEN ', passing' ELSE '' END, count(*) FROM attribution "
                        + "GROUP BY 1 ORDER BY 1");
                double floorSeconds = floor(db, ordersFiles[1]);
                long floorMatched = single(db, "SELECT count(*) FROM bench_floor.attribution");
                double baselineSeconds = baseline(db, ordersFiles[0]);

                out.printf("%n%-44s %10s %14s%n", "phase", "seconds", "orders/s");
                out.printf("%-44s %10.1f %14s%n", "import recipients (setup, " + String.format("%,d", recipients)
                        + ")", recipientsSeconds, "-");
                out.printf("%-44s %10.1f %,14.0f%n", "import orders (sync + stage A)", importSeconds,
                        orders / importSeconds);
                out.printf("%-44s %10.1f %,14.0f%n", "run attribution-processing (stage B)", processingSeconds,
                        orders / processingSeconds);
                out.printf("%-44s %10.1f %,14.0f%n", "product, end to end", productSeconds, orders / productSeconds);
                out.printf("%-44s %10.1f %,14.0f%n", "floor: PostgreSQL alone (COPY + 1 statement)", floorSeconds,
                        orders / floorSeconds);
                out.printf("%-44s %10.1f %,14.0f%n", "baseline: one order at a time (" + String.format("%,d",
                        baselineOrders) + " orders)", baselineSeconds, baselineOrders / baselineSeconds);
                double baselineRate = baselineOrders / baselineSeconds;
                out.printf("%npeak heap during import and processing: %d MiB%n", peakHeap >> 20);
                out.printf("product / floor time: %.2fx   product / baseline speed: %.1fx%n",
                        productSeconds / floorSeconds, (orders / productSeconds) / baselineRate);
                out.printf("goals: >= 50,000 orders/s end to end: %s; within 4x of the floor: %s; "
                                + ">= 20x the baseline: %s; heap < 1 GiB: %s%n",
                        verdict(orders / productSeconds >= 50000), verdict(productSeconds / floorSeconds <= 4),
                        verdict((orders / productSeconds) / baselineRate >= 20), verdict(peakHeap < (1L << 30)));
                out.printf("%nattributions by method (product): %s%n", methods);
                out.printf("floor matched %,d orders by email, address or campaign code (stage A steps 1-3, "
                        + "approximated)%n", floorMatched);
            }
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void paperrun(String... args) {
        PrintWriter quiet = new PrintWriter(java.io.Writer.nullWriter());
        PrintWriter err = new PrintWriter(System.err, true);
        int code = new PaperRun(Map.of(), Session.Opener.DEFAULT, quiet, err).execute(args);
        if (code != 0) {
            throw new IllegalStateException("paperrun " + String.join(" ", args) + " exited " + code);
        }
    }

    /** COPY of the orders into a bare table, then one set-based statement for stage A's steps 1-3. */
    private double floor(Connection db, Path floorCsv) throws Exception {
        long org = single(db, "SELECT id FROM organization WHERE slug = '" + SyntheticMerchant.ORG + "'");
        try (Statement st = db.createStatement()) {
            st.execute("CREATE SCHEMA bench_floor");
            st.execute("CREATE TABLE bench_floor.orders (order_id text COLLATE \"C\", ordered_at timestamptz, "
                    + "email_lower text COLLATE \"C\", total numeric(14,2), codes text, address_key text COLLATE \"C\")");
            st.execute("CREATE TABLE bench_floor.attribution (order_id text, recipient_id bigint, campaign_id bigint, "
                    + "method text)");
        }
        long t = System.nanoTime();
        try (Reader reader = Files.newBufferedReader(floorCsv, StandardCharsets.UTF_8)) {
            db.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY bench_floor.orders FROM STDIN WITH (FORMAT csv)", reader);
        }
        try (Statement st = db.createStatement()) {
            st.execute("""
                    INSERT INTO bench_floor.attribution
                    SELECT DISTINCT ON (m.order_id) m.order_id, m.recipient_id, m.campaign_id, m.method
                    FROM (
                        SELECT o.order_id, r.id AS recipient_id, r.campaign_id, 'email' AS method, 1 AS step,
                               r.created_at, r.id
                        FROM bench_floor.orders o
                        JOIN recipient r ON r.organization_id = %1$d AND r.email_lower = o.email_lower
                         AND r.status = 'sent' AND r.sent_at <= o.ordered_at
                        UNION ALL
                        SELECT o.order_id, r.id, r.campaign_id, 'physical_address', 2, r.created_at, r.id
                        FROM bench_floor.orders o
                        JOIN recipient r ON r.organization_id = %1$d AND r.address_key = o.address_key
                         AND r.status = 'sent' AND r.sent_at <= o.ordered_at
                        UNION ALL
                        SELECT o.order_id, NULL, c.id, 'discount_code', 3, NULL, c.id
                        FROM bench_floor.orders o
                        JOIN campaign c ON c.organization_id = %1$d AND c.discount_code IS NOT NULL
                         AND upper(c.discount_code) = ANY (string_to_array(o.codes, ';'))
                        WHERE o.codes <> ''
                    ) m
                    ORDER BY m.order_id, m.step, m.created_at DESC NULLS LAST, m.id DESC
                    """.formatted(org));
        }
        return seconds(t);
    }

    /**
     * The seed's approach on the first K orders, against copies of the product's tables: for each order,
     * upsert it, look for a recipient by email, then by address, then by codes, then a holdout, insert the
     * attribution, then decide it, one query per lookup, each order in its own transaction.
     */
    private double baseline(Connection db, Path ordersCsv) throws Exception {
        try (Statement st = db.createStatement()) {
            st.execute("CREATE SCHEMA bench_base");
            st.execute("CREATE TABLE bench_base.customer_order (LIKE customer_order INCLUDING ALL)");
            st.execute("CREATE TABLE bench_base.attribution (LIKE attribution INCLUDING ALL)");
        }
        long org = single(db, "SELECT id FROM organization WHERE slug = '" + SyntheticMerchant.ORG + "'");
        return new OneOrderAtATime(db, org).run(ordersCsv, baselineOrders);
    }

    private static Map<String, Long> counts(Connection db, String sql) throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    static long single(Connection db, String sql) throws Exception {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void resetPeaks() {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeap() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed())
                .sum();
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static String verdict(boolean met) {
        return met ? "met" : "NOT met";
    }
}
