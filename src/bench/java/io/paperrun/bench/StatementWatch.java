package io.paperrun.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The statements other sessions run while a command runs, from pg_stat_activity read every {@link #POLL_MILLIS} ms
 * on a connection of its own: each one's server time, from its start to its end, seen by a read or, when no read saw
 * it end, bounded by the next statement of its session (else by the last read that saw it running).
 */
final class StatementWatch {

    static final long POLL_MILLIS = 20;
    /** The least time of a statement {@link #stop()} returns, in seconds. */
    static final double SHOWN = 0.05;

    /** A statement: its text (white space folded, cut to 80 characters) and seconds in the server. */
    record Statement(String text, double seconds) {}

    /** What a read saw of a statement: its session, start (epoch seconds), time so far or in all, and whether done. */
    private record Seen(int pid, double start, double seconds, boolean done, String text) {}

    private final Connection connection;
    private final Set<Integer> before = new HashSet<>();
    private final Map<String, Seen> seen = new LinkedHashMap<>();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile Exception failure;

    /** Starts watching, on a connection of its own to {@code db}'s database; sessions open now are not watched. */
    StatementWatch(Connection db) throws SQLException {
        connection = DriverManager.getConnection(db.getMetaData().getURL(), "postgres", "");
        try (PreparedStatement st = connection.prepareStatement(
                        "SELECT pid FROM pg_stat_activity WHERE backend_type = 'client backend'");
                ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                before.add(rs.getInt(1));
            }
        }
        thread = new Thread(this::watch, "statement-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch() {
        try (PreparedStatement st = connection.prepareStatement("""
                SELECT pid, EXTRACT(EPOCH FROM query_start),
                       EXTRACT(EPOCH FROM CASE WHEN state = 'active' THEN clock_timestamp() ELSE state_change END
                                          - query_start),
                       state <> 'active', left(regexp_replace(query, '\\s+', ' ', 'g'), 80)
                FROM pg_stat_activity
                WHERE backend_type = 'client backend' AND query_start IS NOT NULL""")) {
            while (!stopping) {
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        int pid = rs.getInt(1);
                        if (!before.contains(pid)) {
                            Seen s = new Seen(pid, rs.getDouble(2), rs.getDouble(3), rs.getBoolean(4), rs.getString(5));
                            seen.put(pid + "@" + s.start(), s);
                        }
                    }
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (SQLException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops watching; the statements of {@link #SHOWN} seconds or more, in the order they started. */
    List<Statement> stop() throws Exception {
        stopping = true;
        thread.join();
        connection.close();
        if (failure != null) {
            throw failure;
        }
        List<Seen> all = new ArrayList<>(seen.values());
        all.sort(Comparator.comparingDouble(Seen::start));
        List<Statement> statements = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            Seen s = all.get(i);
            double seconds = s.seconds();
            if (!s.done()) {
                for (Seen next : all.subList(i + 1, all.size())) {
                    if (next.pid() == s.pid()) {
                        seconds = next.start() - s.start();
                        break;
                    }
                }
            }
            if (seconds >= SHOWN) {
                statements.add(new Statement(s.text(), seconds));
            }
        }
        return statements;
    }
}
