package io.paperrun.batch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

/**
 * What a run says it did, beyond its counts: lines a step keeps in its execution context under {@link #KEY}, which
 * {@code paperrun run} prints after the run, step by step.
 */
public final class RunSummary {

    /** The execution-context key of a step's summary: lines of text. */
    public static final String KEY = "summary";

    private RunSummary() {}

    /** The summaries of the execution's steps (not of their partitions), in the order the steps ran. */
    public static List<String> lines(JobExecution execution) {
        List<String> lines = new ArrayList<>();
        execution.getStepExecutions().stream()
                .filter(step -> !Partitions.isPartition(step.getStepName()))
                .sorted(Comparator.comparing(StepExecution::getId, Comparator.nullsLast(Comparator.naturalOrder())))
                .forEach(step -> {
                    String summary = step.getExecutionContext().getString(KEY, "");
                    summary.lines().filter(line -> !line.isBlank()).forEach(lines::add);
                });
        return lines;
    }
}
