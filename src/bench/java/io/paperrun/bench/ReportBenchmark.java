package io.paperrun.bench;

import static io.paperrun.bench.AttributionBenchmark.execute;
import static io.paperrun.bench.AttributionBenchmark.seconds;
import static io.paperrun.bench.AttributionBenchmark.single;
import static io.paperrun.bench.AttributionBenchmark.text;
import static io.paperrun.bench.SyncBench.verdict;

import io.paperrun.experiment.ReportQueries;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockWebServer;
import org.postgresql.PGStatement;
import org.springframework.jdbc.core.SqlTypeValue;
import org.springframework.jdbc.core.StatementCreatorUtils;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterUtils;
import org.springframework.jdbc.core.namedparam.ParsedSql;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code scripts/bench.sh report}: the product's {@code report experiment}, a command in a JVM of its own, on one
 * holdout campaign of N synthetic recipients and N attributed orders; prints its time beside the time of the one SQL
 * aggregate it needs ({@link ReportQueries#GROUPS}), the commands' peak heap, and whether the JSON's groups are the
 * ones the benchmark counts itself.
 */
final class ReportBenchmark {

    private static final double GOAL_RATIO = 2;
    private static final long GOAL_HEAP = 1L << 30;
    private static final String ORG = "bench";
    private static final String CAMPAIGN = "bench-holdout";
    private static final BigDecimal COST_PER_PIECE = new BigDecimal("0.89");
    private static final int TIMED_RUNS = 3;
    private static final Pattern PRODUCT_TIME = Pattern.compile("report written to .* in ([0-9.]+) s");
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /** What to run: how many recipients (and attributed orders), whether to explain, to keep, the command line. */
    record Settings(int recipients, boolean explain, boolean keep, String commandLine) {}

    private final Settings settings;
    private final PrintWriter out = new PrintWriter(System.out, true);

    ReportBenchmark(Settings settings) {
        this.settings = settings;
    }

    /** Runs it in a temporary directory, removed afterwards unless kept; true when the JSON's groups are right. */
    boolean run() throws Exception {
        return SyncBench.inTemporaryDirectory(settings.keep(), out, this::measureAndReport);
    }

    private boolean measureAndReport(Connection db, MockWebServer unused, ProductProcess paperrun, Path work)
            throws Exception {
        Cpu cpu = new Cpu(work);
        out.println("PaperRun report benchmark (report experiment: the holdout analysis of one campaign)");
        out.println("command:  " + settings.commandLine());
        out.println("machine:  " + AttributionBenchmark.machine(db));
        out.printf(
                "settings: commands: %s; PostgreSQL shared_buffers=%s work_mem=%s max_parallel_workers_per_gather=%s "
                        + "jit=%s%n",
                paperrun.describe(),
                text(db, "SHOW shared_buffers"),
                text(db, "SHOW work_mem"),
                text(db, "SHOW max_parallel_workers_per_gather"),
                text(db, "SHOW jit"));
        paperrun.run("apply", "-f", applyFile(work).toString());
        long started = System.nanoTime();
        long campaign = generate(db);
        execute(db, "VACUUM ANALYZE");
        execute(db, "CHECKPOINT");
        describeData(db, campaign, seconds(started));

        Timing all = timeAggregate(db, campaign, false);
        Timing first = timeAggregate(db, campaign, true);
        out.printf(
                "aggregate: ReportQueries.GROUPS over JDBC, bound as the product binds it; in this JVM's session, one "
                        + "run to warm, then %d: all_orders min %.3f s, median %.3f s; first_order min %.3f s, median "
                        + "%.3f s%n",
                TIMED_RUNS, all.min(), all.median(), first.min(), first.median());
        out.printf(
                "           each in a new session, as a command runs it (%d runs): all_orders min %.3f s, median "
                        + "%.3f s; first_order min %.3f s, median %.3f s%n",
                TIMED_RUNS, all.newMin(), all.newMedian(), first.newMin(), first.newMedian());
        if (settings.explain()) {
            explain(db, campaign);
        }
        out.println();

        List<Run> runs = new ArrayList<>();
        runs.add(report(db, paperrun, cpu, work, "all_orders", "json", all));
        runs.add(report(db, paperrun, cpu, work, "first_order", "json", first));
        runs.add(report(db, paperrun, cpu, work, "all_orders", "html", all));
        String header = "%-36s %8s %10s %12s %12s %12s %8s%n";
        out.printf(header, "run", "seconds", "product s", "x aggregate", "x new sess.", "product cpu", "pg cpu");
        for (Run run : runs) {
            out.printf(
                    "%-36s %8.2f %10s %12s %12s %12.1f %8.1f%n",
                    run.phase().name,
                    run.phase().seconds,
                    twoDecimals(run.productSeconds()),
                    twoDecimals(run.productSeconds() / run.aggregate().median()),
                    twoDecimals(run.productSeconds() / run.aggregate().newMedian()),
                    run.phase().javaCpu - run.phase().benchCpu,
                    run.phase().pgCpu);
        }
        out.println("  seconds: the command's wall time, its JVM's start and stop included; product s: what the "
                + "command says it spent, from the campaign found to the file written ('report written to F in X s'); "
                + "x aggregate, x new sess.: product s over the aggregate's median of the same metric, in this JVM's "
                + "session and in new sessions; cpu seconds of the product's command and of PostgreSQL");
        out.printf(
                "%nin PostgreSQL: the product's statements of %.2f s or more, from pg_stat_activity (read every %d ms "
                        + "while a command runs), and what is left of product s%n",
                StatementWatch.SHOWN, StatementWatch.POLL_MILLIS);
        for (Run run : runs) {
            out.println("  " + run.phase().name + ":");
            double inDatabase = 0;
            for (StatementWatch.Statement statement : run.statements()) {
                out.printf("    %6.2f s  %s%n", statement.seconds(), statement.text());
                inDatabase += statement.seconds();
            }
            out.printf("    %6.2f s  the rest of product s%n", run.productSeconds() - inDatabase);
        }
        out.println();
        for (Run run : runs) {
            SyncBench.reportHeap(out, run.phase().name, run.heap());
        }
        SyncBench.explainHeap(out);

        Run json = runs.get(0);
        long peak = runs.stream().mapToLong(r -> r.heap().peakBytes()).max().orElse(0);
        String goal = "  %-50s %-8s (%s)%n";
        out.println("goals:");
        double ratio = json.productSeconds() / all.median();
        out.printf(
                goal,
                String.format("within %.0fx of the aggregate (json, all_orders)", GOAL_RATIO),
                verdict(ratio <= GOAL_RATIO),
                String.format(
                        "%.2fx: %.2f s against %.3f s; %.2fx the aggregate in a new session",
                        ratio, json.productSeconds(), all.median(), json.productSeconds() / all.newMedian()));
        out.printf(goal, "heap under 1 GiB", verdict(peak < GOAL_HEAP), String.format("%,d MiB", peak >> 20));
        boolean right = true;
        for (Run run : runs.subList(0, 2)) {
            right &= checked(db, campaign, run);
        }
        out.flush();
        return right;
    }

    private static Path applyFile(Path work) throws IOException {
        return Files.writeString(
                work.resolve("apply.yaml"), """
                organizations:
                  - slug: %s
                    name: Bench Co
                campaigns:
                  - key: %s
                    organization: %s
                    name: Bench holdout
                    status: active
                    start_date: 2024-03-01
                    holdout: { enabled: true, percentage: 10 }
                    cost_per_piece: %s
                """.formatted(ORG, CAMPAIGN, ORG, COST_PER_PIECE.toPlainString()));
    }

    /**
     * The campaign's recipients, every tenth held out, the rest sent (2% without the printer's cost); one order a
     * recipient, each attributed to a recipient drawn with a skew (k = 1 + N (1 - (1 - u)^¼), a density falling from
     * 4 orders a recipient to none: about half the recipients without an order, some with several), a fifth of those
     * drawn in the control group moved to the mailed recipient before it (a lift); decided, 5% failing the rules, 1%
     * worth 0, 2% archived, order_count the recipient's order number. Returns the campaign's id.
     */
    private long generate(Connection db) throws Exception {
        int n = settings.recipients();
        // A draw in [0, 1) for row g, one stream per seed: PostgreSQL's own hash of the row's number, so the data are
        // the same on every run. A one-expression SQL function, inlined where it is called.
        execute(db, """
                CREATE FUNCTION pg_temp.draw(g bigint, seed bigint) RETURNS numeric LANGUAGE sql IMMUTABLE
                AS $$ SELECT (hashint8extended(g, seed) & 2147483647) / 2147483648.0 $$""");
        try (PreparedStatement st = db.prepareStatement("""
                INSERT INTO recipient (campaign_id, organization_id, natural_key, external_id, status, created_at,
                    sent_at, cost, email, email_lower, first_name, last_name, address1, city, region, zip, country,
                    enriched_at)
                SELECT c.id, c.organization_id, 'R' || g, 'R' || g, CASE WHEN g % 10 = 0 THEN 'holdout' ELSE 'sent' END,
                    timestamptz '2024-02-26 00:00Z',
                    CASE WHEN g % 10 <> 0 THEN timestamptz '2024-03-01 00:00Z' + (g % 5) * interval '1 day' END,
                    CASE WHEN g % 10 <> 0 AND g % 50 <> 1 THEN 0.8500 END,
                    'person' || g || '@example.com', 'person' || g || '@example.com', 'Person' || g, 'Bench',
                    g || ' Main St', 'Springfield', 'IL', '62701', 'US', now()
                FROM campaign c, generate_series(1, ?) g WHERE c.key = ?""")) {
            st.setInt(1, n);
            st.setString(2, CAMPAIGN);
            st.executeUpdate();
        }
        try (PreparedStatement st = db.prepareStatement("""
                INSERT INTO customer_order (organization_id, provider, provider_order_id, ordered_at, total, currency)
                SELECT o.id, 'csv', 'O' || g, timestamptz '2024-03-02 00:00Z' + pg_temp.draw(g, 1) * interval '90 days',
                    CASE WHEN pg_temp.draw(g, 2) < 0.01 THEN 0
                         ELSE round(20 + 180 * power(pg_temp.draw(g, 3), 2), 2) END, 'USD'
                FROM organization o, generate_series(1, ?) g WHERE o.slug = ?""")) {
            st.setInt(1, n);
            st.setString(2, ORG);
            st.executeUpdate();
        }
        try (PreparedStatement st = db.prepareStatement("""
                INSERT INTO attribution (order_id, organization_id, campaign_id, recipient_id, method, holdout,
                    ordered_at, order_value, processed, passes_rules, order_count, archived)
                SELECT o.id, o.organization_id, r.campaign_id, r.id,
                    CASE p.g % 20 WHEN 0 THEN 'discount_code' WHEN 1 THEN 'physical_address' ELSE 'email' END,
                    r.status = 'holdout', o.ordered_at, o.total, true, o.total > 0 AND p.fails >= 0.05,
                    row_number() OVER (PARTITION BY r.id ORDER BY o.ordered_at, o.id), p.archived < 0.02
                FROM (SELECT g, CASE WHEN k % 10 = 0 AND moved < 0.2 THEN k - 1 ELSE k END AS k, fails, archived
                      FROM (SELECT g, 1 + floor(? * (1 - power(1 - pg_temp.draw(g, 4), 0.25)))::bigint AS k,
                                   pg_temp.draw(g, 5) AS moved, pg_temp.draw(g, 6) AS fails,
                                   pg_temp.draw(g, 7) AS archived
                            FROM generate_series(1, ?) g) d) p
                JOIN customer_order o ON o.organization_id = (SELECT id FROM organization WHERE slug = ?)
                    AND o.provider = 'csv' AND o.provider_order_id = 'O' || p.g
                JOIN recipient r ON r.campaign_id = (SELECT id FROM campaign WHERE key = ?)
                    AND r.natural_key = 'R' || p.k""")) {
            st.setInt(1, n);
            st.setInt(2, n);
            st.setString(3, ORG);
            st.setString(4, CAMPAIGN);
            st.executeUpdate();
        }
        try (PreparedStatement st = db.prepareStatement("SELECT id FROM campaign WHERE key = ?")) {
            st.setString(1, CAMPAIGN);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private void describeData(Connection db, long campaign, double seconds) throws Exception {
        long sent = single(db, "SELECT count(*) FROM recipient WHERE status = 'sent' AND campaign_id = " + campaign);
        long holdout =
                single(db, "SELECT count(*) FROM recipient WHERE status = 'holdout' AND campaign_id = " + campaign);
        try (PreparedStatement st = db.prepareStatement("""
                SELECT count(*), count(*) FILTER (WHERE counted), count(*) FILTER (WHERE counted AND order_count = 1),
                       count(DISTINCT recipient_id) FILTER (WHERE counted), max(order_count)
                FROM (SELECT a.*, a.processed AND a.passes_rules AND NOT a.archived AS counted
                      FROM attribution a WHERE a.campaign_id = ?) a""")) {
            st.setLong(1, campaign);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                out.printf(
                        "data:     one campaign, holdout 10%%, cost_per_piece %s: %,d recipients (%,d sent, %,d "
                                + "holdout); %,d orders, each attributed to one of them (%,d counted: passing the "
                                + "rules, not archived; %,d of them first orders); %,d recipients with a counted "
                                + "order, at most %d orders one recipient; recipient %s, attribution %s with their "
                                + "indexes; written in SQL, vacuumed, analyzed, in %.1f s%n%n",
                        COST_PER_PIECE.toPlainString(),
                        sent + holdout,
                        sent,
                        holdout,
                        rs.getLong(1),
                        rs.getLong(2),
                        rs.getLong(3),
                        rs.getLong(4),
                        rs.getLong(5),
                        text(db, "SELECT pg_size_pretty(pg_total_relation_size('recipient'))"),
                        text(db, "SELECT pg_size_pretty(pg_total_relation_size('attribution'))"),
                        seconds);
            }
        }
    }

    /**
     * The aggregate's seconds, the least and the median of its timed runs: in this JVM's session, after a run to warm
     * it; each in a new session (its connection made before the clock starts), as a command runs it.
     */
    private record Timing(double min, double median, double newMin, double newMedian) {}

    private static Timing timeAggregate(Connection db, long campaign, boolean firstOnly) throws Exception {
        aggregate(db, "", campaign, firstOnly);
        double[] same = new double[TIMED_RUNS];
        double[] fresh = new double[TIMED_RUNS];
        for (int i = 0; i < TIMED_RUNS; i++) {
            long started = System.nanoTime();
            aggregate(db, "", campaign, firstOnly);
            same[i] = seconds(started);
            try (Connection session =
                    DriverManager.getConnection(db.getMetaData().getURL(), "postgres", "")) {
                started = System.nanoTime();
                aggregate(session, "", campaign, firstOnly);
                fresh[i] = seconds(started);
            }
        }
        Arrays.sort(same);
        Arrays.sort(fresh);
        return new Timing(same[0], same[TIMED_RUNS / 2], fresh[0], fresh[TIMED_RUNS / 2]);
    }

    private static String twoDecimals(double value) {
        return Double.isNaN(value) ? "-" : String.format("%.2f", value);
    }

    private void explain(Connection db, long campaign) throws Exception {
        out.println("aggregate's plan, all_orders (EXPLAIN (ANALYZE, BUFFERS)):");
        aggregate(db, "EXPLAIN (ANALYZE, BUFFERS) ", campaign, false).forEach(line -> out.println("  " + line));
    }

    /**
     * {@link ReportQueries#GROUPS} after {@code prefix}, bound as the product's JdbcClient binds it (Spring's named
     * parameters, values of unknown SQL type) and, as the product's single execution, not prepared on the server;
     * its rows read to the end, each row's columns joined by tabs.
     */
    private static List<String> aggregate(Connection db, String prefix, long campaign, boolean firstOnly)
            throws Exception {
        MapSqlParameterSource parameters = new MapSqlParameterSource()
                .addValue("campaign", campaign)
                .addValue("firstOnly", firstOnly)
                .addValue("costPerPiece", COST_PER_PIECE);
        ParsedSql parsed = NamedParameterUtils.parseSqlStatement(ReportQueries.GROUPS);
        Object[] values = NamedParameterUtils.buildValueArray(parsed, parameters, null);
        List<String> rows = new ArrayList<>();
        try (PreparedStatement st =
                db.prepareStatement(prefix + NamedParameterUtils.substituteNamedParameters(parsed, parameters))) {
            st.unwrap(PGStatement.class).setPrepareThreshold(0);
            for (int i = 0; i < values.length; i++) {
                StatementCreatorUtils.setParameterValue(st, i + 1, SqlTypeValue.TYPE_UNKNOWN, values[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int c = 1; c <= columns; c++) {
                        row.append(c > 1 ? "\t" : "").append(rs.getString(c));
                    }
                    rows.add(row.toString());
                }
            }
        }
        return rows;
    }

    /** One product command: its phase, the seconds it says it spent, its heap, its file and the aggregate's time. */
    private record Run(
            String metric,
            Phase phase,
            double productSeconds,
            ProductProcess.Heap heap,
            Path file,
            Timing aggregate,
            List<StatementWatch.Statement> statements) {}

    private static Run report(
            Connection db, ProductProcess paperrun, Cpu cpu, Path work, String metric, String format, Timing aggregate)
            throws Exception {
        Path file = work.resolve("experiment-" + metric + "." + format);
        Phase phase = new Phase("report experiment " + format + " " + metric, cpu);
        StatementWatch watch = new StatementWatch(db);
        ProductProcess.Heap heap = paperrun.run(
                "report",
                "experiment",
                "--org",
                ORG,
                "--campaign",
                CAMPAIGN,
                "--metric",
                metric,
                "--format",
                format,
                "--out",
                file.toString());
        phase.end();
        List<StatementWatch.Statement> statements = watch.stop();
        Matcher said = PRODUCT_TIME.matcher(paperrun.lastErrors());
        double productSeconds = said.find() ? Double.parseDouble(said.group(1)) : Double.NaN;
        return new Run(metric, phase, productSeconds, heap, file, aggregate, statements);
    }

    /** A group's counts and revenue. */
    private record Group(long recipients, long conversions, long orders, BigDecimal revenue) {
        boolean same(Group other) {
            return recipients == other.recipients
                    && conversions == other.conversions
                    && orders == other.orders
                    && revenue.compareTo(other.revenue) == 0;
        }

        @Override
        public String toString() {
            return String.format(
                    "%,d recipients, %,d conversions, %,d orders, revenue %,.2f",
                    recipients, conversions, orders, revenue);
        }
    }

    /** Whether the JSON's two groups are the ones the benchmark counts itself, said in one line. */
    private boolean checked(Connection db, long campaign, Run run) throws Exception {
        JsonNode report = JSON.readTree(Files.readString(run.file()));
        Map<Boolean, Group> written =
                Map.of(false, group(report.get("experiment")), true, group(report.get("control")));
        Map<Boolean, Group> counted = counted(db, campaign, run.metric().equals("first_order"));
        boolean right =
                written.get(false).same(counted.get(false)) && written.get(true).same(counted.get(true));
        out.printf(
                "correctness, %s: experiment %s; control %s: %s%n",
                run.phase().name,
                written.get(false),
                written.get(true),
                right
                        ? "as the benchmark counts them"
                        : "WRONG, the benchmark counts experiment " + counted.get(false) + "; control "
                                + counted.get(true));
        return right;
    }

    private static Group group(JsonNode node) {
        return new Group(
                node.get("recipients").asLong(),
                node.get("conversions").asLong(),
                node.get("orders").asLong(),
                node.get("revenue").decimalValue());
    }

    /**
     * The two groups (control: true) as the benchmark counts them, apart from the product's statement: recipients by
     * status, converters as those with a counted attribution (a semi-join), orders and revenue by the attribution's
     * own holdout flag.
     */
    private static Map<Boolean, Group> counted(Connection db, long campaign, boolean firstOnly) throws Exception {
        long[][] recipients = new long[2][2];
        try (PreparedStatement st = db.prepareStatement("""
                SELECT r.status = 'holdout', count(*), count(*) FILTER (WHERE EXISTS (
                    SELECT FROM attribution a
                    WHERE a.recipient_id = r.id AND a.campaign_id = r.campaign_id AND a.processed AND a.passes_rules
                      AND NOT a.archived AND (a.order_count = 1 OR NOT ?)))
                FROM recipient r WHERE r.campaign_id = ? AND r.status IN ('sent', 'holdout')
                GROUP BY 1""")) {
            st.setBoolean(1, firstOnly);
            st.setLong(2, campaign);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    int control = rs.getBoolean(1) ? 1 : 0;
                    recipients[control] = new long[] {rs.getLong(2), rs.getLong(3)};
                }
            }
        }
        long[] orders = new long[2];
        BigDecimal[] revenue = {BigDecimal.ZERO, BigDecimal.ZERO};
        try (PreparedStatement st = db.prepareStatement("""
                SELECT holdout, count(*), sum(order_value)
                FROM attribution
                WHERE campaign_id = ? AND processed AND passes_rules AND NOT archived AND (order_count = 1 OR NOT ?)
                GROUP BY 1""")) {
            st.setLong(1, campaign);
            st.setBoolean(2, firstOnly);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    int control = rs.getBoolean(1) ? 1 : 0;
                    orders[control] = rs.getLong(2);
                    revenue[control] = rs.getBigDecimal(3);
                }
            }
        }
        return Map.of(
                false, new Group(recipients[0][0], recipients[0][1], orders[0], revenue[0]),
                true, new Group(recipients[1][0], recipients[1][1], orders[1], revenue[1]));
    }
}
