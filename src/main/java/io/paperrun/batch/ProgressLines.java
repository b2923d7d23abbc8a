package io.paperrun.batch;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.ChunkListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.scope.context.StepContext;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The progress lines of the running steps ({@link StepProgress}), printed where the command says
 * ({@link #printTo}, its standard error): on a terminal every few seconds, otherwise at every chunk commit of a step
 * that has run a few seconds. The setting {@code paperrun.progress} ({@code PAPERRUN_PROGRESS}) says {@code auto}
 * (that, the default), {@code terminal}, {@code chunk} (every commit of every step) or {@code off}. Registered on
 * every chunk step by {@link ProgressRegistrar}; a partition's commits add to its step's line.
 */
@Component
public class ProgressLines implements StepExecutionListener, ChunkListener<Object, Object> {

    private static final Logger log = LoggerFactory.getLogger(ProgressLines.class);

    /** The setting's values. */
    public enum Mode {
        AUTO,
        TERMINAL,
        CHUNK,
        OFF
    }

    private final Mode mode;
    private final ObjectProvider<StepTotals> totals;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, StepProgress> running = new ConcurrentHashMap<>();
    private final ThreadLocal<Integer> chunkRead = new ThreadLocal<>();
    private volatile PrintWriter out;
    private volatile StepProgress.Pace pace;

    public ProgressLines(@Value("${paperrun.progress:auto}") String mode, ObjectProvider<StepTotals> totals) {
        this.mode = mode(mode);
        this.totals = totals;
    }

    private static Mode mode(String setting) {
        try {
            return Mode.valueOf(setting.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadSettingException("setting paperrun.progress (PAPERRUN_PROGRESS) must be auto, terminal, "
                    + "chunk or off, not \"" + setting + "\"");
        }
    }

    /**
     * Prints the lines of the steps that start from now on to {@code err}, at the pace the setting says: in
     * {@code auto}, a terminal's when the process has one ({@link System#console()}).
     */
    public void printTo(PrintWriter err) {
        pace = switch (mode) {
            case AUTO -> System.console() != null ? StepProgress.Pace.TERMINAL : StepProgress.Pace.LONG_STEPS;
            case TERMINAL -> StepProgress.Pace.TERMINAL;
            case CHUNK -> StepProgress.Pace.EVERY_CHUNK;
            case OFF -> null;
        };
        out = pace == null ? null : err;
    }

    @Override
    public void beforeStep(StepExecution step) {
        StepProgress.Pace now = pace;
        if (out == null || now == null) {
            return;
        }
        try {
            if (Partitions.isPartition(step.getStepName())) { // its step started it
                running.computeIfAbsent(key(step), k -> new StepProgress(stepOf(step), null, clock.instant(), now));
            } else {
                running.put(key(step), new StepProgress(step.getStepName(), total(step), clock.instant(), now));
            }
        } catch (RuntimeException e) {
            log.debug("no progress lines for {}", step.getStepName(), e);
        }
    }

    @Override
    public ExitStatus afterStep(StepExecution step) {
        if (!Partitions.isPartition(step.getStepName())) {
            running.remove(key(step));
        }
        return step.getExitStatus();
    }

    @Override
    public void beforeChunk(Chunk<Object> chunk) {
        chunkRead.set(chunk.size());
    }

    @Override
    public void afterChunk(Chunk<Object> chunk) {
        Integer read = chunkRead.get();
        chunkRead.remove();
        StepContext context = StepSynchronizationManager.getContext();
        StepProgress progress = context == null ? null : running.get(key(context.getStepExecution()));
        if (progress == null) {
            return;
        }
        long items = read == null ? chunk.size() : read;
        Runnable say = () -> progress.committed(items, clock.instant()).ifPresent(this::print);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    say.run();
                }
            });
        } else {
            say.run();
        }
    }

    @Override
    public void onChunkError(Exception exception, Chunk<Object> chunk) {
        chunkRead.remove();
    }

    private void print(String line) {
        PrintWriter to = out;
        if (to != null) {
            to.println(line);
            to.flush();
        }
    }

    private Long total(StepExecution step) {
        List<StepTotals> counting = totals.orderedStream().toList();
        for (StepTotals each : counting) {
            try {
                OptionalLong total = each.of(step);
                if (total.isPresent()) {
                    return total.getAsLong();
                }
            } catch (RuntimeException e) {
                log.debug("no total for {}", step.getStepName(), e);
            }
        }
        return null;
    }

    /** The step a step execution is of: a partition's ({@code step:partitionN}) is its step's. */
    private static String stepOf(StepExecution step) {
        String name = step.getStepName();
        int colon = name.indexOf(':');
        return colon < 0 ? name : name.substring(0, colon);
    }

    private static String key(StepExecution step) {
        return step.getJobExecutionId() + "/" + stepOf(step);
    }
}
