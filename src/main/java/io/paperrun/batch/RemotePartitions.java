package io.paperrun.batch;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.partition.PartitionHandler;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.MessageChannelPartitionHandler;
import org.springframework.integration.core.MessagingTemplate;

/**
 * The launching side of remote partitioning: Spring Batch's {@link MessageChannelPartitionHandler}, which sends one
 * request per partition and then reads the partitions' states from the job repository until none is running. While
 * it waits, partitions that no worker has taken for a minute are said, once a minute: a worker may be missing.
 */
public final class RemotePartitions {

    private static final Logger LOG = LoggerFactory.getLogger(RemotePartitions.class);
    private static final Duration UNTAKEN = Duration.ofMinutes(1);

    private final MessagingTemplate requests;
    private final JobRepository jobRepository;
    private final BrokerSettings settings;
    private final ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "partitions-untaken");
        thread.setDaemon(true);
        return thread;
    });

    RemotePartitions(MessagingTemplate requests, JobRepository jobRepository, BrokerSettings settings) {
        this.requests = requests;
        this.jobRepository = jobRepository;
        this.settings = settings;
    }

    /** A handler that has the workers run {@code workerStep} in {@code partitions} partitions. */
    PartitionHandler handler(String workerStep, int partitions) {
        MessageChannelPartitionHandler handler = new MessageChannelPartitionHandler();
        handler.setStepName(workerStep);
        handler.setGridSize(partitions);
        handler.setJobRepository(jobRepository);
        handler.setPollInterval(settings.pollInterval().toMillis());
        handler.setMessagingOperations(requests);
        try {
            handler.afterPropertiesSet();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return (splitter, manager) -> {
            ScheduledFuture<?> watching = watch.scheduleAtFixedRate(
                    () -> sayUntaken(manager), UNTAKEN.toMillis(), UNTAKEN.toMillis(), TimeUnit.MILLISECONDS);
            try {
                return handler.handle(splitter, manager);
            } finally {
                watching.cancel(false);
            }
        };
    }

    private void sayUntaken(StepExecution manager) {
        try {
            long untaken = untaken(manager);
            if (untaken > 0) {
                LOG.warn(untakenWarning(manager.getStepName(), untaken, settings.queue()));
            }
        } catch (RuntimeException e) {
            LOG.debug("could not count the untaken partitions of {}", manager.getStepName(), e);
        }
    }

    /** The partitions of {@code manager} that no worker has started yet. */
    long untaken(StepExecution manager) {
        return jobRepository.getJobExecution(manager.getJobExecutionId()).getStepExecutions().stream()
                .filter(step -> step.getStepName().startsWith(manager.getStepName() + ":"))
                .filter(step -> step.getStatus() == BatchStatus.STARTING)
                .count();
    }

    static String untakenWarning(String step, long untaken, String queue) {
        return step + ": " + untaken + (untaken == 1 ? " partition" : " partitions") + " still waiting for a "
                + "worker: is a paperrun worker running on queue " + queue + ", with the same database?";
    }
}
