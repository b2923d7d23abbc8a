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
 */
@Component
public class JobRunGuard {

    private final DataSource dataSource;

    public JobRunGuard(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Another process runs this job now. */
    public static final class JobAlreadyRunningException extends RuntimeException {
        public JobAlreadyRunningException(String jobName) {
            super("another execution of " + jobName + " is already running");
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

    public Lease acquire(String jobName) {
        try {
            Connection connection = dataSource.getConnection();
            try (PreparedStatement st = connection.prepareStatement(
                    "SELECT pg_try_advisory_lock(hashtext('paperrun.job'), hashtext(?))")) {
                st.setString(1, jobName);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return new Lease(connection);
                    }
                }
            }
            connection.close();
            throw new JobAlreadyRunningException(jobName);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot take the run lock for " + jobName + ": " + e.getMessage(), e);
        }
    }
}
