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
 * {@code scripts/bench.sh attribution}: the product's {@code import orders} and {@code run attribution-processing},
 * each a command in a JVM of its own, on a synthetic organization, against the floor, the storage floor, an idle
 * command and the one-order-at-a-time baseline on the same data; prints the figures (docs/performance.md).
 */
public final class AttributionBenchmark {

    private static final double GOAL_RATE = 50_000;
    private static final double GOAL_FLOOR_RATIO = 4;
    private static final double GOAL_BASELINE_SPEEDUP = 20;
    private static final long GOAL_HEAP = 1L << 30;

    /** What to run: the sizes, the seed, the repetitions, the options, and the command line that said so. */
    record Settings(
            int recipients,
            int orders,
            int baselineOrders,
            long seed,
            int repeat,
            boolean pgStats,
            boolean keep,
            String commandLine) {}

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

    AttributionBenchmark(Settings settings) {
        this.recipients = settings.recipients();
        this.orders = settings.orders();
        this.baselineOrders = settings.baselineOrders();
        this.seed = settings.seed();
        this.repeat = settings.repeat();
        this.pgStats = settings.pgStats();
        this.keep = settings.keep();
        this.commandLine = settings.commandLine();
    }

    /** Runs scripts/bench.sh's command line and exits with its code (0 done, 1 failed, 2 bad usage). */
    public static void main(String[] args) {
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        System.exit(BenchCommandLine.execute(args));
    }

    /** In a temporary directory, removed afterwards unless kept: the database, the data, the runs, the report. */
    void run() throws Exception {
        Path work = Files.createTempDirectory("paperrun-bench");
        EmbeddedDatabase database = null;
        try {
            database = startDatabase(work.resolve("data"));
            paperrun = ProductProcess.on(database.jdbcUrl(), work);
            try (Connection db = DriverManager.getConnection(database.jdbcUrl(), "postgres", "")) {
                measureAndReport(db, work);
            }
        } finally {
            if (database != null) {
                database.close();
            }
            keepOrDelete(work);
        }
    }

    private void measureAndReport(Connection db, Path work) throws Exception {
        Cpu cpu = new Cpu(work);
        describeRun(db);
        Workload data = generateData(work);
        Setup setup = setUp(db, data, cpu);
        long org = single(db, "SELECT id FROM organization WHERE slug = '" + SyntheticMerchant.ORG + "'");
        // The product and the floor, measured --repeat times each on the same data, each product run followed by a
        // floor run, so that the machine's drift weighs on both alike; the runs with the median times are reported.
        List<ProductRun> products = new ArrayList<>();
        List<FloorRun> floors = new ArrayList<>();
        for (int run = 0; run < repeat; run++) {
            if (run > 0) {
                emptyProductTables(db);
            }
            products.add(importAndProcessOrders(db, ordersFileOfRun(run, data, work), cpu));
            floors.add(floor(db, org, data.floorOrders(), run, cpu));
        }
        Attributions attributions = attributions(db);
        StorageFloorRun storage = storageFloor(db, work, cpu);
        Phase idle = idleCommand(cpu);
        BaselineRun baseline = baselineOrders > 0 ? baseline(db, org, data.orders(), cpu) : null;
        report(new Results(setup, products, floors, attributions, storage, idle, baseline));
        if (!attributions.lookRight()) {
            throw new IllegalStateException("the product's attributions do not look right (see sanity above)");
        }
    }

    /** The embedded database, restarted with pg_stat_statements for {@code --pg-stats}. */
    private EmbeddedDatabase startDatabase(Path dir) throws Exception {
        EmbeddedDatabase database = EmbeddedDatabase.start(dir);
        try {
            return pgStats ? withPgStatStatements(database, dir) : database;
        } catch (Exception | Error e) {
            database.close();
            throw e;
        }
    }

    private void keepOrDelete(Path work) throws IOException {
        if (keep) {
            System.out.println("kept: " + work + " (files; PostgreSQL data directory "
                    + work.resolve("data").resolve("postgres") + ")");
        } else {
            delete(work);
        }
    }

    /** The report's first lines: the command, the machine, the settings. */
    private void describeRun(Connection db) throws Exception {
        out.println("PaperRun attribution benchmark");
        out.println("command:  " + commandLine);
        out.println("machine:  " + machine(db));
        String chunk = System.getProperty("paperrun.batch.chunk-size");
        out.printf(
                "settings: commands: %s; paperrun.batch.chunk-size=%s; PostgreSQL fsync=%s synchronous_commit=%s "
                        + "(the product's embedded database, durable as a server's)%s%n",
                paperrun.describe(),
                chunk == null ? "2000 (default)" : chunk,
                text(db, "SHOW fsync"),
                text(db, "SHOW synchronous_commit"),
                pgStats ? "; pg_stat_statements on (--pg-stats)" : "");
    }

    /** The benchmark's files: the apply file, the recipients, the orders and the floor's copy of them. */
    private record Workload(Path apply, Path recipients, Path orders, Path floorOrders) {}

    private Workload generateData(Path work) throws IOException {
        long t = System.nanoTime();
        SyntheticMerchant merchant = new SyntheticMerchant(recipients, orders, seed);
        Path apply = merchant.applyFile(work);
        Path recipientsFile = merchant.recipientsFile(work);
        Path[] ordersFiles = merchant.ordersFiles(work);
        out.printf(
                "data:     seed %d, %,d recipients (%s), %,d orders (%s), generated in %.1f s%n",
                seed, recipients, size(recipientsFile), orders, size(ordersFiles[0]), seconds(t));
        StringBuilder kinds = new StringBuilder();
        merchant.generatedKinds()
                .forEach((kind, count) -> kinds.append(kinds.isEmpty() ? "" : ", ")
                        .append(kind.name().toLowerCase())
                        .append(' ')
                        .append(String.format("%,d", count)));
        out.println("          orders generated by kind: " + kinds);
        out.println();
        return new Workload(apply, recipientsFile, ordersFiles[0], ordersFiles[1]);
    }

    /** The setup's import of the recipients, and its step's seconds. */
    private record Setup(Phase recipientsImport, double recipientsStep) {}

    /** The campaigns and the recipients, not measured against the goals; then the database settles. */
    private Setup setUp(Connection db, Workload data, Cpu cpu) throws Exception {
        paperrun.run("apply", "-f", data.apply().toString());
        Phase recipientsImport = new Phase("import recipients (setup)", cpu);
        paperrun.run(
                "import",
                "recipients",
                "--org",
                SyntheticMerchant.ORG,
                "--file",
                data.recipients().toString());
        recipientsImport.end();
        double recipientsStep = stepSeconds(db, "recipient-sync");
        // Orders arrive in a database that has settled since its recipients were loaded: autovacuum has
        // vacuumed and analyzed them (here at once, rather than in the middle of the measured phase), and
        // the measured phases start without pending dirty buffers.
        execute(db, "VACUUM ANALYZE");
        execute(db, "CHECKPOINT");
        return new Setup(recipientsImport, recipientsStep);
    }

    /** The machine, the JVM (this one's) and the database, for a report's first lines. */
    static String machine(Connection db) throws Exception {
        return String.format(
                "%d cores (nproc), %s %s, %s %s (%s), max heap %d MiB, %s; %s; load average %s",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"),
                System.getProperty("os.arch"),
                System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"),
                System.getProperty("java.vm.vendor"),
                Runtime.getRuntime().maxMemory() >> 20,
                gcNames(),
                text(db, "SELECT split_part(version(), ' on ', 1)"),
                Cpu.loadAverage());
    }

    /** Before a product run but the first: whatever the product wrote removed, the database settled again. */
    static void emptyProductTables(Connection db) throws Exception {
        // Every table but the setup's, the job repository's and Flyway's.
        execute(db, "TRUNCATE " + text(db, """
                SELECT string_agg(quote_ident(tablename), ', ') FROM pg_tables
                WHERE schemaname = 'public' AND tablename NOT LIKE 'batch\\_%'
                  AND tablename NOT IN ('organization', 'campaign', 'recipient', 'flyway_schema_history')
                """));
        execute(db, "VACUUM ANALYZE");
        execute(db, "CHECKPOINT");
    }

    /**
     * The orders file a run imports: after the first, a file of a name of its own (a hard link to the same file),
     * since an import is an instance of order-sync by organization, file and content, and a completed one is not
     * run again.
     */
    private static Path ordersFileOfRun(int run, Workload data, Path work) throws IOException {
        return run == 0 ? data.orders() : sameFile(work.resolve("orders-run" + (run + 1) + ".csv"), data.orders());
    }

    /** One measured run of the product: import orders, then attribution-processing. */
    private record ProductRun(
            Phase importOrders,
            Phase processing,
            double importStep,
            double processingStep,
            ProductProcess.Heap heap,
            List<String> importStatements,
            List<String> processingStatements) {
        Phase product() {
            return Phase.sum("product, end to end", importOrders, processing);
        }
    }

    private ProductRun importAndProcessOrders(Connection db, Path ordersFile, Cpu cpu) throws Exception {
        if (pgStats) {
            execute(db, "SELECT pg_stat_statements_reset()");
        }
        Phase importOrders = new Phase("import orders (sync + stage A)", cpu);
        ProductProcess.Heap heap =
                paperrun.run("import", "orders", "--org", SyntheticMerchant.ORG, "--file", ordersFile.toString());
        importOrders.end();
        List<String> importStatements = pgStats ? topStatements(db) : List.of();
        if (pgStats) {
            execute(db, "SELECT pg_stat_statements_reset()");
        }
        Phase processing = new Phase("run attribution-processing (stage B)", cpu);
        heap = heap.max(paperrun.run("run", "attribution-processing"));
        processing.end();
        List<String> processingStatements = pgStats ? topStatements(db) : List.of();
        return new ProductRun(
                importOrders,
                processing,
                stepSeconds(db, "order-sync"),
                stepSeconds(db, "attribution-processing"),
                heap,
                importStatements,
                processingStatements);
    }

    /** One run of the floor: its phase and its parts' seconds (COPY, matching statement). */
    private record FloorRun(Phase phase, double[] parts) {}

    /** The floor, PostgreSQL alone, on a settled database (no autovacuum of the product's new rows meanwhile). */
    private static FloorRun floor(Connection db, long org, Path floorOrders, int run, Cpu cpu) throws Exception {
        execute(db, "VACUUM ANALYZE");
        if (run > 0) {
            execute(db, "DROP SCHEMA bench_floor CASCADE");
        }
        PostgresFloor.prepare(db);
        execute(db, "CHECKPOINT");
        Phase phase = new Phase("floor: PostgreSQL alone", cpu);
        double[] parts = PostgresFloor.run(db, org, floorOrders);
        phase.end();
        return new FloorRun(phase, parts);
    }

    /** What the product (its last run) and the floor attributed, by method, and the product's orders. */
    private record Attributions(
            Map<String, Long> product,
            Map<String, Long> passing,
            long unprocessed,
            Map<String, Long> orders,
            Map<String, Long> floor) {

        /** How far apart the product's and the floor's email matches are, as a share of the larger. */
        double emailGap() {
            long productEmail = product.getOrDefault("email", 0L);
            long floorEmail = floor.getOrDefault("email", 0L);
            return Math.abs(productEmail - floorEmail) / (double) Math.max(1, Math.max(productEmail, floorEmail));
        }

        boolean lookRight() {
            return emailGap() <= 0.01 && unprocessed == 0;
        }
    }

    private static Attributions attributions(Connection db) throws Exception {
        Map<String, Long> product = counts(db, """
                SELECT method || CASE WHEN holdout THEN ' holdout' ELSE '' END, count(*) FROM attribution
                GROUP BY 1""");
        Map<String, Long> passing = counts(db, """
                SELECT method || CASE WHEN holdout THEN ' holdout' ELSE '' END, count(*) FROM attribution
                WHERE passes_rules GROUP BY 1""");
        long unprocessed = single(db, "SELECT count(*) FROM attribution WHERE NOT processed");
        Map<String, Long> orders = counts(db, """
                SELECT 'internal', count(*) FROM customer_order WHERE internal
                UNION ALL SELECT 'blacklisted', count(*) FROM customer_order WHERE blacklisted
                UNION ALL SELECT 'orders', count(*) FROM customer_order""");
        Map<String, Long> floor = counts(db, """
                SELECT method || CASE WHEN holdout THEN ' holdout' ELSE '' END, count(*) FROM bench_floor.attribution
                GROUP BY 1""");
        return new Attributions(product, passing, unprocessed, orders, floor);
    }

    /** The storage floor's phase and its parts' seconds (orders COPY, attributions COPY, stage B's UPDATE). */
    private record StorageFloorRun(Phase phase, double[] parts) {
        double storing() {
            return parts[0] + parts[1] + parts[2];
        }
    }

    /** What PostgreSQL costs whatever the product's code does: the product's rows stored by it alone, rolled back. */
    private static StorageFloorRun storageFloor(Connection db, Path work, Cpu cpu) throws Exception {
        StorageFloor.prepare(db, work);
        execute(db, "CHECKPOINT");
        Phase phase = new Phase("storage floor: PostgreSQL storing alone", cpu);
        double[] parts = StorageFloor.run(db, work);
        phase.end();
        return new StorageFloorRun(phase, parts);
    }

    /** What a command's JVM costs whatever the product's code does: a command that only starts and stops. */
    private Phase idleCommand(Cpu cpu) throws Exception {
        Phase idle = new Phase("a command that only starts (executions)", cpu);
        paperrun.run("executions", "--job", "order-sync");
        idle.end();
        return idle;
    }

    /** The baseline's phase and what it attributed, by method. */
    private record BaselineRun(Phase phase, Map<String, Long> counts) {}

    /** The baseline: one order at a time, on a sample of the first {@code --baseline-orders} orders. */
    private BaselineRun baseline(Connection db, long org, Path ordersFile, Cpu cpu) throws Exception {
        OneOrderAtATime.prepare(db);
        execute(db, "CHECKPOINT");
        OrganizationRules rules = new OrganizationRules("benchco.com", List.of("wholesale"));
        Phase phase = new Phase("baseline: one order at a time", cpu);
        new OneOrderAtATime(db, org, rules).run(ordersFile, baselineOrders);
        phase.end();
        return new BaselineRun(phase, counts(db, """
                SELECT method || CASE WHEN holdout THEN ' holdout' ELSE '' END, count(*)
                FROM bench_base.attribution GROUP BY 1"""));
    }

    /** Everything measured; the product's and the floor's median runs. */
    private record Results(
            Setup setup,
            List<ProductRun> products,
            List<FloorRun> floors,
            Attributions attributions,
            StorageFloorRun storage,
            Phase idle,
            BaselineRun baseline) {

        /** The median run of the product; of an even number, the slower of the two middle ones. */
        ProductRun product() {
            return products.stream()
                    .sorted(Comparator.comparingDouble(x -> x.product().seconds))
                    .toList()
                    .get(products.size() / 2);
        }

        /** The median run of the floor; of an even number, the faster of the two middle ones. */
        FloorRun floor() {
            return floors.stream()
                    .sorted(Comparator.comparingDouble(f -> f.phase().seconds))
                    .toList()
                    .get((floors.size() - 1) / 2);
        }
    }

    private void report(Results results) {
        reportPhases(results);
        reportDetails(results);
        reportThroughput(results);
        reportGoals(results);
        reportSanity(results);
        if (pgStats) {
            reportStatements(results.product());
        }
        out.flush();
    }

    /** The table: each phase's seconds, orders per second and CPU. */
    private void reportPhases(Results results) {
        String header = "%-46s %9s %11s %10s %10s %10s %10s%n";
        String row = "%-46s %9.1f %11s %10.1f %10.1f %10.1f %10.1f%n";
        out.printf(header, "phase", "seconds", "orders/s", "java cpu", "pg cpu", "other cpu", "steal");
        Phase recipientsImport = results.setup().recipientsImport();
        out.printf(
                row,
                recipientsImport.name + String.format(", %,.0f recipients/s", recipients / recipientsImport.seconds),
                recipientsImport.seconds,
                "-",
                recipientsImport.javaCpu,
                recipientsImport.pgCpu,
                recipientsImport.otherCpu,
                recipientsImport.steal);
        ProductRun median = results.product();
        for (Phase p : List.of(
                median.importOrders(),
                median.processing(),
                median.product(),
                results.floor().phase())) {
            out.printf(row, p.name, p.seconds, rate(orders, p.seconds), p.javaCpu, p.pgCpu, p.otherCpu, p.steal);
        }
        for (Phase p : List.of(results.storage().phase(), results.idle())) {
            out.printf(row, p.name, p.seconds, "-", p.javaCpu, p.pgCpu, p.otherCpu, p.steal);
        }
        if (results.baseline() != null) {
            Phase baseline = results.baseline().phase();
            out.printf(
                    row,
                    baseline.name + String.format(" (sample %,d)", baselineOrders),
                    baseline.seconds,
                    rate(baselineOrders, baseline.seconds),
                    baseline.javaCpu,
                    baseline.pgCpu,
                    baseline.otherCpu,
                    baseline.steal);
        }
    }

    /** Below the table: the repeated runs, the steps, the references' parts, what the columns mean. */
    private void reportDetails(Results results) {
        if (repeat > 1) {
            out.printf(
                    "%n  %d runs of the product, end to end: %s s (the median run is reported, phase by phase); "
                            + "of the floor: %s s%n",
                    repeat,
                    secondsList(
                            results.products().stream().map(ProductRun::product).toList()),
                    secondsList(results.floors().stream().map(FloorRun::phase).toList()));
        }
        ProductRun median = results.product();
        out.printf(
                "%n  of which: import orders' step %.1f s, processing's step %.1f s (the rest: each command's "
                        + "JVM starting and stopping, its Spring context, the job's launch); recipients' step %.1f s%n",
                median.importStep(), median.processingStep(), results.setup().recipientsStep());
        double[] floorParts = results.floor().parts();
        out.printf("  floor: COPY %.1f s + matching statement %.1f s%n", floorParts[0], floorParts[1]);
        double[] storageParts = results.storage().parts();
        out.printf(
                "  storage floor: the product's rows, in its tables, one session: orders COPY %.1f s + attributions "
                        + "COPY %.1f s (stage B's queue filled by its trigger) + stage B's write, one UPDATE, %.1f s; rolled "
                        + "back%n",
                storageParts[0], storageParts[1], storageParts[2]);
        if (results.baseline() != null) {
            out.printf(
                    "  baseline ran on the first %,d of the %,d orders (one transaction per order); at its rate "
                            + "all of them would take %.0f s%n",
                    baselineOrders,
                    orders,
                    orders / (baselineOrders / results.baseline().phase().seconds));
        }
        out.println("  cpu columns: seconds of CPU of the product's commands (and this JVM), of the PostgreSQL server, "
                + "and of everything else on the machine (another load there makes the figures unreliable); steal: "
                + "seconds the hypervisor ran other guests while this machine's CPUs had work (a busy host)");
    }

    private double productRate(Results results) {
        return orders / results.product().product().seconds;
    }

    private static double floorRatio(Results results) {
        return results.product().product().seconds / results.floor().phase().seconds;
    }

    /** The product's speed over the baseline's; NaN without a baseline. */
    private double speedup(Results results) {
        return results.baseline() == null
                ? Double.NaN
                : productRate(results) / (baselineOrders / results.baseline().phase().seconds);
    }

    /** Peak heap, the product's rate and ratios, and the lower bound of the end-to-end time from CPU alone. */
    private void reportThroughput(Results results) {
        ProductProcess.Heap heap = results.product().heap();
        out.printf(
                "%npeak heap of import orders' and processing's JVMs: %,d MiB (the most either held, before a "
                        + "collection or at exit, from its GC log; max heap %,d MiB); GC: %d pauses, %.1f s%n",
                heap.peakBytes() >> 20, Runtime.getRuntime().maxMemory() >> 20, heap.pauses(), heap.pauseSeconds());
        out.printf(
                "product end to end: %,.0f orders/s; product/floor time: %.2fx; product/baseline speed: %s%n",
                productRate(results),
                floorRatio(results),
                results.baseline() == null ? "n/a" : String.format("%.1fx", speedup(results)));
        // PostgreSQL's share of any implementation on this schema (storing its rows, and matching them as the
        // floor's statement does, each a single session's CPU), plus the two commands' start and stop, spread over
        // every core without a moment lost; the product's own work comes on top.
        int cores = Runtime.getRuntime().availableProcessors();
        Phase idle = results.idle();
        double startCpu = idle.javaCpu + idle.pgCpu;
        double storing = results.storage().storing();
        double matching = results.floor().parts()[1];
        double bound = (storing + matching + 2 * startCpu) / cores;
        out.printf(
                "lower bound from CPU alone: (storage floor %.1f s + the floor's matching statement %.1f s + two "
                        + "commands' start %.1f CPU-s each) / %d cores = %.1f s end to end, at most %,.0f orders/s; "
                        + "the product's own work (CSV, matching, stage B's reads and rules, the JIT's) comes on top%n",
                storing, matching, startCpu, cores, bound, orders / bound);
    }

    private void reportGoals(Results results) {
        double productRate = productRate(results);
        double floorRatio = floorRatio(results);
        double speedup = speedup(results);
        long peak = results.product().heap().peakBytes();
        out.println("goals:");
        out.printf(
                "  >= %,.0f orders/s end to end      %-8s (%,.0f)%n",
                GOAL_RATE, verdict(productRate >= GOAL_RATE), productRate);
        out.printf(
                "  within %.0fx of the floor            %-8s (%.2fx)%n",
                GOAL_FLOOR_RATIO, verdict(floorRatio <= GOAL_FLOOR_RATIO), floorRatio);
        out.printf(
                "  >= %.0fx the one-at-a-time baseline  %-8s (%s)%n",
                GOAL_BASELINE_SPEEDUP,
                results.baseline() == null ? "n/a" : verdict(speedup >= GOAL_BASELINE_SPEEDUP),
                results.baseline() == null ? "skipped" : String.format("%.1fx", speedup));
        out.printf("  heap under 1 GiB                   %-8s (%,d MiB)%n", verdict(peak < GOAL_HEAP), peak >> 20);
    }

    /** Attributions by method of the product, the floor and the baseline, and whether product and floor agree. */
    private void reportSanity(Results results) {
        Attributions attributions = results.attributions();
        Map<String, Long> baseline =
                results.baseline() == null ? null : results.baseline().counts();
        out.printf("%nsanity: attributions by method (holdout = control group)%n");
        out.printf(
                "  %-26s %12s %12s %12s %14s%n",
                "method", "product", "passing", "floor", baseline == null ? "" : "baseline*");
        TreeMap<String, Long> all = new TreeMap<>(attributions.product());
        attributions.floor().keySet().forEach(key -> all.putIfAbsent(key, 0L));
        for (String key : all.keySet()) {
            out.printf(
                    "  %-26s %,12d %,12d %,12d %14s%n",
                    key,
                    attributions.product().getOrDefault(key, 0L),
                    attributions.passing().getOrDefault(key, 0L),
                    attributions.floor().getOrDefault(key, 0L),
                    baseline == null ? "" : String.format("%,d", baseline.getOrDefault(key, 0L)));
        }
        out.printf(
                "  %-26s %,12d %,12d %,12d %14s%n",
                "total",
                sum(attributions.product()),
                sum(attributions.passing()),
                sum(attributions.floor()),
                baseline == null ? "" : String.format("%,d", sum(baseline)));
        Map<String, Long> stored = attributions.orders();
        out.printf(
                "  product: %,d orders stored, %,d internal, %,d blacklisted, %,d attributions left unprocessed%n",
                stored.get("orders"), stored.get("internal"), stored.get("blacklisted"), attributions.unprocessed());
        if (baseline != null) {
            out.printf("  * baseline: on its sample of %,d orders only%n", baselineOrders);
        }
        long productEmail = attributions.product().getOrDefault("email", 0L);
        long floorEmail = attributions.floor().getOrDefault("email", 0L);
        double emailGap = attributions.emailGap();
        out.printf(
                "  email matches: product %,d, floor %,d: %s (%.2f%% apart)%n",
                productEmail, floorEmail, emailGap <= 0.01 ? "agree" : "DISAGREE", emailGap * 100);
    }

    /** With {@code --pg-stats}: the median product run's statements by total time, command by command. */
    private void reportStatements(ProductRun median) {
        out.printf("%npg_stat_statements, import orders (total ms, calls, mean ms, rows, blocks read into shared "
                + "buffers, statement):%n");
        median.importStatements().forEach(s -> out.println("  " + s));
        out.printf("pg_stat_statements, attribution-processing:%n");
        median.processingStatements().forEach(s -> out.println("  " + s));
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
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("""
                SELECT total_exec_time, calls, mean_exec_time, rows, shared_blks_read,
                       regexp_replace(query, '\\s+', ' ', 'g') FROM pg_stat_statements
                WHERE query NOT LIKE '%pg_stat_statements%' ORDER BY total_exec_time DESC LIMIT 15""")) {
            double total = single(
                    db,
                    "SELECT sum(total_exec_time)::bigint FROM pg_stat_statements "
                            + "WHERE query NOT LIKE '%pg_stat_statements%'");
            rows.add(String.format("all statements: %,.0f ms", total));
            while (rs.next()) {
                String q = rs.getString(6);
                rows.add(String.format(
                        "%,10.0f %8d %9.2f %10d %9d  %s",
                        rs.getDouble(1),
                        rs.getLong(2),
                        rs.getDouble(3),
                        rs.getLong(4),
                        rs.getLong(5),
                        q.length() > 150 ? q.substring(0, 150) + "..." : q));
            }
        }
        return rows;
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
        return String.join(
                ", ", phases.stream().map(p -> String.format("%.1f", p.seconds)).toList());
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

    private static Map<String, Long> counts(Connection db, String sql) throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
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
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String text(Connection db, String sql) throws Exception {
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static void execute(Connection db, String sql) throws Exception {
        try (Statement st = db.createStatement()) {
            st.execute(sql);
        }
    }

    private static String gcNames() {
        return String.join(
                "/",
                ManagementFactory.getGarbageCollectorMXBeans().stream()
                        .map(GarbageCollectorMXBean::getName)
                        .toList());
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

    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
