package io.paperrun.cli;

import io.paperrun.batch.JobLaunches;
import io.paperrun.batch.RejectedRows;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;

import java.io.PrintWriter;
import java.util.List;

/** Prints what a launch did, and turns it into the exit code of the interface spec. */
final class LaunchReport {

    private static final int REJECTED_ROWS_SHOWN = 50;

    private LaunchReport() {
    }

    /**
     * Prints the outcome line and, for a failure, how to restart.
     *
     * @return the exit code for a run that rejected no rows
     */
    static int outcome(JobLaunches.Launch launch, PrintWriter out, PrintWriter err) {
        JobExecution e = launch.execution();
        String job = e.getJobInstance().getJobName();
        if (launch.how() == JobLaunches.How.ALREADY_COMPLETED) {
            out.println(job + ": already completed by execution " + e.getId() + " with the same parameters; "
                    + "nothing changed");
            return ExitCode.OK;
        }
        String verb = launch.how() == JobLaunches.How.RESTARTED ? "restarted as execution " : "execution ";
        BatchStatus status = e.getStatus();
        if (status == BatchStatus.COMPLETED) {
            out.println(job + ": " + verb + e.getId() + " completed");
            return ExitCode.OK;
        }
        String reason = e.getAllFailureExceptions().isEmpty() ? e.getExitStatus().getExitDescription()
                : io.paperrun.PaperRun.oneLine(e.getAllFailureExceptions().get(0));
        err.println(job + ": " + verb + e.getId() + " " + status
                + (reason == null || reason.isBlank() ? "" : ": " + reason.lines().findFirst().orElse(reason)));
        if (status == BatchStatus.FAILED || status == BatchStatus.STOPPED) {
            err.println("restart it from its last committed chunk with: paperrun restart " + e.getId());
        }
        return ExitCode.FAILED;
    }

    /** Lines an import step wrote (accepted or rejected), over every execution of the job instance. */
    static long linesRead(JobRepository repository, JobExecution execution, String stepName) {
        StepExecution step = repository.getLastStepExecution(execution.getJobInstance(), stepName);
        return step == null ? 0 : step.getExecutionContext().getLong(io.paperrun.batch.ImportWriter.LINES, 0L);
    }

    /** Prints the rejected rows of an import (the first ones; all are stored) and returns their count. */
    static long rejected(RejectedRows rows, JobExecution execution, PrintWriter err) {
        long instance = execution.getJobInstance().getInstanceId();
        long count = rows.count(instance);
        List<RejectedRows.RejectedRow> shown = rows.list(instance, REJECTED_ROWS_SHOWN);
        for (RejectedRows.RejectedRow r : shown) {
            err.println("rejected " + r);
        }
        if (count > shown.size()) {
            err.println("... and " + (count - shown.size()) + " more rejected rows (table rejected_row, job instance "
                    + instance + ")");
        }
        return count;
    }
}
