package io.paperrun.cli;

import io.paperrun.integration.csv.CsvFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.springframework.batch.core.job.JobExecution;

/** The file an import's execution read, as its parameters name it: a restart needs it unchanged. */
record ImportedFile(Path path, String sha256) {

    /** The execution's file, or empty for a job that reads none. */
    static Optional<ImportedFile> of(JobExecution execution) {
        String file = execution.getJobParameters().getString("file");
        String sha256 = execution.getJobParameters().getString("sha256");
        return file == null || sha256 == null ? Optional.empty() : Optional.of(new ImportedFile(Path.of(file), sha256));
    }

    boolean gone() {
        return !Files.isRegularFile(path);
    }

    /** Whether the file's bytes are no longer those the execution started on (false when it is gone). */
    boolean changed() throws IOException {
        return !gone() && !CsvFile.sha256(path).equals(sha256);
    }

    /** Why an execution of this file can never be restarted, as its exit message keeps it. */
    String changedReason(long executionId) {
        return path + " changed since execution " + executionId + " started, so it cannot be restarted; "
                + "import the new file instead";
    }
}
