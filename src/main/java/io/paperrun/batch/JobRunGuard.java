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

        static JobAlreadyRunningException sameJob(String jobName, String running) {
            return new JobAlreadyRunningException("another execution of " + jobName + " is already running" + running);
        }

        static JobAlreadyRunningException anotherOfGroup(
                String jobName, RunGroup group, List<String> members, String running) {
            return new JobAlreadyRunningException(jobName + " cannot start while another " + group.member()
                    + " is running (" + String.join(", ", new TreeSet<>(members)) + " run one at a time)" + running);
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
                    throw JobAlreadyRunningException.sameJob(jobName, running(connection, List.of(jobName)));
                }
                if (group.isPresent() && !tryLock(connection, group.get().name())) {
                    List<String> members = catalog.members(group.get());
                    throw JobAlreadyRunningException.anotherOfGroup(
                            jobName, group.get(), members, running(connection, members));
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

    /**
     * The newest execution of {@code jobs} that the job repository says is running, as the refusal names it
     * ({@code ": execution 12 (mailing, started 2026-12-04T10:00:00Z)"}); empty when it records none yet (the
     * holder is between taking the lock and creating its execution).
     */
    private static String running(Connection connection, List<String> jobs) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("""
                SELECT e.job_execution_id, i.job_name, e.start_time, e.create_time
                FROM batch_job_execution e JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
                WHERE i.job_name = ANY(?) AND e.status IN ('STARTING', 'STARTED', 'STOPPING')
                ORDER BY e.job_execution_id DESC LIMIT 1""")) {
            st.setArray(1, connection.createArrayOf("text", jobs.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return "";
                }
                java.sql.Timestamp started = rs.getTimestamp(3) != null ? rs.getTimestamp(3) : rs.getTimestamp(4);
                return ": execution " + rs.getLong(1) + " (" + rs.getString(2)
                        + (started == null
                                ? ""
                                : ", started "
                                        + started.toLocalDateTime()
                                                .atOffset(java.time.ZoneOffset.UTC)
                                                .toInstant()
                                                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                        + ")";
            }
        }
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
