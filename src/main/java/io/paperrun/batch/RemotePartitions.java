package io.paperrun.batch;

import org.springframework.batch.core.partition.PartitionHandler;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.integration.partition.MessageChannelPartitionHandler;
import org.springframework.integration.core.MessagingTemplate;

/**
 * The launching side of remote partitioning: Spring Batch's {@link MessageChannelPartitionHandler}, which sends one
 * request per partition and then reads the partitions' states from the job repository until none is running.
 */
public final class RemotePartitions {

    private final MessagingTemplate requests;
    private final JobRepository jobRepository;
    private final BrokerSettings settings;

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
        return handler;
    }
}
