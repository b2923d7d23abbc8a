package io.paperrun.batch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The total of a file import's main step: the file's lines after its header, less those the earlier executions of
 * a restarted import committed (written: an import writes every line it reads, imported or recorded as rejected;
 * a failed chunk's lines were read but not written).
 */
@Component
public class FileImportTotals implements StepTotals {

    private final JobCatalog catalog;
    private final JdbcClient jdbc;

    public FileImportTotals(JobCatalog catalog, JdbcClient jdbc) {
        this.catalog = catalog;
        this.jdbc = jdbc;
    }

    @Override
    public OptionalLong of(StepExecution step) {
        Optional<JobDefinition> job =
                catalog.find(step.getJobExecution().getJobInstance().getJobName());
        if (job.isEmpty()
                || !step.getStepName().equals(job.get().mainStep())
                || job.get().fileToImport().isEmpty()) {
            return OptionalLong.empty();
        }
        String file = step.getJobExecution()
                .getJobParameters()
                .getString(job.get().fileToImport().get().name());
        if (file == null) {
            return OptionalLong.empty();
        }
        long lines;
        try {
            lines = dataLines(Path.of(file));
        } catch (IOException unreadable) {
            return OptionalLong.empty();
        }
        long committedBefore = jdbc.sql("""
                        SELECT COALESCE(sum(s.write_count), 0) FROM batch_step_execution s
                        JOIN batch_job_execution e ON e.job_execution_id = s.job_execution_id
                        WHERE e.job_instance_id = :instance AND e.job_execution_id <> :execution
                          AND split_part(s.step_name, ':', 1) = :step
                          AND NOT EXISTS (SELECT 1 FROM batch_step_execution p   -- counted by its partitions
                                          WHERE p.job_execution_id = s.job_execution_id
                                            AND p.step_name LIKE s.step_name || ':%')
                        """)
                .param("instance", step.getJobExecution().getJobInstance().getInstanceId())
                .param("execution", step.getJobExecutionId())
                .param("step", step.getStepName())
                .query(Long.class)
                .single();
        return OptionalLong.of(Math.max(0, lines - committedBefore));
    }

    /** The lines of {@code file} after the first (its header); a last line without a line break counts. */
    static long dataLines(Path file) throws IOException {
        long lines = 0;
        int last = '\n';
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
                if (n > 0) {
                    last = buffer[n - 1];
                }
            }
        }
        if (last != '\n') {
            lines++;
        }
        return Math.max(0, lines - 1);
    }
}
