package io.paperrun.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

/**
 * PostgreSQL storing, alone, the rows the product has just stored, in the product's own tables: COPY of the
 * orders, COPY of the attributions, stage B's write as one UPDATE, in one transaction rolled back.
 */
final class StorageFloor {

    private static final String ATTRIBUTION_COLUMNS = "order_id, organization_id, campaign_id, recipient_id, method, "
            + "holdout, ordered_at, order_value, duplicate_candidates";

    private StorageFloor() {}

    /** Copies the product's orders and attributions to files in {@code dir}, which the server reads back (not timed). */
    static void prepare(Connection db, Path dir) throws Exception {
        try (Statement st = db.createStatement()) {
            st.execute("COPY customer_order TO '" + orders(dir) + "' (FORMAT binary)");
            st.execute("COPY (SELECT " + ATTRIBUTION_COLUMNS + " FROM attribution ORDER BY id) TO '" + attributions(dir)
                    + "' (FORMAT binary)");
        }
    }

    /**
     * In one transaction, rolled back: the product's tables emptied, then, timed, the orders copied in, the
     * attributions copied in and decided. Returns {orders seconds, attributions seconds, update seconds}; fails
     * unless the product's rows are as they were afterwards.
     */
    static double[] run(Connection db, Path dir) throws Exception {
        String rows =
                "SELECT (SELECT count(*) FROM customer_order) || '/' || (SELECT count(*) FROM attribution_pending)";
        String before = AttributionBenchmark.text(db, rows);
        double[] seconds = timedAndRolledBack(db, dir);
        if (!AttributionBenchmark.text(db, rows).equals(before)) {
            throw new IllegalStateException(
                    "the storage floor's transaction did not leave the product's rows as they were");
        }
        return seconds;
    }

    private static double[] timedAndRolledBack(Connection db, Path dir) throws Exception {
        boolean autoCommit = db.getAutoCommit();
        db.setAutoCommit(false);
        try (Statement st = db.createStatement()) {
            st.execute("TRUNCATE customer_order, attribution, attribution_pending");
            long t = System.nanoTime();
            st.execute("COPY customer_order FROM '" + orders(dir) + "' (FORMAT binary)");
            double orders = AttributionBenchmark.seconds(t);
            t = System.nanoTime();
            st.execute(
                    "COPY attribution (" + ATTRIBUTION_COLUMNS + ") FROM '" + attributions(dir) + "' (FORMAT binary)");
            double attributions = AttributionBenchmark.seconds(t);
            t = System.nanoTime();
            st.execute("""
                    UPDATE attribution SET processed = true, passes_rules = order_value > 0, order_count = 1,
                        archived = false, updated_at = now()
                    """);
            return new double[] {orders, attributions, AttributionBenchmark.seconds(t)};
        } finally {
            db.rollback();
            db.setAutoCommit(autoCommit);
        }
    }

    private static String orders(Path dir) {
        return dir.resolve("storage-floor-orders.bin").toAbsolutePath().toString();
    }

    private static String attributions(Path dir) {
        return dir.resolve("storage-floor-attributions.bin").toAbsolutePath().toString();
    }
}
