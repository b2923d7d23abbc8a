package io.paperrun.bench;

import io.paperrun.database.EmbeddedDatabase;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.logging.Level;
import java.util.logging.Logger;
import mockwebserver3.MockWebServer;

/**
 * What the sync benchmarks (order-sync, recipient-sync) share: a temporary directory with an embedded PostgreSQL
 * and a local MockWebServer for a fake API, a sync step's time from Spring Batch's tables, and report formats.
 */
final class SyncBench {

    /** Held, so that its level stays set: the server logs every request at INFO. */
    private static final Logger SERVER_LOG = Logger.getLogger(MockWebServer.class.getName());

    /** A benchmark's measurements, given the database, the fake's server, the product and the directory. */
    interface Body {
        boolean measure(Connection db, MockWebServer server, ProductProcess paperrun, Path work) throws Exception;
    }

    private SyncBench() {}

    /** Runs {@code body} in a temporary directory, removed afterwards unless kept; returns what it returns. */
    static boolean inTemporaryDirectory(boolean keep, PrintWriter out, Body body) throws Exception {
        SERVER_LOG.setLevel(Level.WARNING);
        Path work = Files.createTempDirectory("paperrun-bench");
        EmbeddedDatabase database = null;
        try (MockWebServer server = new MockWebServer()) {
            server.start(InetAddress.getByName("127.0.0.1"), 0);
            database = EmbeddedDatabase.start(work.resolve("data"));
            ProductProcess paperrun = ProductProcess.on(database.jdbcUrl(), work);
            try (Connection db = DriverManager.getConnection(database.jdbcUrl(), "postgres", "")) {
                return body.measure(db, server, paperrun, work);
            }
        } finally {
            if (database != null) {
                database.close();
            }
            if (keep) {
                out.println("kept: " + work + " (files; PostgreSQL data directory "
                        + work.resolve("data").resolve("postgres") + ")");
            } else {
                AttributionBenchmark.delete(work);
            }
        }
    }

    /** The seconds of step {@code step} (its partitions summed) in the last execution of job {@code job}. */
    static double stepSeconds(Connection db, String job, String step) throws Exception {
        try (PreparedStatement st = db.prepareStatement("""
                SELECT COALESCE(sum(EXTRACT(EPOCH FROM s.end_time - s.start_time)), 0)
                FROM batch_step_execution s
                WHERE s.step_name = ?
                  AND s.job_execution_id = (SELECT max(e.job_execution_id) FROM batch_job_execution e
                                            JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
                                            WHERE i.job_name = ?)""")) {
            st.setString(1, step);
            st.setString(2, job);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getDouble(1);
            }
        }
    }

    /** A command's heap, one line. */
    static void reportHeap(PrintWriter out, String run, ProductProcess.Heap heap) {
        out.printf(
                "peak heap, %s: %,d MiB; the most a collection left: %,d MiB; GC: %d pauses, %.2f s%n",
                run, heap.peakBytes() >> 20, heap.mostAfterCollection() >> 20, heap.pauses(), heap.pauseSeconds());
    }

    /** How the heap is measured, after the heap lines. */
    static void explainHeap(PrintWriter out) {
        out.printf(
                "  heap: from the command's GC log (-Xlog:gc,gc+heap+exit): a heap grows between collections, so it "
                        + "held the most just before one (the size before each pause) or at exit (its used heap "
                        + "then); what a collection left is the size after a pause; max heap %,d MiB%n",
                Runtime.getRuntime().maxMemory() >> 20);
    }

    static String rate(long count, double seconds) {
        return seconds > 0 ? String.format("%,.0f", count / seconds) : "-";
    }

    static String number(double value) {
        return value == Math.rint(value) ? String.format("%,.0f", value) : String.format("%,.2f", value);
    }

    static String verdict(boolean met) {
        return met ? "met" : "NOT MET";
    }
}
