package io.paperrun.batch;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.function.Supplier;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.partition.StepExecutionAggregator;
import org.springframework.batch.core.partition.support.DefaultStepExecutionAggregator;
import org.springframework.batch.core.partition.support.TaskExecutorPartitionHandler;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * A step split into partitions run side by side in this process (Spring Batch local partitioning):
 * by a hash of the items' key ({@link #byHash}: the worker step reads
 * {@code stepExecutionContext['partition']} and {@code ['partitions']}), or by ranges of ids
 * ({@link #byIdRange}: {@code ['from']} and {@code ['to']}). Each partition
 * is a step execution of its own ({@code step:partitionI}), restartable from its own metadata: a
 * restart runs again only the partitions that did not complete.
 */
public final class Partitions {

    public static final String PARTITION = "partition";
    public static final String PARTITIONS = "partitions";

    /** One partition of n; {@link #ALL} when the step is not split. */
    public record Slice(int partition, int partitions) {
        public static final Slice ALL = new Slice(0, 1);

        /** The slice a worker step was given, or {@link #ALL} outside a partitioned step. */
        public static Slice of(Integer partition, Integer partitions) {
            return partition == null || partitions == null || partitions <= 1 ? ALL : new Slice(partition, partitions);
        }

        public boolean isAll() {
            return partitions <= 1;
        }

        /** Whether an item whose key hashes to {@code hash} is this slice's. */
        public boolean holds(long hash) {
            return isAll() || Math.floorMod(hash, (long) partitions) == partition;
        }
    }

    private Partitions() {}

    /**
     * The step {@code name}, run as {@code partitions} copies of {@code worker} side by side, each given
     * one of the execution contexts {@code partitioner} makes.
     */
    public static Step of(
            String name, JobRepository jobRepository, Step worker, Partitioner partitioner, int partitions) {
        return of(name, jobRepository, worker, partitioner, partitions, new DefaultStepExecutionAggregator());
    }

    /** As {@link #of(String, JobRepository, Step, Partitioner, int)}, the partitions' results summed by {@code aggregator}. */
    public static Step of(
            String name,
            JobRepository jobRepository,
            Step worker,
            Partitioner partitioner,
            int partitions,
            StepExecutionAggregator aggregator) {
        Step step = new StepBuilder(name, jobRepository)
                .partitioner(name, partitioner)
                .partitionHandler(inThisProcess(name, worker, partitions))
                .aggregator(aggregator)
                .build();
        remember(step, worker);
        return step;
    }

    /** Runs {@code partitions} partitions of {@code worker} side by side on threads of this process, named {@code step-N}. */
    static TaskExecutorPartitionHandler inThisProcess(String step, Step worker, int partitions) {
        SimpleAsyncTaskExecutor threads = new SimpleAsyncTaskExecutor(step + "-");
        threads.setConcurrencyLimit(partitions);
        TaskExecutorPartitionHandler handler = new TaskExecutorPartitionHandler();
        handler.setStep(worker);
        handler.setTaskExecutor(threads);
        handler.setGridSize(partitions);
        return handler;
    }

    /** Records that {@code worker} runs the partitions of {@code step} ({@link #worker}). */
    static void remember(Step step, Step worker) {
        WORKERS.put(step, worker);
    }

    /**
     * The worker step that runs each partition of {@code step}, when {@link #of} built it: where the listeners every
     * chunk step gets go ({@link ProgressRegistrar}).
     */
    public static Optional<Step> worker(Step step) {
        return Optional.ofNullable(WORKERS.get(step));
    }

    /** Partition {@code i} of {@code n}: the items whose key hashes to {@code i} mod {@code n} ({@link Slice}). */
    public static Partitioner byHash() {
        return gridSize -> {
            Map<String, ExecutionContext> out = new LinkedHashMap<>();
            for (int i = 0; i < gridSize; i++) {
                ExecutionContext context = new ExecutionContext();
                context.putInt(PARTITION, i);
                context.putInt(PARTITIONS, gridSize);
                out.put(KEY + i, context);
            }
            return out;
        };
    }

    /**
     * Partition {@code i} of {@code n}: ids from {@link #FROM} (inclusive) to {@link #TO} (exclusive), the
     * i-th of n equal spans of {@code [min, max]}, which {@code bounds} gives when the step starts (null
     * when there is nothing to do). Ids outside them (added later) are left for the next run.
     */
    public static Partitioner byIdRange(Supplier<long[]> bounds) {
        return gridSize -> {
            long[] minMax = bounds.get();
            Map<String, ExecutionContext> out = new LinkedHashMap<>();
            for (int i = 0; i < gridSize; i++) {
                ExecutionContext context = new ExecutionContext();
                if (minMax == null) {
                    context.putLong(FROM, 0);
                    context.putLong(TO, 0);
                } else {
                    long span = minMax[1] - minMax[0] + 1;
                    context.putLong(FROM, minMax[0] + span * i / gridSize);
                    context.putLong(TO, minMax[0] + span * (i + 1) / gridSize);
                }
                out.put(KEY + i, context);
            }
            return out;
        };
    }

    public static final String FROM = "from";
    public static final String TO = "to";

    /** The name a partitioner gives partition {@code i} ({@code partitionI}). */
    public static String name(int i) {
        return KEY + i;
    }

    /** The name of partition {@code i}'s step executions ({@code step:partitionI}, as Spring Batch names them). */
    public static String stepName(String step, int i) {
        return step + ":" + KEY + i;
    }

    /** Whether a step execution is one partition of a partitioned step ({@code step:partitionI}). */
    public static boolean isPartition(String stepName) {
        return stepName.contains(":");
    }

    private static final String KEY = "partition";

    /** The partitioned steps built here, each to its worker step; dropped with the application that built them. */
    private static final Map<Step, Step> WORKERS = Collections.synchronizedMap(new WeakHashMap<>());
}
