package io.paperrun.bench;

import io.paperrun.attribution.OrganizationRules;
import io.paperrun.database.EmbeddedDatabase;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code scripts/bench.sh attribution --recipients N --orders M [--baseline-orders K] [--seed S] [--pg-stats]}
 * <p>
 * Generates a deterministic synthetic organization ({@link SyntheticMerchant}), starts an embedded
 * PostgreSQL in a fresh temporary directory, and runs the product through its own command line, each
 * command in a JVM of its own as {@code scripts/paperrun} starts it ({@link ProductProcess}), on that
 * database as on a server: {@code apply}, {@code import recipients} (setup), then, measured, {@code import
 * orders} (sync and stage A) and {@code run attribution-processing} (stage B). On the same data, in
 * the same database, it then runs two references: the floor, PostgreSQL alone ({@link PostgresFloor}:
 * COPY and one set-based matching statement), and the baseline, the seed's one order at a time with one
 * query per lookup ({@link OneOrderAtATime}, on a sample of the orders). Then what any implementation on
 * this schema pays whatever its code: the storage floor ({@link StorageFloor}: the product's rows stored by
 * PostgreSQL alone, in a transaction rolled back) and a command that only starts and stops ({@code
 * executions}), from which it prints a lower bound of the end-to-end time from CPU alone. It prints orders
 * per second, peak heap, where the CPU went, the ratios against the goals and the attribution counts of the
 * product, the floor and the baseline.
 * With {@code --pg-stats} it restarts the database with pg_stat_statements and prints the product's
 * statements by total time (a profile; it slows the product a little); with {@code --keep} it leaves the
 * files and the (stopped) database in place for inspection; with {@code --repeat R} it runs the product and the
 * floor R times each on the same data, alternately, and reports the median run of each.
 */
public final class AttributionBenchmark {

    private static final double GOAL_RATE = 50_000;
    private static final double GOAL_FLOOR_RATIO = 4;
    private static final double GOAL_BASELINE_SPEEDUP = 20;
    private static final long GOAL_HEAP = 1L << 30;

    private final int recipients;
    private final int orders;
    private final int baselineOrders;
    private final long seed;
    private final int repeat;
    private final boolean pgStats;
    private final boolean keep;
    private final String commandLine;
    private final PrintWriter out = new PrintWriter(System.out, true);
    /** The product's command line, on the benchmark's database (set when it has started). */
    private ProductProcess paperrun;

    private AttributionBenchmark(int recipients, int orders, int baselineOrders, long seed, int repeat,
                                 boolean pgStats, boolean keep, String commandLine) {
        this.recipients = recipients;
        this.orders = orders;
        this.baselineOrders = baselineOrders;
        this.seed = seed;
        this.repeat = repeat;
        this.pgStats = pgStats;
        this.keep = keep;
        this.commandLine = commandLine;
    }

    public static void main(String[] args) throws Exception {
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        if (args.length > 0 && (args[0].equals("-h") || args[0].equals("--help"))) {
            usage(null);
        }
        if (args.length == 0 || !args[0].equals("attribution")) {
            usage("the benchmark's first argument is 'attribution'");
        }
        Map<String, String> options = new LinkedHashMap<>();
        boolean pgStats = false;
        boolean keep = false;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--pg-stats")) {
                pgStats = true;
            } else if (a.equals("--keep")) {
                keep = true;
            } else if (a.equals("-h") || a.equals("--help")) {
                usage(null);
            } else if (List.of("--recipients", "--orders", "--baseline-orders", "--seed", "--repeat").contains(a)
                    && i + 1 < args.length) {
                options.put(a, args[++i]);
            } else {
                usage("unknown or incomplete option '" + a + "'");
            }
        }
        int n;
        int m;
        int k;
        long seed;
        int repeat;
        try {
            n = Integer.parseInt(options.getOrDefault("--recipients", "100000"));
            m = Integer.parseInt(options.getOrDefault("--orders", "100000"));
            k = Integer.parseInt(options.getOrDefault("--baseline-orders", Integer.toString(Math.min(m, 50_000))));
            seed = Long.parseLong(options.getOrDefault("--seed", "20241122"));
            repeat = Integer.parseInt(options.getOrDefault("--repeat", "1"));
        } catch (NumberFormatException e) {
            usage("not a number: " + e.getMessage());
            return;
        }
        if (n < SyntheticMerchant.MINIMUM_RECIPIENTS || m < 1 || k < 0 || repeat < 1 || repeat > 9) {
            usage("--recipients must be at least " + SyntheticMerchant.MINIMUM_RECIPIENTS
                    + ", --orders at least 1, --baseline-orders at least 0, --repeat from 1 to 9");
        }
        String command = "scripts/bench.sh " + String.join(" ", args);
        try {
            new AttributionBenchmark(n, m, Math.min(k, m), seed, repeat, pgStats, keep, command).run();
        } catch (Exception e) {
            System.out.flush();
            System.err.println("bench: failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static void usage(String problem) {
        // --help on stdout; a usage error's usage on stderr.
        java.io.PrintStream to = problem == null ? System.out : System.err;
        if (problem != null) {
            System.err.println("bench: " + problem);
        }
        to.println("usage: scripts/bench.sh attribution --recipients N --orders M [--baseline-orders K] "
                + "[--seed S] [--repeat R] [--pg-stats] [--keep]");
        to.println("  --baseline-orders K  orders the one-at-a-time baseline runs (default min(M, 50000); "
                + "0 skips it)");
        to.println("  --repeat R           run the product and the floor R times each, alternately (1 to 9, default 1), and "
                + "report the median run (of an even R, the slower middle product run and the faster middle floor)");
        to.println("  --pg-stats           profile the product's SQL with pg_stat_statements");
        to.println("  --keep               keep the generated files and the database (stopped) for inspection");
        to.println("  the product's commands run through scripts/paperrun, each in a JVM of its own, on this benchmark's "
                + "database");
        to.println("  JVM options: scripts/jvm.options, then PAPERRUN_BENCH_JAVA_OPTS (default -Xmx1g), for the benchmark "
                + "and, as their PAPERRUN_JAVA_OPTS, the commands, e.g. -Dpaperrun.batch.chunk-size=5000");
        System.exit(problem == null ? 0 : 2);
    }

    private void run() throws Exception {
        Path work = Files.createTempDirectory("paperrun-bench");
        EmbeddedDatabase database = null;
        try {
            database = EmbeddedDatabase.start(work.resolve("data"));
            if (pgStats) {
                database = withPgStatStatements(database, work.resolve("data"));
            }
            paperrun = ProductProcess.on(database.jdbcUrl(), work);
            try (Connection db = DriverManager.getConnection(database.jdbcUrl(), "postgres", "")) {
                run(db, work);
            }
        } finally {
            if (database != null) {
                database.close();
            }
            if (keep) {
                System.out.println("kept: " + work + " (files; PostgreSQL data directory " + work.resolve("data")
                        .resolve("postgres") + ")");
            } else {
                delete(work);
            }
        }
    }

    private void run(Connection db, Path work) throws Exception {
        Cpu cpu = new Cpu(work);
        out.println("PaperRun attribution benchmark");
        out.println("command:  " + commandLine);
        out.printf("machine:  %d cores (nproc), %s %s, %s %s (%s), max heap %d MiB, %s; %s; load average %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), System.getProperty("java.vm.vendor"),
                Runtime.getRuntime().maxMemory() >> 20, gcNames(), text(db, "SELECT split_part(version(), ' on ', 1)"),
                Cpu.loadAverage());
        String chunk = System.getProperty("paperrun.batch.chunk-size");
        out.printf("settings: commands: %s; paperrun.batch.chunk-size=%s; PostgreSQL fsync=%s synchronous_commit=%s "
                        + "(the product's embedded database, durable as a server's)%s%n",
                paperrun.describe(),
                chunk == null ? "2000 (default)" : chunk, text(db, "SHOW fsync"), text(db, "SHOW synchronous_commit"),
                pgStats ? "; pg_stat_statements on (--pg-stats)" : "");

        long t = System.nanoTime();
        SyntheticMerchant merchant = new SyntheticMerchant(recipients, orders, seed);
        Path apply = merchant.applyFile(work);
        Path recipientsFile = merchant.recipientsFile(work);
        Path[] ordersFiles = merchant.ordersFiles(work);
        out.printf("data:     seed %d, %,d recipients (%s), %,d orders (%s), generated in %.1f s%n", seed,
                recipients, size(recipientsFile), orders, size(ordersFiles[0]), seconds(t));
        StringBuilder kinds = new StringBuilder();
        merchant.generatedKinds().forEach((kind, count) -> kinds.append(kinds.isEmpty() ? "" : ", ")
                .append(kind.name().toLowerCase()).append(' ').append(String.format("%,d", count)));
        out.println("          orders generated by kind: " + kinds);
        out.println();

        // Setup, not measured against the goals.
        paperrun.run("apply", "-f", apply.toString());
        Phase recipientsImport = new Phase("import recipients (setup)", cpu);
        paperrun.run("import", "recipients", "--org", SyntheticMerchant.ORG, "--file", recipientsFile.toString());
        recipientsImport.end();
        double recipientsStep = stepSeconds(db, "recipient-sync");
        // Orders arrive in a database that has settled since its recipients were loaded: autovacuum has
        // vacuumed and analyzed them (here at once, rather than in the middle of the measured phase), and
        // the measured phases start without pending dirty buffers.
        execute(db, "VACUUM ANALYZE");
        execute(db, "CHECKPOINT");

        long org = single(db, "SELECT id FROM organization WHERE slug = '" + SyntheticMerchant.ORG + "'");

        // The product and the floor, measured --repeat times each on the same data, each product run followed by a
        // floor run, so that the machine's drift (its speed changes by a third from one hour to the next) weighs
        // on both alike; the runs with the median times are reported.
        List<ProductRun> runs = new ArrayList<>();
        List<FloorRun> floors = new ArrayList<>();
        for (int r = 0; r < repeat; r++) {
            // The product from the same state each time: its tables emptied and the database settled again.
            if (r > 0) {
                // Every table but the setup's, the job repository's and Flyway's: whatever the product writes.
                execute(db, "TRUNCATE " + text(db, """
                        SELECT string_agg(quote_ident(tablename), ', ') FROM pg_tables
                        WHERE schemaname = 'public' AND tablename NOT LIKE 'batch\\_%'
                          AND tablename NOT IN ('organization', 'campaign', 'recipient', 'flyway_schema_history')
                        """));
                execute(db, "VACUUM ANALYZE");
                execute(db, "CHECKPOINT");
            }
            // A run imports a file of a name of its own (a hard link to the same file): an import is an instance
            // of order-sync by organization, file and content, and a completed one is not run again.
            Path file = r == 0 ? ordersFiles[0]
                    : sameFile(work.resolve("orders-run" + (r + 1) + ".csv"), ordersFiles[0]);
            runs.add(productRun(db, file, cpu));

            // The floor: PostgreSQL alone, on a settled database (no autovacuum of the product's new rows
            // meanwhile).
            execute(db, "VACUUM ANALYZE");
            if (r > 0) {
                execute(db, "DROP SCHEMA bench_floor CASCADE");
            }
            PostgresFloor.prepare(db);
            execute(db, "CHECKPOINT");
            Phase f = new Phase("floor: PostgreSQL alone", cpu);
            double[] parts = PostgresFloor.run(db, org, ordersFiles[1]);
            f.end();
            floors.add(new FloorRun(f, parts));
        }
        // With an even number of runs, the slower of the two middle ones (and below, the faster middle floor).
        ProductRun median = runs.stream().sorted(Comparator.comparingDouble(x -> x.product().seconds)).toList()
                .get(runs.size() / 2);
        Phase importOrders = median.importOrders();
        Phase processing = median.processing();
        Phase product = median.product();
        ProductProcess.Heap heap = median.heap();
        Map<String, Long> productCounts = counts(db, """
                SELECT method || CASE WHEN holdout THEN ' holdout' ELSE '' END, count(*) FROM attribution
                GROUP BY 1""");
        Map<String, Long> productPassing = counts(db, """
                SELECT method || CASE WHEN holdout THEN ' holdout' ELSE '' END, count(*) FROM attribution
                WHERE passes_rules GROUP BY 1""");
        long unprocessed = single(db, "SELECT count(*) FROM attribution WHERE NOT processed");
        Map<String, Long> flags = counts(db, """
                SELECT 'internal', count(*) FROM customer_order WHERE internal
                UNION ALL SELECT 'blacklisted', count(*) FROM customer_order WHERE blacklisted
                UNION ALL SELECT 'orders', count(*) FROM customer_order""");

        FloorRun medianFloor = floors.stream().sorted(Comparator.comparingDouble(f -> f.phase().seconds)).toList()
                .get((floors.size() - 1) / 2);
        Phase floor = medianFloor.phase();
        double[] floorParts = medianFloor.parts();
        Map<String, Long> floorCounts = counts(db, """
                SELECT method || CASE WHEN holdout THEN ' holdout' ELSE '' END, count(*) FROM bench_floor.attribution
                GROUP BY 1""");

        // What PostgreSQL and a command's JVM cost whatever the product's code does: the storage floor (the
        // product's rows stored by PostgreSQL alone, rolled back) and a command that only starts and stops.
        StorageFloor.prepare(db, work);
        execute(db, "CHECKPOINT");
        Phase storage = new Phase("storage floor: PostgreSQL storing alone", cpu);
        double[] storageParts = StorageFloor.run(db, work);
        storage.end();
        Phase idle = new Phase("a command that only starts (executions)", cpu);
        paperrun.run("executions", "--job", "order-sync");
        idle.end();

        // The baseline: one order at a time, on a sample.
        Phase baseline = null;
        Map<String, Long> baselineCounts = Map.of();
        if (baselineOrders > 0) {
            OneOrderAtATime.prepare(db);
            execute(db, "CHECKPOINT");
            OrganizationRules rules = new OrganizationRules("benchco.com", List.of("wholesale"));
            baseline = new Phase("baseline: one order at a time", cpu);
            new OneOrderAtATime(db, org, rules).run(ordersFiles[0], baselineOrders);
            baseline.end();
            baselineCounts = counts(db, """
                    SELECT method || CASE WHEN holdout THEN ' holdout' ELSE '' END, count(*)
                    FROM bench_base.attribution GROUP BY 1""");
        }

        // The report.
        String header = "%-46s %9s %11s %10s %10s %10s %10s%n";
        String row = "%-46s %9.1f %11s %10.1f %10.1f %10.1f %10.1f%n";
        out.printf(header, "phase", "seconds", "orders/s", "java cpu", "pg cpu", "other cpu", "steal");
        out.printf(row, recipientsImport.name + String.format(", %,.0f recipients/s", recipients
                        / recipientsImport.seconds), recipientsImport.seconds, "-", recipientsImport.javaCpu,
                recipientsImport.pgCpu, recipientsImport.otherCpu, recipientsImport.steal);
        for (Phase p : List.of(importOrders, processing, product, floor)) {
            out.printf(row, p.name, p.seconds, rate(orders, p.seconds), p.javaCpu, p.pgCpu, p.otherCpu, p.steal);
        }
        for (Phase p : List.of(storage, idle)) {
            out.printf(row, p.name, p.seconds, "-", p.javaCpu, p.pgCpu, p.otherCpu, p.steal);
        }
        if (baseline != null) {
            out.printf(row, baseline.name + String.format(" (sample %,d)", baselineOrders), baseline.seconds,
                    rate(baselineOrders, baseline.seconds), baseline.javaCpu, baseline.pgCpu, baseline.otherCpu,
                    baseline.steal);
        }
        if (repeat > 1) {
            out.printf("%n  %d runs of the product, end to end: %s s (the median run is reported, phase by phase); "
                    + "of the floor: %s s%n", repeat, secondsList(runs.stream().map(ProductRun::product).toList()),
                    secondsList(floors.stream().map(FloorRun::phase).toList()));
        }
        out.printf("%n  of which: import orders' step %.1f s, processing's step %.1f s (the rest: each command's "
                        + "JVM starting and stopping, its Spring context, the job's launch); recipients' step %.1f s%n", median.importStep(),
                median.processingStep(), recipientsStep);
        out.printf("  floor: COPY %.1f s + matching statement %.1f s%n", floorParts[0], floorParts[1]);
        out.printf("  storage floor: the product's rows, in its tables, one session: orders COPY %.1f s + attributions "
                + "COPY %.1f s (stage B's queue filled by its trigger) + stage B's write, one UPDATE, %.1f s; rolled "
                + "back%n", storageParts[0], storageParts[1], storageParts[2]);
        if (baseline != null) {
            out.printf("  baseline ran on the first %,d of the %,d orders (one transaction per order); at its rate "
                    + "all of them would take %.0f s%n", baselineOrders, orders, orders / (baselineOrders / baseline.seconds));
        }
        out.println("  cpu columns: seconds of CPU of the product's commands (and this JVM), of the PostgreSQL server, "
                + "and of everything else on the machine (another load there makes the figures unreliable); steal: "
                + "seconds the hypervisor ran other guests while this machine's CPUs had work (a busy host)");

        double productRate = orders / product.seconds;
        double floorRatio = product.seconds / floor.seconds;
        double speedup = baseline == null ? Double.NaN : productRate / (baselineOrders / baseline.seconds);
        out.printf("%npeak heap of import orders' and processing's JVMs: %,d MiB (the most either held, before a "
                + "collection or at exit, from its GC log; max heap %,d MiB); GC: %d pauses, %.1f s%n",
                heap.peakBytes() >> 20, Runtime.getRuntime().maxMemory() >> 20, heap.pauses(), heap.pauseSeconds());
        out.printf("product end to end: %,.0f orders/s; product/floor time: %.2fx; product/baseline speed: %s%n",
                productRate, floorRatio, baseline == null ? "n/a" : String.format("%.1fx", speedup));
        // A bound from CPU alone: PostgreSQL's share of any implementation on this schema (storing its rows, and
        // matching them as the floor's statement does, each a single session's CPU), plus the two commands' start
        // and stop, spread over every core without a moment lost; the product's own work comes on top.
        int cores = Runtime.getRuntime().availableProcessors();
        double startCpu = idle.javaCpu + idle.pgCpu;
        double storing = storageParts[0] + storageParts[1] + storageParts[2];
        double bound = (storing + floorParts[1] + 2 * startCpu) / cores;
        out.printf("lower bound from CPU alone: (storage floor %.1f s + the floor's matching statement %.1f s + two "
                        + "commands' start %.1f CPU-s each) / %d cores = %.1f s end to end, at most %,.0f orders/s; "
                        + "the product's own work (CSV, matching, stage B's reads and rules, the JIT's) comes on top%n",
                storing, floorParts[1], startCpu, cores, bound, orders / bound);
        out.println("goals:");
        out.printf("  >= %,.0f orders/s end to end      %-8s (%,.0f)%n", GOAL_RATE, verdict(productRate >= GOAL_RATE),
                productRate);
        out.printf("  within %.0fx of the floor            %-8s (%.2fx)%n", GOAL_FLOOR_RATIO,
                verdict(floorRatio <= GOAL_FLOOR_RATIO), floorRatio);
        out.printf("  >= %.0fx the one-at-a-time baseline  %-8s (%s)%n", GOAL_BASELINE_SPEEDUP,
                baseline == null ? "n/a" : verdict(speedup >= GOAL_BASELINE_SPEEDUP),
                baseline == null ? "skipped" : String.format("%.1fx", speedup));
        out.printf("  heap under 1 GiB                   %-8s (%,d MiB)%n", verdict(heap.peakBytes() < GOAL_HEAP),
                heap.peakBytes() >> 20);

        out.printf("%nsanity: attributions by method (holdout = control group)%n");
        out.printf("  %-26s %12s %12s %12s %14s%n", "method", "product", "passing", "floor",
                baseline == null ? "" : "baseline*");
        TreeMap<String, Long> all = new TreeMap<>(productCounts);
        floorCounts.keySet().forEach(key -> all.putIfAbsent(key, 0L));
        for (String key : all.keySet()) {
            out.printf("  %-26s %,12d %,12d %,12d %14s%n", key, productCounts.getOrDefault(key, 0L),
                    productPassing.getOrDefault(key, 0L), floorCounts.getOrDefault(key, 0L),
                    baseline == null ? "" : String.format("%,d", baselineCounts.getOrDefault(key, 0L)));
        }
        out.printf("  %-26s %,12d %,12d %,12d %14s%n", "total", sum(productCounts), sum(productPassing),
                sum(floorCounts), baseline == null ? "" : String.format("%,d", sum(baselineCounts)));
        out.printf("  product: %,d orders stored, %,d internal, %,d blacklisted, %,d attributions left unprocessed%n",
                flags.get("orders"), flags.get("internal"), flags.get("blacklisted"), unprocessed);
        if (baseline != null) {
            out.printf("  * baseline: on its sample of %,d orders only%n", baselineOrders);
        }
        long productEmail = productCounts.getOrDefault("email", 0L);
        long floorEmail = floorCounts.getOrDefault("email", 0L);
        double emailGap = Math.abs(productEmail - floorEmail) / (double) Math.max(1, Math.max(productEmail, floorEmail));
        out.printf("  email matches: product %,d, floor %,d: %s (%.2f%% apart)%n", productEmail, floorEmail,
                emailGap <= 0.01 ? "agree" : "DISAGREE", emailGap * 100);

        if (pgStats) {
            out.printf("%npg_stat_statements, import orders (total ms, calls, mean ms, rows, blocks read into shared buffers, statement):%n");
            median.importStatements().forEach(s -> out.println("  " + s));
            out.printf("pg_stat_statements, attribution-processing:%n");
            median.processingStatements().forEach(s -> out.println("  " + s));
        }
        out.flush();
        if (emailGap > 0.01 || unprocessed > 0) {
            throw new IllegalStateException("the product's attributions do not look right (see sanity above)");
        }
    }

    /** Restarts the database with pg_stat_statements loaded (the data directory is kept). */
    private static EmbeddedDatabase withPgStatStatements(EmbeddedDatabase database, Path dir) throws Exception {
        try (Connection db = DriverManager.getConnection(database.jdbcUrl(), "postgres", "")) {
            execute(db, "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
            execute(db, "ALTER SYSTEM SET pg_stat_statements.max = 1000");
            execute(db, "ALTER SYSTEM SET pg_stat_statements.track = 'all'"); // statements run by triggers too
        }
        database.close();
        EmbeddedDatabase restarted = EmbeddedDatabase.start(dir);
        try (Connection db = DriverManager.getConnection(restarted.jdbcUrl(), "postgres", "")) {
            execute(db, "CREATE EXTENSION pg_stat_statements");
        } catch (Exception | Error e) {
            restarted.close();
            throw e;
        }
        return restarted;
    }

    private static List<String> topStatements(Connection db) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT total_exec_time, calls, mean_exec_time, rows, shared_blks_read,
                       regexp_replace(query, '\\s+', ' ', 'g') FROM pg_stat_statements
                WHERE query NOT LIKE '%pg_stat_statements%' ORDER BY total_exec_time DESC LIMIT 15""")) {
            double total = single(db, "SELECT sum(total_exec_time)::bigint FROM pg_stat_statements "
                    + "WHERE query NOT LIKE '%pg_stat_statements%'");
            rows.add(String.format("all statements: %,.0f ms", total));
            while (rs.next()) {
                String q = rs.getString(6);
                rows.add(String.format("%,10.0f %8d %9.2f %10d %9d  %s", rs.getDouble(1), rs.getLong(2),
                        rs.getDouble(3), rs.getLong(4), rs.getLong(5), q.length() > 150 ? q.substring(0, 150) + "..."
                                : q));
            }
        }
        return rows;
    }

    /** One measured run of the product: import orders, then attribution-processing. */
    private record ProductRun(Phase importOrders, Phase processing, double importStep, double processingStep,
                              ProductProcess.Heap heap, List<String> importStatements,
                              List<String> processingStatements) {
        Phase product() {
            return Phase.sum("product, end to end", importOrders, processing);
        }
    }

    /** One run of the floor: its phase and its parts' seconds (COPY, matching statement). */
    private record FloorRun(Phase phase, double[] parts) {
    }

    private ProductRun productRun(Connection db, Path ordersFile, Cpu cpu) throws Exception {
        if (pgStats) {
            execute(db, "SELECT pg_stat_statements_reset()");
        }
        Phase importOrders = new Phase("import orders (sync + stage A)", cpu);
        ProductProcess.Heap heap = paperrun.run("import", "orders", "--org", SyntheticMerchant.ORG, "--file",
                ordersFile.toString());
        importOrders.end();
        List<String> importStatements = pgStats ? topStatements(db) : List.of();
        if (pgStats) {
            execute(db, "SELECT pg_stat_statements_reset()");
        }
        Phase processing = new Phase("run attribution-processing (stage B)", cpu);
        heap = heap.max(paperrun.run("run", "attribution-processing"));
        processing.end();
        List<String> processingStatements = pgStats ? topStatements(db) : List.of();
        return new ProductRun(importOrders, processing, stepSeconds(db, "order-sync"),
                stepSeconds(db, "attribution-processing"), heap, importStatements, processingStatements);
    }

    /** {@code file} as a hard link to {@code original}, or a copy where the file system has no hard links. */
    private static Path sameFile(Path file, Path original) throws IOException {
        try {
            return Files.createLink(file, original);
        } catch (UnsupportedOperationException | IOException e) {
            return Files.copy(original, file);
        }
    }

    private static String secondsList(List<Phase> phases) {
        return String.join(", ", phases.stream().map(p -> String.format("%.1f", p.seconds)).toList());
    }

    /** The duration of the last execution's step(s) of a job, from Spring Batch's tables. */
    private static double stepSeconds(Connection db, String job) throws Exception {
        try (PreparedStatement st = db.prepareStatement("""
                SELECT COALESCE(sum(EXTRACT(EPOCH FROM s.end_time - s.start_time)), 0)
                FROM batch_step_execution s
                WHERE s.step_name NOT LIKE '%:%' -- a partition's time is within its step's
                  AND s.job_execution_id = (SELECT max(e.job_execution_id) FROM batch_job_execution e
                                            JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
                                            WHERE i.job_name = ?)""")) {
            st.setString(1, job);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getDouble(1);
            }
        }
    }

    /** Wall time and CPU time (this JVM, PostgreSQL, the rest of the machine) of one phase. */
    private static final class Phase {
        final String name;
        private final Cpu cpu;
        private final long start;
        private final Cpu.Sample cpuStart;
        double seconds;
        double javaCpu;
        double pgCpu;
        double otherCpu;
        double steal;

        Phase(String name, Cpu cpu) {
            this.name = name;
            this.cpu = cpu;
            this.cpuStart = cpu == null ? null : cpu.sample();
            this.start = System.nanoTime();
        }

        void end() {
            seconds = (System.nanoTime() - start) / 1e9;
            Cpu.Sample now = cpu.sampleAfter(cpuStart);
            javaCpu = now.java() - cpuStart.java();
            pgCpu = now.postgres() - cpuStart.postgres();
            steal = now.steal() - cpuStart.steal();
            otherCpu = Math.max(0, now.machine() - cpuStart.machine() - javaCpu - pgCpu - steal);
        }

        static Phase sum(String name, Phase a, Phase b) {
            Phase p = new Phase(name, null);
            p.seconds = a.seconds + b.seconds;
            p.javaCpu = a.javaCpu + b.javaCpu;
            p.pgCpu = a.pgCpu + b.pgCpu;
            p.otherCpu = a.otherCpu + b.otherCpu;
            p.steal = a.steal + b.steal;
            return p;
        }
    }

    /**
     * CPU seconds from /proc (Linux): this JVM's and its reaped children's (the product's commands), the
     * PostgreSQL server's (postmaster, its live children, and its reaped children), the whole machine's busy
     * time, and the time the hypervisor ran other guests instead (steal, part of the busy time). NaN elsewhere.
     */
    private static final class Cpu {
        private final Path work;
        private final double tick = 100.0; // USER_HZ, 100 on Linux

        Cpu(Path work) {
            this.work = work;
        }

        /** CPU seconds so far of the JVMs, the PostgreSQL server and the machine, steal; the server's processes. */
        record Sample(double java, double postgres, double machine, double steal, int serverProcesses) {
        }

        /** A phase's start. */
        Sample sample() {
            return sample(postgres());
        }

        /**
         * A phase's end: first waits (up to 2 s) until the server is back to the processes the phase's start saw,
         * that is until the connections of the command that has just closed its pool are gone, and then until the
         * server's CPU total stops moving, that is until the postmaster has collected their CPU (cutime). Sampled
         * just after the command, an exiting backend was sometimes in neither place (not listed, not collected
         * yet), and its CPU was lost to both phases: a whole recipients import's, 3.4 s of 3.7 at 100,000
         * recipients, booked to "other" in two runs of three.
         */
        Sample sampleAfter(Sample start) {
            long deadline = System.nanoTime() + 2_000_000_000L;
            Server server = postgres();
            Server previous = null;
            while (System.nanoTime() < deadline && (server.processes() > start.serverProcesses() || previous == null
                    || server.cpu() - previous.cpu() >= 0.02)) {
                pause();
                previous = server;
                server = postgres();
            }
            return sample(server);
        }

        private Sample sample(Server server) {
            double java = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime() / 1e9;
            long[] self = stat(ProcessHandle.current().pid());
            double children = self == null ? Double.NaN : (self[3] + self[4]) / tick;
            double[] machine = machine();
            return new Sample(java + children, server.cpu(), machine[0], machine[1], server.processes());
        }

        /** The server's CPU seconds (the postmaster, its children, its collected children) and its children. */
        private record Server(double cpu, int processes) {
        }

        private static void pause() {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private Server postgres() {
            try {
                Path pidFile = work.resolve("data").resolve("postgres").resolve("postmaster.pid");
                long postmaster = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
                long[] main = stat(postmaster);
                double ticks = main[1] + main[2] + main[3] + main[4];
                int children = 0;
                try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                    for (Path p : (Iterable<Path>) procs::iterator) {
                        String name = p.getFileName().toString();
                        if (!name.chars().allMatch(Character::isDigit)) {
                            continue;
                        }
                        long[] s = stat(Long.parseLong(name));
                        if (s != null && s[0] == postmaster) {
                            ticks += s[1] + s[2];
                            children++;
                        }
                    }
                }
                return new Server(ticks / tick, children);
            } catch (Exception e) {
                return new Server(Double.NaN, Integer.MAX_VALUE);
            }
        }

        /** {ppid, utime, stime, cutime, cstime}, or null when the process is gone. */
        private static long[] stat(long pid) {
            try {
                String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                return new long[] {Long.parseLong(f[1]), Long.parseLong(f[11]), Long.parseLong(f[12]),
                        Long.parseLong(f[13]), Long.parseLong(f[14])};
            } catch (Exception e) {
                return null;
            }
        }

        /** {busy, steal}: the machine's busy CPU seconds (steal included) and its steal. */
        private double[] machine() {
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long busy = 0;
                for (int i = 1; i < f.length && i <= 8; i++) {
                    if (i != 4 && i != 5) { // not idle, not iowait
                        busy += Long.parseLong(f[i]);
                    }
                }
                return new double[] {busy / tick, f.length > 8 ? Long.parseLong(f[8]) / tick : Double.NaN};
            } catch (Exception e) {
                return new double[] {Double.NaN, Double.NaN};
            }
        }

        static String loadAverage() {
            try {
                String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
                return f[0] + " " + f[1] + " " + f[2];
            } catch (IOException e) {
                return "n/a";
            }
        }
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

    private static long sum(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    static long single(Connection db, String sql) throws Exception {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String text(Connection db, String sql) throws Exception {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void execute(Connection db, String sql) throws Exception {
        try (Statement st = db.createStatement()) {
            st.execute(sql);
        }
    }

    private static String gcNames() {
        return String.join("/", ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).toList());
    }

    private static String size(Path file) throws IOException {
        return String.format("%,d MiB", Files.size(file) >> 20);
    }

    private static String rate(long count, double seconds) {
        return String.format("%,.0f", count / seconds);
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static String verdict(boolean met) {
        return met ? "met" : "NOT MET";
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
