package io.paperrun.batch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;

/**
 * What every import writer does with a chunk of {@link ImportLine}s, in the
 * chunk's transaction: records the rejected lines, keeps the last of several
 * lines with the same natural key, hands the rest to {@link #writeAccepted},
 * and counts the lines it has written in the step's execution context (so the
 * count survives a restart and is exact). Its methods are not final: step-scoped
 * writers are CGLIB proxies.
 */
public abstract class ImportWriter<T> implements ItemStreamWriter<ImportLine<T>>, StepExecutionListener {

    /** Execution-context key of the number of lines written (accepted or rejected). */
    public static final String LINES = "import.lines";

    private final Supplier<String> source;
    private final RejectedRows rejectedRows;
    private final Function<T, Object> naturalKey;
    private long jobInstanceId;
    private long jobExecutionId;
    private long lines;

    protected ImportWriter(String source, RejectedRows rejectedRows, Function<T, Object> naturalKey) {
        this(() -> source, rejectedRows, naturalKey);
    }

    /** @param source where the lines come from, asked when a rejected line is first recorded */
    protected ImportWriter(Supplier<String> source, RejectedRows rejectedRows, Function<T, Object> naturalKey) {
        this.source = source;
        this.rejectedRows = rejectedRows;
        this.naturalKey = naturalKey;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        jobExecutionId = stepExecution.getJobExecution().getId();
        jobInstanceId = stepExecution.getJobExecution().getJobInstance().getInstanceId();
    }

    @Override
    public void open(ExecutionContext executionContext) {
        lines = executionContext.getLong(LINES, 0L);
    }

    @Override
    public void update(ExecutionContext executionContext) {
        executionContext.putLong(LINES, lines);
    }

    @Override
    public void write(Chunk<? extends ImportLine<T>> chunk) {
        List<ImportLine.Rejected<T>> rejected = new ArrayList<>();
        Map<Object, T> latest = new LinkedHashMap<>();
        for (ImportLine<T> line : chunk) {
            if (line instanceof ImportLine.Accepted<T> a) {
                Object key = naturalKey.apply(a.value());
                latest.remove(key);
                latest.put(key, a.value());
            } else if (line instanceof ImportLine.Rejected<T> r) {
                rejected.add(r);
            }
        }
        if (!rejected.isEmpty()) {
            rejectedRows.record(jobInstanceId, jobExecutionId, source.get(), rejected);
        }
        writeAccepted(new ArrayList<>(latest.values()), chunk.size(), rejected.size());
        lines += chunk.size();
    }

    /**
     * Stores the accepted values of a chunk, one per natural key (the later line wins).
     *
     * @param lines    the chunk's lines, accepted and rejected
     * @param rejected how many of them were rejected
     */
    protected abstract void writeAccepted(List<T> values, int lines, int rejected);

    protected long jobExecutionId() {
        return jobExecutionId;
    }
}
