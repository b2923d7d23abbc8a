package io.paperrun.batch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

/**
 * Why an execution did not complete, in one line for its operator: the root cause of a partition's own failure
 * first (its step's failure only says that a partition failed), then a step's, then the job's.
 */
public final class FailureReason {

    /** A stack trace's line naming an exception: {@code org.example.SomeException: its message}. */
    private static final Pattern THROWN =
            Pattern.compile("^(?:Caused by: )?(?:[A-Za-z_$][\\w$]*\\.)+([A-Z][\\w$]*)(?:: ?(.*))?$");

    private FailureReason() {}

    /** The first failure of {@code execution}: a partition's, else a step's, else the job's. */
    public static Optional<Throwable> firstCause(JobExecution execution) {
        List<StepExecution> steps = new ArrayList<>(execution.getStepExecutions());
        steps.sort(Comparator.comparing((StepExecution s) -> !Partitions.isPartition(s.getStepName()))
                .thenComparing(StepExecution::getId, Comparator.nullsLast(Comparator.naturalOrder())));
        for (StepExecution step : steps) {
            if (!step.getFailureExceptions().isEmpty()) {
                return Optional.of(step.getFailureExceptions().get(0));
            }
        }
        return execution.getFailureExceptions().stream().findFirst();
    }

    /** The first line of the message of {@code failure}'s root cause; its type's name when it has none. */
    public static String oneLine(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    /**
     * Puts the one-line reason of a failed execution first in its exit description, before the stack trace
     * Spring Batch stores, so that the job repository says why in its first line.
     */
    public static void putFirst(JobExecution execution) {
        if (execution.getStatus() != BatchStatus.FAILED) {
            return;
        }
        firstCause(execution).map(FailureReason::oneLine).ifPresent(reason -> {
            ExitStatus status = execution.getExitStatus();
            String description = status.getExitDescription();
            if (!description.startsWith(reason)) {
                execution.setExitStatus(new ExitStatus(
                        status.getExitCode(),
                        description.isEmpty() ? reason : reason + "\n" + description,
                        status.getExitException()));
            }
        });
    }

    /**
     * The one-line reason in an exit description as the job repository stores it: its first line; for a bare
     * stack trace, the message of its last cause that the stored text still holds. Empty for none.
     */
    public static String summary(String exitDescription) {
        if (exitDescription == null || exitDescription.isBlank()) {
            return "";
        }
        List<String> lines = exitDescription.strip().lines().toList();
        Matcher first = THROWN.matcher(lines.get(0));
        if (!first.matches()) {
            return lines.get(0).strip();
        }
        String said = said(first);
        for (String line : lines) {
            Matcher cause = THROWN.matcher(line.strip());
            if (line.startsWith("Caused by: ") && cause.matches()) {
                said = said(cause);
            }
        }
        return said;
    }

    private static String said(Matcher thrown) {
        String message = thrown.group(2);
        return message == null || message.isBlank() ? thrown.group(1) : message.strip();
    }
}
