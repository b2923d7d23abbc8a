package io.paperrun.batch;

import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * One execution of a job at a time, across processes and machines: a PostgreSQL
 * session advisory lock per job name, held on a dedicated connection for as
 * long as the execution runs. PostgreSQL releases it when the process dies, so
 * holding the lock also proves that an execution left STARTED has no live owner.
 * <p>
 * The jobs that write attributions ({@link #ATTRIBUTION_WRITERS}) also take one lock
 * they share, so that they run one at a time: order-sync writes in partitions side
 * by side and leaves the re-queueing of the attributions its changes affect, and the
 * holdout decisions, to its last steps; a stage B decision made in between would
 * read a history that is about to change.
 */
@Component
public class JobRunGuard {

    private final DataSource dataSource;

    /** Jobs that run one at a time among themselves, not only each with itself. */
    private static final java.util.Set<String> ATTRIBUTION_WRITERS =
            java.util.Set.of("order-sync", "attribution-processing", "attribution-rerun");

    private static final String ATTRIBUTION_WRITERS_LOCK = "attribution-writers";

    public JobRunGuard(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Another process runs this job now, or another job that writes attributions. */
    public static final class JobAlreadyRunningException extends RuntimeException {
        private JobAlreadyRunningException(String message) {
            super(message);
        }

        static JobAlreadyRunningException sameJob(String jobName) {
            return new JobAlreadyRunningException("another execution of " + jobName + " is already running");
        }

        static JobAlreadyRunningException anotherAttributionWriter(String jobName) {
            return new JobAlreadyRunningException(jobName + " cannot start while another job that writes "
                    + "attributions is running (" + String.join(", ", new java.util.TreeSet<>(ATTRIBUTION_WRITERS))
                    + " run one at a time)");
        }
    }

    /** Held while a job runs; closing it releases the lock. */
    public static final class Lease implements AutoCloseable {
        private final Connection connection;

        private Lease(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void close() {
            try (connection) {
                connection.createStatement().execute("SELECT pg_advisory_unlock_all()");
            } catch (SQLException ignored) {
                // Closing the session releases the lock as well.
            }
        }
    }

    /** The job's own lock: no other execution of this job runs while it is held. */
    public Lease acquire(String jobName) {
        return acquire(jobName, false);
    }

    /**
     * The job's own lock and, for a job that writes attributions, the lock it shares with the others
     * that do: taken to run the job.
     */
    public Lease acquireToRun(String jobName) {
        return acquire(jobName, ATTRIBUTION_WRITERS.contains(jobName));
    }

    private Lease acquire(String jobName, boolean withWriters) {
        try {
            Connection connection = dataSource.getConnection();
            try {
                if (!tryLock(connection, jobName)) {
                    throw JobAlreadyRunningException.sameJob(jobName);
                }
                if (withWriters && !tryLock(connection, ATTRIBUTION_WRITERS_LOCK)) {
                    throw JobAlreadyRunningException.anotherAttributionWriter(jobName);
                }
                return new Lease(connection);
            } catch (SQLException | RuntimeException e) {
                new Lease(connection).close(); // releases whatever it took
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot take the run lock for " + jobName + ": " + e.getMessage(), e);
        }
    }

    /**
     * For a job outside {@link #ATTRIBUTION_WRITERS} that must, now and then, queue decided attributions for
     * stage B again (recipient-sync, when a campaign's first send moves): waits, in the caller's transaction,
     * until no job that writes attributions runs, and keeps them from starting until that transaction ends, so
     * that no stage B decision reads the old state and commits after the re-queueing.
     */
    public static String waitForAttributionWritersSql() {
        return "SELECT pg_advisory_xact_lock(hashtext('paperrun.job'), hashtext('" + ATTRIBUTION_WRITERS_LOCK + "'))";
    }

    /**
     * The newest execution of a job that writes attributions (0 if none), as a watermark: one that runs later
     * has a greater id (the execution ids come from one sequence, and a job that cannot take its lock leaves
     * no execution).
     */
    public static String lastAttributionWriterExecutionSql() {
        return "SELECT coalesce(max(e.job_execution_id), 0) FROM batch_job_execution e "
                + "JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id WHERE i.job_name IN ('"
                + String.join("', '", new java.util.TreeSet<>(ATTRIBUTION_WRITERS)) + "')";
    }

    private static boolean tryLock(Connection connection, String name) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(
                "SELECT pg_try_advisory_lock(hashtext('paperrun.job'), hashtext(?))")) {
            st.setString(1, name);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
