package io.paperrun.batch;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The job executions in the job repository, with their counts, newest first. A job's counts are those
 * of its main step (the lines of an import, the attributions decided, the orders
 * re-matched), not of the steps that follow it up; another job's are its steps' sums. A partitioned
 * step counts by its partitions ({@code step:partitionN}), whose counts are stored at each commit (the
 * step's own are summed only when it ends, so a process killed mid-way would show none).
 */
@Repository
public class ExecutionHistory {

    private final JdbcClient jdbc;

    public ExecutionHistory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record Execution(
            long id,
            long instanceId,
            String job,
            String status,
            LocalDateTime started,
            LocalDateTime ended,
            long read,
            long written,
            long rejected,
            String parameters,
            String exitMessage) {}

    /**
     * @param mainSteps job name to the step whose counts are the job's (a job without one: all its steps)
     */
    public List<Execution> list(String job, String status, int limit, Map<String, String> mainSteps) {
        return jdbc.sql("""
                SELECT e.job_execution_id, i.job_instance_id, i.job_name, e.status, e.start_time, e.end_time,
                       COALESCE(c.read, 0) AS read, COALESCE(c.written, 0) AS written,
                       (SELECT count(*) FROM rejected_row r WHERE r.job_execution_id = e.job_execution_id) AS rejected,
                       COALESCE((SELECT string_agg(p.parameter_name || '=' || p.parameter_value, ' '
                                                   ORDER BY p.parameter_name)
                                 FROM batch_job_execution_params p
                                 WHERE p.job_execution_id = e.job_execution_id AND p.parameter_name <> 'sha256'), '')
                           AS parameters,
                       e.exit_message
                FROM batch_job_execution e JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
                LEFT JOIN LATERAL (
                    SELECT sum(s.read_count) AS read, sum(s.write_count) AS written
                    FROM batch_step_execution s
                    WHERE s.job_execution_id = e.job_execution_id
                      AND (split_part(s.step_name, ':', 1) = ANY(CAST(:counted AS text[]))
                           OR i.job_name <> ALL(CAST(:jobs AS text[])))
                      AND NOT EXISTS (SELECT 1 FROM batch_step_execution p   -- counted by its partitions
                                      WHERE p.job_execution_id = s.job_execution_id
                                        AND p.step_name LIKE s.step_name || ':%')) c ON true
                WHERE (CAST(:job AS text) IS NULL OR i.job_name = :job)
                  AND (CAST(:status AS text) IS NULL OR e.status = upper(:status))
                ORDER BY e.job_execution_id DESC
                LIMIT :limit
                """)
                .param("job", job)
                .param("status", status)
                .param("limit", limit)
                .param("counted", TextArray.of(mainSteps.values()))
                .param("jobs", TextArray.of(mainSteps.keySet()))
                .query((rs, i) -> new Execution(
                        rs.getLong(1),
                        rs.getLong(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getObject(5, LocalDateTime.class),
                        rs.getObject(6, LocalDateTime.class),
                        rs.getLong(7),
                        rs.getLong(8),
                        rs.getLong(9),
                        rs.getString(10),
                        rs.getString(11)))
                .list();
    }
}
