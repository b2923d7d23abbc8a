package io.paperrun.batch;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.batch.core.partition.StepExecutionAggregator;
import org.springframework.batch.core.partition.support.DefaultStepExecutionAggregator;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Counts a step keeps in its execution context, each under {@code prefix + key}, and sums over its partitions: what
 * a stage did, by outcome. A stage's counts extend it with their keys and how they are said.
 */
public abstract class StepCounts {

    private final String prefix;
    private final Map<String, Long> counts = new LinkedHashMap<>();

    protected StepCounts(String prefix, List<String> keys) {
        this.prefix = prefix;
        keys.forEach(key -> counts.put(key, 0L));
    }

    public void add(String key, long n) {
        counts.merge(key, n, Long::sum);
    }

    public long get(String key) {
        return counts.getOrDefault(key, 0L);
    }

    /** Adds these counts to those {@code context} holds. */
    public void addTo(ExecutionContext context) {
        counts.forEach((key, n) -> context.putLong(prefix + key, context.getLong(prefix + key, 0L) + n));
    }

    /** Puts these counts into {@code context}, in place of any there. */
    public void putInto(ExecutionContext context) {
        counts.forEach((key, n) -> context.putLong(prefix + key, n));
    }

    /** Adds the counts {@code contexts} hold to these; returns these. */
    protected <T extends StepCounts> T sum(Collection<ExecutionContext> contexts, Class<T> type) {
        for (ExecutionContext context : contexts) {
            counts.keySet().forEach(key -> counts.merge(key, context.getLong(prefix + key, 0L), Long::sum));
        }
        return type.cast(this);
    }

    /** The counts of the executions, summed, as {@code empty} counts them. */
    public static <T extends StepCounts> T of(Collection<StepExecution> executions, Supplier<T> empty) {
        T sum = empty.get();
        StepCounts counts = sum;
        counts.sum(executions.stream().map(StepExecution::getExecutionContext).toList(), StepCounts.class);
        return sum;
    }

    /**
     * Aggregates a partitioned step: the partitions' read, write and skip counts as Spring Batch sums them, and
     * these counts summed into the step's execution context.
     */
    public static StepExecutionAggregator aggregator(Supplier<? extends StepCounts> empty) {
        DefaultStepExecutionAggregator defaults = new DefaultStepExecutionAggregator();
        return (result, executions) -> {
            defaults.aggregate(result, executions);
            of(executions, empty).putInto(result.getExecutionContext());
        };
    }
}
