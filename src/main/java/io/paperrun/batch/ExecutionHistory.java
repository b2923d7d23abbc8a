package io.paperrun.batch;

import java.time.LocalDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
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

    /**
     * One execution. Times are the job repository's (UTC); {@code ended} is null while it runs.
     *
     * @param exitCode    Spring Batch's exit code (COMPLETED, FAILED, STOPPED, NOOP...)
     * @param exitMessage why it did not complete, in one line ({@link FailureReason#summary}); empty when it did
     * @param skipped     the items Spring Batch skipped in its counted steps
     * @param rejected    the rows the job recorded as rejected (an import's bad lines, a provider's bad records)
     * @param parameters  its job parameters by name
     * @param restartable whether {@code paperrun restart} can take it on: failed or stopped, as is the last
     *                    execution of its instance (not abandoned since, nor restarted to completion)
     */
    public record Execution(
            long id,
            long instanceId,
            String job,
            String status,
            String exitCode,
            String exitMessage,
            LocalDateTime started,
            LocalDateTime ended,
            long read,
            long written,
            long skipped,
            long rejected,
            Map<String, String> parameters,
            boolean restartable) {}

    /**
     * @param mainSteps job name to the step whose counts are the job's (a job without one: all its steps)
     */
    public List<Execution> list(String job, String status, int limit, Map<String, String> mainSteps) {
        Map<Long, SortedMap<String, String>> parameters = new LinkedHashMap<>();
        List<Execution> executions = jdbc.sql("""
                SELECT e.job_execution_id, i.job_instance_id, i.job_name, e.status, e.exit_code,
                       CASE WHEN e.status = 'FAILED'
                            THEN COALESCE(NULLIF(e.exit_message, ''),
                                          (SELECT s.exit_message FROM batch_step_execution s   -- a partition's first
                                           WHERE s.job_execution_id = e.job_execution_id AND s.status = 'FAILED'
                                             AND s.exit_message <> ''
                                           ORDER BY s.step_name LIKE '%:%' DESC, s.step_execution_id
                                           LIMIT 1))
                            ELSE e.exit_message END AS exit_message,
                       e.start_time, e.end_time,
                       COALESCE(c.read, 0) AS read, COALESCE(c.written, 0) AS written,
                       COALESCE(c.skipped, 0) AS skipped,
                       (SELECT count(*) FROM rejected_row r WHERE r.job_execution_id = e.job_execution_id) AS rejected,
                       e.status IN ('FAILED', 'STOPPED')
                           AND (SELECT l.status FROM batch_job_execution l
                                WHERE l.job_instance_id = e.job_instance_id
                                ORDER BY l.job_execution_id DESC LIMIT 1) IN ('FAILED', 'STOPPED') AS restartable
                FROM batch_job_execution e JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
                LEFT JOIN LATERAL (
                    SELECT sum(s.read_count) AS read, sum(s.write_count) AS written,
                           sum(s.read_skip_count + s.process_skip_count + s.write_skip_count) AS skipped
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
                .query((rs, i) -> {
                    long id = rs.getLong(1);
                    String state = rs.getString(4);
                    return new Execution(
                            id,
                            rs.getLong(2),
                            rs.getString(3),
                            state,
                            rs.getString(5),
                            "COMPLETED".equals(state) ? "" : FailureReason.summary(rs.getString(6)),
                            rs.getObject(7, LocalDateTime.class),
                            rs.getObject(8, LocalDateTime.class),
                            rs.getLong(9),
                            rs.getLong(10),
                            rs.getLong(11),
                            rs.getLong(12),
                            Collections.unmodifiableSortedMap(
                                    parameters.computeIfAbsent(id, ignored -> new TreeMap<>())),
                            rs.getBoolean(13));
                })
                .list();
        if (!parameters.isEmpty()) {
            jdbc.sql("""
                    SELECT job_execution_id, parameter_name, parameter_value FROM batch_job_execution_params
                    WHERE job_execution_id = ANY(CAST(:ids AS bigint[]))
                    """)
                    .param(
                            "ids",
                            TextArray.of(parameters.keySet().stream()
                                    .map(String::valueOf)
                                    .toList()))
                    .query((rs, i) -> parameters.get(rs.getLong(1)).put(rs.getString(2), rs.getString(3)))
                    .list();
        }
        return executions;
    }
}
