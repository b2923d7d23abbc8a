package io.paperrun.bench;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.postgresql.PGConnection;

/**
 * The benchmark's floor: PostgreSQL alone, a COPY of the orders and one set-based statement doing stage A, in
 * schema {@code bench_floor}; it reads the product's recipients and campaigns and writes nothing of theirs.
 */
final class PostgresFloor {

    private static final String MATCH = """
            INSERT INTO bench_floor.attribution (order_id, recipient_id, campaign_id, method, holdout, ordered_at,
                order_value)
            SELECT DISTINCT ON (m.order_id) m.order_id, m.recipient_id, m.campaign_id, m.method, m.step = 5,
                   m.ordered_at, m.total
            FROM (
                SELECT o.order_id, r.id AS recipient_id, r.campaign_id, 'email' AS method,
                       CASE WHEN r.status = 'sent' THEN 1 ELSE 5 END AS step,
                       r.created_at, r.id AS tiebreak, o.ordered_at, o.total, o.email_lower, o.codes
                FROM bench_floor.orders o
                JOIN recipient r ON r.organization_id = %1$d AND r.email_lower = o.email_lower
                JOIN campaign c ON c.id = r.campaign_id
                WHERE (r.status = 'sent' AND r.sent_at <= o.ordered_at)
                   OR (r.status = 'holdout' AND r.created_at < o.ordered_at AND o.total >= 1
                       AND c.status IN ('active', 'completed', 'paused'))
                UNION ALL
                SELECT o.order_id, r.id, r.campaign_id,
                       CASE WHEN r.email_lower = o.email_lower THEN 'email' ELSE 'physical_address' END,
                       CASE WHEN r.status = 'sent' THEN 2 ELSE 5 END,
                       r.created_at, r.id, o.ordered_at, o.total, o.email_lower, o.codes
                FROM bench_floor.orders o
                JOIN recipient r ON r.organization_id = %1$d AND r.address_key = o.address_key
                JOIN campaign c ON c.id = r.campaign_id
                WHERE (r.status = 'sent' AND r.sent_at <= o.ordered_at
                       AND (o.subscription_start IS NULL OR o.subscription_start >= r.sent_at))
                   OR (r.status = 'holdout' AND r.created_at < o.ordered_at AND o.total >= 1
                       AND c.status IN ('active', 'completed', 'paused'))
                UNION ALL
                SELECT o.order_id, r.id, r.campaign_id, 'discount_code', 3, r.created_at, r.id,
                       o.ordered_at, o.total, o.email_lower, o.codes
                FROM bench_floor.orders o
                CROSS JOIN LATERAL unnest(string_to_array(o.codes, ';')) AS x(code)
                JOIN recipient r ON r.organization_id = %1$d AND r.discount_code_upper = x.code
                 AND r.status <> 'holdout'
                JOIN campaign c ON c.id = r.campaign_id AND c.use_unique_discount
                UNION ALL
                SELECT o.order_id, NULL, c.id, 'discount_code', 4, NULL, c.id, o.ordered_at, o.total,
                       o.email_lower, o.codes
                FROM bench_floor.orders o
                CROSS JOIN LATERAL unnest(string_to_array(o.codes, ';')) AS x(code)
                JOIN campaign c ON c.organization_id = %1$d AND c.discount_code IS NOT NULL
                 AND upper(btrim(c.discount_code)) = x.code
            ) m
            WHERE COALESCE(m.email_lower, '') NOT LIKE '%%@benchco.com'
              AND COALESCE(m.email_lower, '') NOT LIKE '%%.benchco.com'
              AND COALESCE(m.codes, '') NOT LIKE '%%WHOLESALE%%'
            ORDER BY m.order_id, m.step, m.created_at DESC NULLS LAST, m.tiebreak DESC
            """;

    private PostgresFloor() {}

    /** Creates the floor's tables (not timed). */
    static void prepare(Connection db) throws Exception {
        try (Statement st = db.createStatement()) {
            st.execute("CREATE SCHEMA bench_floor");
            st.execute("""
                    CREATE TABLE bench_floor.orders (order_id text COLLATE "C", ordered_at timestamptz,
                        email_lower text COLLATE "C", total numeric(14,2), codes text COLLATE "C",
                        address_key text COLLATE "C", subscription_start timestamptz)
                    """);
            st.execute("""
                    CREATE TABLE bench_floor.attribution (order_id text, recipient_id bigint, campaign_id bigint,
                        method text, holdout boolean, ordered_at timestamptz, order_value numeric(14,2))
                    """);
        }
    }

    /** The COPY and the matching statement; returns {copy seconds, statement seconds}. */
    static double[] run(Connection db, long organizationId, Path floorCsv) throws Exception {
        long t = System.nanoTime();
        try (Reader reader = Files.newBufferedReader(floorCsv, StandardCharsets.UTF_8)) {
            db.unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyIn("COPY bench_floor.orders FROM STDIN WITH (FORMAT csv)", reader);
        }
        double copy = (System.nanoTime() - t) / 1e9;
        t = System.nanoTime();
        try (Statement st = db.createStatement()) {
            st.execute(MATCH.formatted(organizationId));
        }
        return new double[] {copy, (System.nanoTime() - t) / 1e9};
    }
}
