package io.paperrun.batch;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.partition.PartitionHandler;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.partition.StepExecutionAggregator;
import org.springframework.batch.core.partition.StepExecutionSplitter;
import org.springframework.batch.core.partition.support.DefaultStepExecutionAggregator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.StepHolder;
import org.springframework.batch.core.step.StepLocator;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Partitioned steps whose partitions run on {@code paperrun worker} processes when a broker is configured
 * ({@link RemotePartitioning}), else side by side in this process as {@link Partitions#of} runs them; and, for the
 * workers, each such step's worker step by its name. A run whose job reads a file of this machine ({@code file}
 * parameter) keeps its partitions here: the workers may not see the file.
 */
@Component
public class PartitionedSteps implements StepLocator {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionedSteps.class);

    private final JobRepository jobRepository;
    private final ObjectProvider<RemotePartitions> remote;
    private final Map<String, Step> workers = new ConcurrentHashMap<>();

    public PartitionedSteps(JobRepository jobRepository, ObjectProvider<RemotePartitions> remote) {
        this.jobRepository = jobRepository;
        this.remote = remote;
    }

    /**
     * The step {@code name}: {@code partitions} partitions of {@code worker}, each given one of the execution
     * contexts {@code partitioner} makes.
     */
    public Step of(String name, Step worker, Partitioner partitioner, int partitions) {
        return of(name, worker, partitioner, partitions, new DefaultStepExecutionAggregator());
    }

    /** As {@link #of(String, Step, Partitioner, int)}, the partitions' results summed by {@code aggregator}. */
    public Step of(
            String name, Step worker, Partitioner partitioner, int partitions, StepExecutionAggregator aggregator) {
        if (workers.putIfAbsent(worker.getName(), worker) != null) {
            throw new IllegalStateException("two partitioned steps run a worker step named " + worker.getName());
        }
        PartitionHandler here = Partitions.inThisProcess(name, worker, partitions);
        RemotePartitions broker = remote.getIfAvailable();
        PartitionHandler handler =
                new Placed(worker, here, broker == null ? null : broker.handler(worker.getName(), partitions));
        Step step = new StepBuilder(name, jobRepository)
                .partitioner(name, partitioner)
                .partitionHandler(handler)
                .aggregator(aggregator)
                .build();
        Partitions.remember(step, worker);
        return step;
    }

    /** The worker step named {@code stepName}, or null: what a worker runs for a partition request. */
    @Override
    public Step getStep(String stepName) {
        return workers.get(stepName);
    }

    /** Hands the partitions to the workers, or runs them here (no broker, or the run reads a local file). */
    private record Placed(Step worker, PartitionHandler here, PartitionHandler workers)
            implements PartitionHandler, StepHolder {

        @Override
        public Collection<StepExecution> handle(StepExecutionSplitter splitter, StepExecution manager)
                throws Exception {
            if (workers == null || manager.getJobExecution().getJobParameters().getString("file") != null) {
                return here.handle(splitter, manager);
            }
            LOG.info("{}: partitions handed to the workers through the broker", manager.getStepName());
            return workers.handle(splitter, manager);
        }

        @Override
        public Step getStep() {
            return worker;
        }
    }
}
