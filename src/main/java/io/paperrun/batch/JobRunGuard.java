package io.paperrun.batch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;

/**
 * One execution of a job at a time, across processes and machines: a PostgreSQL
 * session advisory lock per job name, held on a dedicated connection for as
 * long as the execution runs. PostgreSQL releases it when the process dies, so
 * holding the lock also proves that an execution left STARTED has no live owner.
 * <p>
 * A job of a {@link RunGroup} (its {@link JobDefinition#group()} in the {@link JobCatalog}) also takes the
 * lock the group's jobs share, so that they run one at a time.
 */
@Component
public class JobRunGuard {

    private final DataSource dataSource;
    private final JobCatalog catalog;

    public JobRunGuard(DataSource dataSource, JobCatalog catalog) {
        this.dataSource = dataSource;
        this.catalog = catalog;
    }

    /** Another process runs this job now, or another job of its group. */
    public static final class JobAlreadyRunningException extends RuntimeException {
        private JobAlreadyRunningException(String message) {
            super(message);
        }

        static JobAlreadyRunningException sameJob(String jobName) {
            return new JobAlreadyRunningException("another execution of " + jobName + " is already running");
        }

        static JobAlreadyRunningException anotherOfGroup(String jobName, RunGroup group, List<String> members) {
            return new JobAlreadyRunningException(jobName + " cannot start while another " + group.member()
                    + " is running (" + String.join(", ", new TreeSet<>(members)) + " run one at a time)");
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
        return acquire(jobName, Optional.empty());
    }

    /** The job's own lock and, for a job of a {@link RunGroup}, the lock of its group: taken to run the job. */
    public Lease acquireToRun(String jobName) {
        return acquire(jobName, catalog.find(jobName).flatMap(JobDefinition::group));
    }

    private Lease acquire(String jobName, Optional<RunGroup> group) {
        try {
            Connection connection = dataSource.getConnection();
            try {
                if (!tryLock(connection, jobName)) {
                    throw JobAlreadyRunningException.sameJob(jobName);
                }
                if (group.isPresent() && !tryLock(connection, group.get().name())) {
                    throw JobAlreadyRunningException.anotherOfGroup(jobName, group.get(), catalog.members(group.get()));
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
     * For a job outside {@code group} that must, now and then, undo what the group's jobs decided
     * (recipient-sync re-queues attributions when a campaign's first send moves): waits, in the caller's
     * transaction, until no job of the group runs, and keeps them from starting until that transaction ends.
     */
    public static String waitForGroupSql(RunGroup group) {
        return "SELECT pg_advisory_xact_lock(hashtext('paperrun.job'), hashtext('" + group.name() + "'))";
    }

    /**
     * The newest execution of a job of {@code group} (0 if none), as a watermark: one that runs later has a
     * greater id (the execution ids come from one sequence, and a job that cannot take its lock leaves no
     * execution).
     */
    public String lastExecutionOfGroupSql(RunGroup group) {
        return "SELECT coalesce(max(e.job_execution_id), 0) FROM batch_job_execution e "
                + "JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id WHERE i.job_name IN ('"
                + String.join("', '", new TreeSet<>(catalog.members(group))) + "')";
    }

    private static boolean tryLock(Connection connection, String name) throws SQLException {
        try (PreparedStatement st =
                connection.prepareStatement("SELECT pg_try_advisory_lock(hashtext('paperrun.job'), hashtext(?))")) {
            st.setString(1, name);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
