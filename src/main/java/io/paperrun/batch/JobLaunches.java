package io.paperrun.batch;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.stereotype.Component;

/**
 * Launches, restarts and stops jobs by name. A job's identity is its business
 * key (the file and its checksum, the date range...), never a run id, so that:
 * <ul>
 * <li>launching a key whose last execution failed or stopped restarts it from its last committed chunk;</li>
 * <li>launching a key that completed does nothing for a one-shot job (a file import), and runs a new
 *     instance for a repeatable job (processing, re-runs), numbered by an identifying {@code run};</li>
 * <li>an execution left STARTED by a process that died is recovered, then restarted.</li>
 * </ul>
 * Every launch holds the job's {@link JobRunGuard} lease while it runs.
 */
@Component
public class JobLaunches {

    /** The identifying parameter that tells apart the runs of a repeatable job. */
    public static final String RUN = "run";

    private static final int RECENT_INSTANCES = 200;

    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private final JobOperator jobOperator;
    private final JobRepository jobRepository;
    private final JobRunGuard guard;

    public JobLaunches(List<Job> jobs, JobOperator jobOperator, JobRepository jobRepository, JobRunGuard guard) {
        jobs.forEach(job -> this.jobs.put(job.getName(), job));
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.guard = guard;
    }

    public enum How {
        STARTED,
        RESTARTED,
        ALREADY_COMPLETED
    }

    /** What a launch did, and the execution it ran (or found complete). */
    public record Launch(How how, JobExecution execution) {
        public BatchStatus status() {
            return execution.getStatus();
        }
    }

    /** The request cannot be carried out as asked (unknown job or execution, nothing to restart). */
    public static final class LaunchRefusedException extends RuntimeException {
        public LaunchRefusedException(String message) {
            super(message);
        }
    }

    public boolean isKnown(String jobName) {
        return jobs.containsKey(jobName);
    }

    public List<String> jobNames() {
        return List.copyOf(jobs.keySet());
    }

    /** Runs a job to its end in this thread; a completed key runs again only for a repeatable job. */
    public Launch launch(JobDefinition definition, JobParameters parameters) throws Exception {
        String jobName = definition.name();
        Map<String, Object> given = new HashMap<>();
        parameters.parameters().forEach(p -> given.put(p.name(), p.value()));
        boolean repeatable = definition.repeatsWhenCompleted(given);
        Job job = jobs.get(jobName);
        if (job == null) {
            throw new LaunchRefusedException("unknown job '" + jobName + "'; jobs: " + String.join(", ", jobNames()));
        }
        try (JobRunGuard.Lease ignored = guard.acquireToRun(jobName)) {
            Optional<JobExecution> previous = repeatable
                    ? lastOfSameKey(jobName, parameters)
                    : Optional.ofNullable(jobRepository.getLastJobExecution(jobName, parameters));
            if (previous.isPresent()) {
                JobExecution last = previous.get();
                if (last.isRunning()) {
                    // We hold the job's lease, so its owner is gone.
                    last = jobOperator.recover(last);
                }
                BatchStatus status = last.getStatus();
                if ((status == BatchStatus.FAILED || status == BatchStatus.STOPPED)
                        && definition.restartsWhenFailed(given)) {
                    return new Launch(How.RESTARTED, settled(jobOperator.restart(last)));
                }
                if (!repeatable && status == BatchStatus.COMPLETED) {
                    return new Launch(How.ALREADY_COMPLETED, last);
                }
                if (!repeatable) {
                    throw new LaunchRefusedException("execution " + last.getId() + " of " + jobName + " with these "
                            + "parameters is " + status + " and cannot be run again");
                }
            }
            JobParameters toStart = repeatable ? withRun(jobName, parameters) : parameters;
            return new Launch(How.STARTED, settled(jobOperator.start(job, toStart)));
        }
    }

    /**
     * The execution that ran, as the job repository has it once it ended (partitions that workers ran included), with
     * the failures this process saw, which the repository keeps only as text.
     */
    private JobExecution settled(JobExecution ran) {
        JobExecution stored = jobRepository.getJobExecution(ran.getId());
        if (stored == null) {
            return ran;
        }
        ran.getFailureExceptions().forEach(stored::addFailureException);
        for (StepExecution step : stored.getStepExecutions()) {
            ran.getStepExecutions().stream()
                    .filter(seen -> seen.getId() == step.getId())
                    .findFirst()
                    .ifPresent(seen -> seen.getFailureExceptions().forEach(step::addFailureException));
        }
        return stored;
    }

    /** Restarts a failed or stopped execution, or one whose process died, from its last committed chunk. */
    public Launch restart(long executionId) throws Exception {
        JobExecution execution = execution(executionId);
        String jobName = execution.getJobInstance().getJobName();
        if (!jobs.containsKey(jobName)) {
            throw new LaunchRefusedException(
                    "execution " + executionId + " is of job '" + jobName + "', which this version cannot run");
        }
        try (JobRunGuard.Lease ignored = guard.acquireToRun(jobName)) {
            JobExecution last = jobRepository.getLastJobExecution(execution.getJobInstance());
            if (last != null
                    && last.getId() != executionId
                    && last.getStatus() != BatchStatus.FAILED
                    && last.getStatus() != BatchStatus.STOPPED
                    && !last.isRunning()) {
                throw new LaunchRefusedException("execution " + executionId + " was already restarted as execution "
                        + last.getId() + " (" + last.getStatus() + ")");
            }
            JobExecution target = last == null ? execution : last;
            if (target.isRunning()) {
                target = jobOperator.recover(target);
            }
            BatchStatus status = target.getStatus();
            if (status == BatchStatus.COMPLETED) {
                throw new LaunchRefusedException(
                        "execution " + target.getId() + " completed; there is nothing to " + "restart");
            }
            if (status != BatchStatus.FAILED && status != BatchStatus.STOPPED) {
                throw new LaunchRefusedException(
                        "execution " + target.getId() + " is " + status + " and cannot be restarted");
            }
            return new Launch(How.RESTARTED, settled(jobOperator.restart(target)));
        }
    }

    /**
     * Asks a running execution to stop at its next chunk boundary. An execution whose process is
     * gone is marked failed at once (it can then be restarted).
     *
     * @return true when a live process was asked to stop, false when the execution was recovered
     */
    public boolean stop(long executionId) throws Exception {
        JobExecution execution = execution(executionId);
        if (!execution.isRunning()) {
            throw new LaunchRefusedException("execution " + executionId + " is not running (" + execution.getStatus()
                    + (execution.getStatus() == BatchStatus.ABANDONED
                            ? ": " + execution.getExitStatus().getExitDescription()
                            : "")
                    + ")");
        }
        String jobName = execution.getJobInstance().getJobName();
        JobRunGuard.Lease lease;
        try {
            lease = guard.acquire(jobName);
        } catch (JobRunGuard.JobAlreadyRunningException running) {
            jobOperator.stop(execution);
            return true;
        }
        try (lease) {
            jobOperator.recover(execution);
            return false;
        }
    }

    /**
     * Marks an instance that can never be restarted ABANDONED, its last execution saying why; one left running
     * by a process that is gone is recovered first. Empty when that execution is not failed, stopped or dead.
     */
    public Optional<JobExecution> abandon(long executionId, String why) throws Exception {
        JobExecution execution = execution(executionId);
        try (JobRunGuard.Lease ignored =
                guard.acquireToRun(execution.getJobInstance().getJobName())) {
            JobExecution last = jobRepository.getLastJobExecution(execution.getJobInstance());
            JobExecution target = last == null ? execution : last;
            if (target.isRunning()) {
                target = jobOperator.recover(target); // we hold the job's lease, so its owner is gone
            }
            if (target.getStatus() != BatchStatus.FAILED && target.getStatus() != BatchStatus.STOPPED) {
                return Optional.empty();
            }
            JobExecution abandoned = jobOperator.abandon(target);
            abandoned.setExitStatus(new ExitStatus(BatchStatus.ABANDONED.name(), why));
            jobRepository.update(abandoned);
            return Optional.of(abandoned);
        }
    }

    public JobExecution execution(long executionId) {
        JobExecution execution;
        try {
            execution = jobRepository.getJobExecution(executionId);
        } catch (EmptyResultDataAccessException none) {
            execution = null;
        }
        if (execution == null) {
            throw new LaunchRefusedException("no execution " + executionId);
        }
        return execution;
    }

    private Optional<JobExecution> lastOfSameKey(String jobName, JobParameters parameters) {
        Map<String, Object> key = key(parameters);
        for (JobInstance instance : jobRepository.getJobInstances(jobName, 0, RECENT_INSTANCES)) {
            JobExecution last = jobRepository.getLastJobExecution(instance);
            if (last != null && key(last.getJobParameters()).equals(key)) {
                return Optional.of(last);
            }
        }
        return Optional.empty();
    }

    private JobParameters withRun(String jobName, JobParameters parameters) {
        long run;
        try {
            run = jobRepository.getJobInstanceCount(jobName) + 1;
        } catch (Exception none) {
            run = 1;
        }
        while (jobRepository.getJobInstance(jobName, withRun(parameters, run)) != null) {
            run++;
        }
        return withRun(parameters, run);
    }

    private static JobParameters withRun(JobParameters parameters, long run) {
        return new JobParametersBuilder(parameters).addLong(RUN, run, true).toJobParameters();
    }

    /** The identifying parameters but the run number. */
    private static Map<String, Object> key(JobParameters parameters) {
        Map<String, Object> key = new HashMap<>();
        for (JobParameter<?> p : parameters.getIdentifyingParameters()) {
            if (!RUN.equals(p.name())) {
                key.put(p.name(), Objects.toString(p.value()));
            }
        }
        return key;
    }
}
