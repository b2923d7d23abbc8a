package io.paperrun.batch;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.launch.support.JobExecutionShutdownHook;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * What every job shares while it runs: a SIGTERM stops it at the next chunk
 * boundary (so that it can be restarted) instead of killing it mid-chunk; a failed one
 * stores why in the first line of its exit description ({@link FailureReason#putFirst}).
 */
@Component
public class JobLifecycleListener implements JobExecutionListener {

    private final ObjectProvider<JobOperator> jobOperator;
    private final Map<Long, Thread> hooks = new ConcurrentHashMap<>();

    public JobLifecycleListener(ObjectProvider<JobOperator> jobOperator) {
        this.jobOperator = jobOperator;
    }

    @Override
    public void beforeJob(JobExecution jobExecution) {
        Thread hook = new JobExecutionShutdownHook(jobExecution, jobOperator.getObject());
        hooks.put(jobExecution.getId(), hook);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public void afterJob(JobExecution jobExecution) {
        FailureReason.putFirst(jobExecution);
        Thread hook = hooks.remove(jobExecution.getId());
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is stopping and the hook runs, asking this execution to stop: let it finish before
                // the command goes on to close the application (its connections) under it.
                try {
                    hook.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** When the job instance was first launched: stable across its restarts. */
    public static Instant firstLaunch(JobRepository repository, JobExecution current) {
        LocalDateTime first = repository.getJobExecutions(current.getJobInstance()).stream()
                .map(JobExecution::getCreateTime)
                .filter(Objects::nonNull)
                .min(Comparator.naturalOrder())
                .orElse(current.getCreateTime());
        return first.toInstant(ZoneOffset.UTC);
    }
}
