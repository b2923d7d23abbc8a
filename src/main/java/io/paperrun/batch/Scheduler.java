package io.paperrun.batch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Launches each scheduled job on its {@link Cadence}, each on a thread of the executor: a job still running when it
 * is due again is not started twice, a failed run is said and tried again at its next tick, and a job set to run
 * after another is launched when that one ends. {@link #stop()} launches nothing more and lets running jobs end.
 */
public final class Scheduler {

    /** Runs one job to its end; returns how it ended, in one line. */
    @FunctionalInterface
    public interface Launcher {
        String launch(String job) throws Exception;
    }

    private final Map<String, Cadence> cadences;
    private final Launcher launcher;
    private final Executor executor;
    private final Clock clock;
    private final RandomGenerator random;
    private final Consumer<String> log;
    private final Map<String, Instant> due = new HashMap<>();
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    /** @param cadences each job's cadence, in the order they are said; jobs that are off are left out */
    public Scheduler(
            Map<String, Cadence> cadences,
            Launcher launcher,
            Executor executor,
            Clock clock,
            RandomGenerator random,
            Consumer<String> log) {
        this.cadences = new LinkedHashMap<>(cadences);
        this.cadences.values().removeIf(c -> c instanceof Cadence.Off);
        this.launcher = launcher;
        this.executor = executor;
        this.clock = clock;
        this.random = random;
        this.log = log;
    }

    /**
     * Sets each job's first launch: at once for an interval, at the first draw for a jittered one, at the next time
     * for a cron expression; a job that runs after another waits for it.
     */
    public synchronized void start(Instant now) {
        cadences.forEach((job, cadence) -> {
            if (cadence instanceof Cadence.Every) {
                due.put(job, now);
            } else {
                cadence.next(now, random).ifPresent(at -> due.put(job, at));
            }
        });
    }

    /** Launches the jobs due at {@code now}; returns when the next one is due, or empty when none is. */
    public synchronized Optional<Instant> tick(Instant now) {
        for (Map.Entry<String, Instant> entry : Map.copyOf(due).entrySet()) {
            String job = entry.getKey();
            if (stopping || entry.getValue().isAfter(now)) {
                continue;
            }
            due.remove(job);
            cadences.get(job).next(now, random).ifPresent(at -> due.put(job, at));
            if (!running.add(job)) {
                log.accept(job + ": still running; not started again" + nextSaid(job));
                continue;
            }
            executor.execute(() -> run(job));
        }
        return due.values().stream().min(Instant::compareTo);
    }

    private void run(String job) {
        try {
            log.accept(job + ": " + launcher.launch(job) + nextSaid(job));
        } catch (Exception | LinkageError e) {
            log.accept(job + ": could not run: " + oneLine(e) + "; tried again at its next tick" + nextSaid(job));
        } finally {
            running.remove(job);
            after(job);
        }
    }

    /** The jobs set to run after {@code job} become due now. */
    private synchronized void after(String job) {
        if (!stopping) {
            cadences.forEach((follower, cadence) -> {
                if (cadence instanceof Cadence.After after && after.job().equals(job)) {
                    due.put(follower, clock.instant());
                }
            });
        }
        notifyAll();
    }

    private synchronized String nextSaid(String job) {
        Instant at = due.get(job);
        return at == null ? "" : " (next: " + at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + ")";
    }

    /** Ticks at each due time until {@link #stop()}, then waits for the running jobs to end. */
    public void run() throws InterruptedException {
        start(clock.instant());
        while (!stopping) {
            Optional<Instant> next = tick(clock.instant());
            synchronized (this) {
                long wait = next.map(at -> Duration.between(clock.instant(), at).toMillis())
                        .orElse(60_000L);
                if (!stopping && wait > 0) {
                    wait(Math.min(wait, 60_000L));
                }
            }
        }
        synchronized (this) {
            while (!running.isEmpty()) {
                wait(1_000);
            }
        }
    }

    /** Launches nothing more; {@link #run()} returns once the running jobs have ended. */
    public void stop() {
        stopping = true;
        synchronized (this) {
            notifyAll();
        }
    }

    /** The jobs running now. */
    public Set<String> running() {
        return Set.copyOf(running);
    }

    private static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
