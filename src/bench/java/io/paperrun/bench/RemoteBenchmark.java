package io.paperrun.bench;

import static io.paperrun.bench.AttributionBenchmark.execute;
import static io.paperrun.bench.AttributionBenchmark.seconds;
import static io.paperrun.bench.AttributionBenchmark.single;
import static io.paperrun.bench.AttributionBenchmark.text;
import static io.paperrun.bench.SyncBench.verdict;

import com.rabbitmq.client.ConnectionFactory;
import io.paperrun.attribution.AttributionProcessingJobConfig;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.ToDoubleFunction;

/**
 * {@code scripts/bench.sh remote}: what remote partitioning costs against local partitioning on the same work,
 * stage B ({@code run attribution-processing}) on the attributions of M synthetic orders. Each repetition runs the
 * command with its partitions in its own process, then with W {@code paperrun worker} processes (started before,
 * not timed, stopped by SIGTERM after) taking them from a broker, both from the same state: before every run the
 * attributions the import left to stage B are set back as it left them, and the database settles. Fails when any
 * run decides an attribution otherwise than the first.
 */
final class RemoteBenchmark {

    /** Remote at most this many times local, command and decide step, at {@link #GOAL_ORDERS} orders. */
    private static final double GOAL_RATIO = 1.2;

    private static final int GOAL_ORDERS = 1_000_000;
    /** Chunks a partition needs for its cost per attribution to say more than its JIT's warm-up. */
    private static final int WARM_CHUNKS = 10;

    private static final long SEED = 20241122;
    private static final String JOB = AttributionProcessingJobConfig.JOB;
    private static final String STEP = AttributionProcessingJobConfig.DECIDE_STEP;
    private static final String WORKER_READY = "worker: taking partitions from queue";
    private static final String HANDED_TO_WORKERS = STEP + ": partitions handed to the workers through the broker";
    private static final Duration WORKER_START = Duration.ofMinutes(3);
    private static final Duration WORKER_STOP = Duration.ofMinutes(3);

    /** What to run: the sizes, the workers and partitions, the repetitions, the broker and the command line. */
    record Settings(
            int orders,
            int recipients,
            int workers,
            int partitions,
            int repeat,
            String broker,
            Duration pollInterval,
            boolean warmWorkers,
            boolean keep,
            String commandLine) {}

    /** With {@code --warm-workers}: the workers, from the first remote run to the end. */
    private final List<ProductProcess.Running> warm = new ArrayList<>();

    private final Settings settings;
    private final String queue = "paperrun.bench.remote." + UUID.randomUUID();
    private final PrintWriter out = new PrintWriter(System.out, true);

    RemoteBenchmark(Settings settings) {
        this.settings = settings;
    }

    /**
     * Runs it in a temporary directory, removed afterwards unless kept, and deletes its queue; true when every run
     * decided every attribution as the first did.
     */
    boolean run() throws Exception {
        String brokerProduct = brokerProduct();
        try {
            return SyncBench.inTemporaryDirectory(
                    settings.keep(),
                    out,
                    (db, unused, paperrun, work) -> measureAndReport(db, paperrun, work, brokerProduct));
        } finally {
            deleteQueue();
        }
    }

    private boolean measureAndReport(Connection db, ProductProcess paperrun, Path work, String brokerProduct)
            throws Exception {
        Cpu cpu = new Cpu(work);
        out.println("PaperRun remote partitioning benchmark (run attribution-processing, stage B: partitions in the "
                + "command's process against partitions on paperrun worker processes)");
        out.println("command:  " + settings.commandLine());
        out.println("machine:  " + AttributionBenchmark.machine(db));
        out.printf(
                "settings: commands: %s; PAPERRUN_BATCH_PARTITIONS=%d, chunk size %s; remote: %d paperrun worker "
                        + "processes, PAPERRUN_BROKER_WORKER_PARTITIONS=1, broker %s at %s, queue %s, "
                        + "PAPERRUN_BROKER_POLL_INTERVAL=%s, %s; PostgreSQL fsync=%s synchronous_commit=%s%n",
                paperrun.describe(),
                settings.partitions(),
                chunkSize(),
                settings.workers(),
                brokerProduct,
                where(settings.broker()),
                queue,
                settings.pollInterval(),
                settings.warmWorkers()
                        ? "workers started once and kept warm across the remote runs"
                        : "workers started before each remote run",
                text(db, "SHOW fsync"),
                text(db, "SHOW synchronous_commit"));

        Work setup = setUp(db, paperrun, work);
        if (setup.pending() == 0) {
            out.println("no attribution is left for stage B: more orders are needed");
            return false;
        }
        List<Run> runs = new ArrayList<>();
        List<String> stopped = new ArrayList<>();
        try {
            for (int i = 1; i <= settings.repeat(); i++) {
                runs.add(measure(db, paperrun, cpu, setup, "local", i));
                runs.add(measure(db, paperrun, cpu, setup, "remote", i));
            }
        } finally {
            stopped.addAll(stop(warm));
            for (ProductProcess.Running w : warm) {
                w.close();
            }
        }
        if (!stopped.isEmpty()) {
            throw new IllegalStateException(String.join("\n", stopped));
        }
        return report(setup, runs);
    }

    /** Stops the workers by SIGTERM; what went wrong, if anything. */
    private static List<String> stop(List<ProductProcess.Running> workers) throws Exception {
        List<String> problems = new ArrayList<>();
        for (ProductProcess.Running w : workers) {
            int code = w.stop(WORKER_STOP);
            String printed = w.out();
            if ((code != 0 && code != 143) || !printed.contains("worker: stopped")) {
                problems.add("a worker stopped by SIGTERM exited " + code + " having said: " + printed);
            }
        }
        return problems;
    }

    // --- the setup, and the work put back -----------------------------------------------------------------------

    /** What stage B has to do: the attributions it decides, of how many, and the checksum of them all undecided. */
    private record Work(long attributions, long pending, String undecided, double setupSeconds) {}

    /**
     * The synthetic organization, as {@code attribution} makes it, imported (not measured); then what the import
     * left to stage B is kept, to put back before each run.
     */
    private Work setUp(Connection db, ProductProcess paperrun, Path work) throws Exception {
        long started = System.nanoTime();
        SyntheticMerchant merchant = new SyntheticMerchant(settings.recipients(), settings.orders(), SEED);
        Path apply = merchant.applyFile(work);
        Path recipients = merchant.recipientsFile(work);
        Path orders = merchant.ordersFiles(work)[0];
        paperrun.run("apply", "-f", apply.toString());
        paperrun.run("import", "recipients", "--org", SyntheticMerchant.ORG, "--file", recipients.toString());
        paperrun.run("import", "orders", "--org", SyntheticMerchant.ORG, "--file", orders.toString());
        // What stage B decides: the attributions in its queue, as the import left them (import orders has
        // decided the holdout ones already, in order-sync-holdouts), with their decided columns as they are.
        execute(db, "CREATE SCHEMA bench_remote");
        execute(db, """
                CREATE TABLE bench_remote.undecided AS
                SELECT a.id, a.passes_rules, a.order_count, a.archived, a.updated_at
                FROM attribution a JOIN attribution_pending p ON p.attribution_id = a.id""");
        execute(db, "ALTER TABLE bench_remote.undecided ADD PRIMARY KEY (id)");
        long requeue = single(db, "SELECT count(*) FROM attribution_requeue");
        if (requeue > 0) {
            throw new IllegalStateException("import orders left " + requeue + " rows in attribution_requeue: the "
                    + "first run would queue again what the others would not");
        }
        execute(db, "VACUUM ANALYZE");
        execute(db, "CHECKPOINT");
        Work setup = new Work(
                single(db, "SELECT count(*) FROM attribution"),
                single(db, "SELECT count(*) FROM bench_remote.undecided"),
                checksum(db),
                seconds(started));
        out.printf(
                "data:     seed %d, %,d recipients, %,d orders; %,d attributions, %,d left to stage B by the import "
                        + "(the others, holdout, it decided); set up (apply, import recipients, import orders) in "
                        + "%.1f s, not measured%n",
                SEED,
                settings.recipients(),
                settings.orders(),
                setup.attributions(),
                setup.pending(),
                setup.setupSeconds());
        out.println("          before every run: those attributions set back as the import left them (processed = "
                + "false, passes_rules, order_count, archived, updated_at; the queue's triggers queue them again), "
                + "checked against the import's checksum; VACUUM ANALYZE; CHECKPOINT");
        out.println();
        return setup;
    }

    /**
     * Puts the work back as the import left it: every attribution it left to stage B undecided again, with the
     * columns stage B writes as they were; attribution_pending follows by its triggers. Then the database settles.
     */
    private static void putBack(Connection db, Work setup) throws Exception {
        execute(db, """
                UPDATE attribution a SET processed = false, passes_rules = u.passes_rules, order_count = u.order_count,
                    archived = u.archived, updated_at = u.updated_at
                FROM bench_remote.undecided u WHERE a.id = u.id""");
        long queued = single(db, "SELECT count(*) FROM attribution_pending");
        long queuedRight = single(
                db,
                "SELECT count(*) FROM attribution_pending p JOIN bench_remote.undecided u ON u.id = p.attribution_id");
        String sum = checksum(db);
        if (queued != setup.pending() || queuedRight != setup.pending() || !sum.equals(setup.undecided())) {
            throw new IllegalStateException(String.format(
                    "the work was not put back as the import left it: %,d attributions queued (%,d of them the "
                            + "import's), the import queued %,d; checksum %s, the import's %s",
                    queued, queuedRight, setup.pending(), sum, setup.undecided()));
        }
        execute(db, "VACUUM ANALYZE");
        execute(db, "CHECKPOINT");
    }

    /** md5 over every attribution's decided columns, by id. */
    private static String checksum(Connection db) throws Exception {
        return text(db, """
                SELECT md5(string_agg(concat_ws(':', id, processed, coalesce(passes_rules::text, '-'),
                                                coalesce(order_count::text, '-'), archived), ',' ORDER BY id))
                FROM attribution""");
    }

    // --- one run ------------------------------------------------------------------------------------------------

    /** A partition of a run's decide step, from the job repository; times in seconds. */
    private record Partition(
            String name,
            String status,
            double seconds,
            long items,
            long chunks,
            double createToStart,
            double endToStepEnd,
            String ranOn) {
        double microsPerItem() {
            return items > 0 ? seconds * 1e6 / items : Double.NaN;
        }
    }

    /** One run: the command's phase, its decide step, its partitions, the workers' CPU and what it decided. */
    private record Run(
            String kind,
            int number,
            Phase phase,
            double workersReady,
            double workersCpu,
            double stepSeconds,
            double split,
            long decided,
            List<Partition> partitions,
            String checksum,
            List<String> problems) {

        String name() {
            return kind + " " + number;
        }

        boolean remote() {
            return kind.equals("remote");
        }

        Partition slowest() {
            return partitions.stream()
                    .max((a, b) -> Double.compare(a.seconds(), b.seconds()))
                    .orElseThrow();
        }

        /** The decide step's time beside its slowest partition's: splitting, handing out, waiting for the ends. */
        double overhead() {
            return stepSeconds - slowest().seconds();
        }
    }

    private Run measure(Connection db, ProductProcess paperrun, Cpu cpu, Work setup, String kind, int number)
            throws Exception {
        putBack(db, setup);
        boolean remote = kind.equals("remote");
        Map<String, String> environment = new HashMap<>();
        environment.put("PAPERRUN_BATCH_PARTITIONS", Integer.toString(settings.partitions()));
        environment.put("PAPERRUN_LOG_LEVEL", "INFO"); // says where partitions ran; nothing per chunk
        if (remote) {
            environment.put("PAPERRUN_BROKER_URL", settings.broker());
            environment.put("PAPERRUN_BROKER_QUEUE", queue);
            environment.put(
                    "PAPERRUN_BROKER_POLL_INTERVAL", settings.pollInterval().toString());
        }
        List<ProductProcess.Running> workers = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Phase phase;
        double workersReady = Double.NaN;
        double workersCpu = Double.NaN;
        String said;
        String workersSaid = "";
        try {
            if (remote && !warm.isEmpty()) {
                workers.addAll(warm);
            } else if (remote) {
                long starting = System.nanoTime();
                Map<String, String> worker = new HashMap<>(environment);
                worker.put("PAPERRUN_BROKER_WORKER_PARTITIONS", "1");
                for (int w = 0; w < settings.workers(); w++) {
                    workers.add(paperrun.start(worker, "worker"));
                }
                if (settings.warmWorkers()) {
                    warm.addAll(workers);
                }
                for (ProductProcess.Running w : workers) {
                    w.awaitOutput(WORKER_READY + " " + queue, WORKER_START);
                }
                workersReady = seconds(starting);
            }
            double workersCpuBefore = workers.stream()
                    .mapToDouble(ProductProcess.Running::cpuSeconds)
                    .sum();
            phase = new Phase(kind + " " + number, cpu);
            paperrun.run(environment, "run", JOB);
            phase.end();
            said = paperrun.lastErrors();
            if (remote) {
                workersCpu = workers.stream()
                                .mapToDouble(ProductProcess.Running::cpuSeconds)
                                .sum()
                        - workersCpuBefore;
                StringBuilder all = new StringBuilder();
                if (warm.isEmpty()) {
                    problems.addAll(stop(workers));
                }
                for (ProductProcess.Running w : workers) {
                    all.append(w.err());
                }
                workersSaid = all.toString();
            }
        } finally {
            if (warm.isEmpty()) {
                for (ProductProcess.Running w : workers) {
                    w.close();
                }
            }
        }

        long execution = single(db, """
                SELECT max(e.job_execution_id) FROM batch_job_execution e
                JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id WHERE i.job_name = '""" + JOB + "'");
        String[] step = stepOf(db, execution);
        double stepSeconds = Double.parseDouble(step[1]);
        double stepEnd = Double.parseDouble(step[3]);
        List<Partition> partitions = new ArrayList<>();
        double lastCreated = Double.NEGATIVE_INFINITY;
        try (PreparedStatement st = db.prepareStatement("""
                SELECT step_execution_id, step_name, status, EXTRACT(EPOCH FROM end_time - start_time),
                       write_count, commit_count, EXTRACT(EPOCH FROM start_time - create_time),
                       EXTRACT(EPOCH FROM end_time), EXTRACT(EPOCH FROM create_time)
                FROM batch_step_execution WHERE job_execution_id = ? AND step_name LIKE ?
                ORDER BY step_name""")) {
            st.setLong(1, execution);
            st.setString(2, STEP + ":%");
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    String name = rs.getString(2);
                    String ranOn = "here";
                    if (remote) {
                        ranOn = workersSaid.contains(name + " (step execution " + id + " of job execution " + execution
                                        + "): started")
                                ? "worker"
                                : "?";
                    }
                    partitions.add(new Partition(
                            name.substring(name.indexOf(':') + 1),
                            rs.getString(3),
                            rs.getDouble(4),
                            rs.getLong(5),
                            rs.getLong(6),
                            rs.getDouble(7),
                            stepEnd - rs.getDouble(8),
                            ranOn));
                    lastCreated = Math.max(lastCreated, rs.getDouble(9));
                }
            }
        }
        long decided = partitions.stream().mapToLong(Partition::items).sum();
        if (!"COMPLETED".equals(step[0])) {
            problems.add(STEP + " ended " + step[0]);
        }
        if (partitions.size() != settings.partitions()
                || partitions.stream().anyMatch(p -> !p.status().equals("COMPLETED"))) {
            problems.add(partitions.size() + " partitions, not all COMPLETED (" + settings.partitions() + " wanted)");
        }
        if (decided != setup.pending()) {
            problems.add(
                    String.format("decided %,d attributions, not the %,d the import left", decided, setup.pending()));
        }
        long left = single(db, "SELECT count(*) FROM attribution_pending");
        if (left > 0) {
            problems.add(String.format("%,d attributions left undecided", left));
        }
        if (remote != said.contains(HANDED_TO_WORKERS)) {
            problems.add(
                    remote
                            ? "the launcher did not say it handed its partitions to the workers"
                            : "the launcher handed its partitions to workers");
        }
        if (remote && partitions.stream().anyMatch(p -> !p.ranOn().equals("worker"))) {
            problems.add("not every partition was started by a worker, as their logs say");
        }
        return new Run(
                kind,
                number,
                phase,
                workersReady,
                workersCpu,
                stepSeconds,
                lastCreated - Double.parseDouble(step[2]),
                decided,
                partitions,
                checksum(db),
                problems);
    }

    /** The decide step of the execution: status, seconds, start and end (epoch seconds). */
    private static String[] stepOf(Connection db, long execution) throws Exception {
        try (PreparedStatement st = db.prepareStatement("""
                SELECT status, EXTRACT(EPOCH FROM end_time - start_time), EXTRACT(EPOCH FROM start_time),
                       EXTRACT(EPOCH FROM end_time)
                FROM batch_step_execution WHERE job_execution_id = ? AND step_name = ?""")) {
            st.setLong(1, execution);
            st.setString(2, STEP);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("execution " + execution + " has no step " + STEP);
                }
                return new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)};
            }
        }
    }

    // --- the report ---------------------------------------------------------------------------------------------

    private boolean report(Work setup, List<Run> runs) {
        out.println("runs, in the order they ran (command: its wall time, JVM start and stop included; decide: the "
                + "decide step, start to end, from batch_step_execution; cpu seconds during the command)");
        out.printf(
                "  %-10s %9s %9s %9s %9s %10s %12s %8s %9s %16s%n",
                "run",
                "command s",
                "decide s",
                "split s",
                "decided",
                "cmd cpu",
                "workers cpu",
                "pg cpu",
                "other cpu",
                "workers ready s");
        for (Run run : runs) {
            out.printf(
                    "  %-10s %9.2f %9.2f %9.3f %,9d %10.1f %12s %8.1f %9.1f %16s%n",
                    run.name(),
                    run.phase().seconds,
                    run.stepSeconds(),
                    run.split(),
                    run.decided(),
                    run.phase().javaCpu - run.phase().benchCpu,
                    run.remote() ? String.format("%.1f", run.workersCpu()) : "-",
                    run.phase().pgCpu,
                    run.remote() ? Math.max(0, run.phase().otherCpu - run.workersCpu()) : run.phase().otherCpu,
                    run.remote() ? String.format("%.1f", run.workersReady()) : "-");
        }
        out.println("  split: from the decide step's start to its last partition's creation (the ranges read, the "
                + "partitions' executions written); other cpu: the rest of the machine (other processes); workers "
                + "ready: from their start to all listening (not timed)");
        out.println();
        out.println("partitions (seconds: start to end; us/item: seconds per attribution decided; created->start: "
                + "from the partition's creation by the launcher to its start, here or on a worker (for remote: the "
                + "broker's hop and a worker taking it); end->step end: from its end to the decide step's end (for "
                + "remote: the launcher's polling))");
        out.printf(
                "  %-10s %-12s %8s %9s %7s %9s %15s %14s %7s%n",
                "run",
                "partition",
                "seconds",
                "items",
                "chunks",
                "us/item",
                "created->start",
                "end->step end",
                "ran on");
        for (Run run : runs) {
            for (Partition p : run.partitions()) {
                out.printf(
                        "  %-10s %-12s %8.2f %,9d %7d %9.1f %15.3f %14.3f %7s%n",
                        run.name(),
                        p.name(),
                        p.seconds(),
                        p.items(),
                        p.chunks(),
                        p.microsPerItem(),
                        p.createToStart(),
                        p.endToStepEnd(),
                        p.ranOn());
            }
        }
        out.println();

        List<Run> local = runs.stream().filter(r -> !r.remote()).toList();
        List<Run> remote = runs.stream().filter(Run::remote).toList();
        double localCommand = median(local, r -> r.phase().seconds);
        double remoteCommand = median(remote, r -> r.phase().seconds);
        double localStep = median(local, Run::stepSeconds);
        double remoteStep = median(remote, Run::stepSeconds);
        out.printf("medians over %d run(s) of each%n", settings.repeat());
        out.printf("  %-52s %10s %10s %13s%n", "", "local", "remote", "remote/local");
        row("command, s", localCommand, remoteCommand);
        row("decide step, s", localStep, remoteStep);
        row(
                "slowest partition, s",
                median(local, r -> r.slowest().seconds()),
                median(remote, r -> r.slowest().seconds()));
        row("decide step beyond its slowest partition, s", median(local, Run::overhead), median(remote, Run::overhead));
        row("  of which split, s", median(local, Run::split), median(remote, Run::split));
        row(
                "  partition created->start, s (the latest of a run)",
                median(local, r -> latest(r, Partition::createToStart)),
                median(remote, r -> latest(r, Partition::createToStart)));
        row(
                "  last partition's end->step end, s",
                median(local, r -> earliest(r, Partition::endToStepEnd)),
                median(remote, r -> earliest(r, Partition::endToStepEnd)));
        double localMicros = medianOfPartitions(local);
        double remoteMicros = medianOfPartitions(remote);
        row("per partition, us per attribution", localMicros, remoteMicros);
        out.println();

        double commandRatio = remoteCommand / localCommand;
        double stepRatio = remoteStep / localStep;
        boolean atGoalSize = settings.orders() >= GOAL_ORDERS;
        String size = atGoalSize
                ? ""
                : String.format(
                        " (at %,d orders; the goal is at %,d, where the fixed costs weigh less)",
                        settings.orders(), GOAL_ORDERS);
        out.printf("goals: remote at most %.1fx local at %,d orders%s%n", GOAL_RATIO, GOAL_ORDERS, size);
        out.printf(
                "  %-34s %-8s (%.2fx: %.2f s against %.2f s)%n",
                "command", verdict(commandRatio <= GOAL_RATIO), commandRatio, remoteCommand, localCommand);
        out.printf(
                "  %-34s %-8s (%.2fx: %.2f s against %.2f s)%n",
                "decide step", verdict(stepRatio <= GOAL_RATIO), stepRatio, remoteStep, localStep);
        out.println();

        // decide step = overhead + the slowest partition; a partition's share of the attributions times its cost.
        double perPartition = (double) setup.pending() / settings.partitions();
        double scale = (double) GOAL_ORDERS / settings.orders();
        double localAt = median(local, Run::overhead) + perPartition * scale * localMicros / 1e6;
        double remoteAt = median(remote, Run::overhead) + perPartition * scale * remoteMicros / 1e6;
        out.printf(
                "model: decide step = its overhead + attributions / partitions x us per attribution; here %,d / %d "
                        + "= %,.0f attributions a partition%n",
                setup.pending(), settings.partitions(), perPartition);
        out.printf(
                "  local %.2f s + %,.0f x %.1f us; remote %.2f s + %,.0f x %.1f us%n",
                median(local, Run::overhead),
                perPartition,
                localMicros,
                median(remote, Run::overhead),
                perPartition,
                remoteMicros);
        long chunks = runs.stream()
                .flatMap(r -> r.partitions().stream())
                .mapToLong(Partition::chunks)
                .min()
                .orElse(0);
        if (!atGoalSize && chunks >= WARM_CHUNKS) {
            out.printf(
                    "  at %,d orders (%,.0f attributions, in proportion), with these costs: local %.1f s, remote %.1f "
                            + "s, %.2fx (a linear extrapolation: measure there)%n",
                    GOAL_ORDERS, setup.pending() * scale, localAt, remoteAt, remoteAt / localAt);
        } else if (!atGoalSize) {
            out.printf(
                    "  no extrapolation to %,d orders: %d chunk(s) a partition, whose cost is mostly the JIT's "
                            + "warm-up (%d or more wanted)%n",
                    GOAL_ORDERS, chunks, WARM_CHUNKS);
        }
        out.println();

        String first = runs.get(0).checksum();
        boolean same = runs.stream().allMatch(r -> r.checksum().equals(first));
        boolean problems = runs.stream().anyMatch(r -> !r.problems().isEmpty());
        out.printf(
                "correctness: md5 of every attribution's decided columns (id, processed, passes_rules, order_count, "
                        + "archived) by id, after each run: %s%n",
                same
                        ? "the same after every run (" + first + ")"
                        : "DIFFERENT: "
                                + String.join(
                                        ", ",
                                        runs.stream()
                                                .map(r -> r.name() + " " + r.checksum())
                                                .toList()));
        out.printf(
                "  each run decided the %,d attributions the import left, in %d completed partitions%s%n",
                setup.pending(),
                settings.partitions(),
                problems ? ": NOT SO" : "; the remote runs' partitions were started by the workers");
        for (Run run : runs) {
            for (String problem : run.problems()) {
                out.println("  " + run.name() + ": " + problem);
            }
        }
        return same && !problems;
    }

    private void row(String what, double local, double remote) {
        out.printf("  %-52s %10.3f %10.3f %12.2fx%n", what, local, remote, remote / local);
    }

    private static double latest(Run run, ToDoubleFunction<Partition> value) {
        return run.partitions().stream().mapToDouble(value).max().orElse(Double.NaN);
    }

    private static double earliest(Run run, ToDoubleFunction<Partition> value) {
        return run.partitions().stream().mapToDouble(value).min().orElse(Double.NaN);
    }

    private static double median(List<Run> runs, ToDoubleFunction<Run> value) {
        return median(runs.stream().mapToDouble(value).sorted().toArray());
    }

    /** The median of the cost per attribution of every partition of these runs. */
    private static double medianOfPartitions(List<Run> runs) {
        return median(runs.stream()
                .flatMap(r -> r.partitions().stream())
                .mapToDouble(Partition::microsPerItem)
                .sorted()
                .toArray());
    }

    private static double median(double[] sorted) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    // --- the broker ---------------------------------------------------------------------------------------------

    /** The broker's product and version, as it says; fails at once when it does not answer. */
    private String brokerProduct() throws Exception {
        ConnectionFactory factory = connectionFactory();
        try (com.rabbitmq.client.Connection connection = factory.newConnection("paperrun-bench")) {
            Map<String, Object> properties = connection.getServerProperties();
            return properties.getOrDefault("product", "an AMQP broker") + " " + properties.getOrDefault("version", "");
        } catch (Exception e) {
            throw new IllegalStateException(
                    "the broker at " + where(settings.broker()) + " does not answer: " + e.getMessage(), e);
        }
    }

    private void deleteQueue() {
        try (com.rabbitmq.client.Connection connection = connectionFactory().newConnection("paperrun-bench");
                com.rabbitmq.client.Channel channel = connection.createChannel()) {
            channel.queueDelete(queue);
        } catch (Exception e) {
            out.println("bench: could not delete queue " + queue + ": " + e.getMessage());
        }
    }

    private ConnectionFactory connectionFactory() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(settings.broker());
        factory.setConnectionTimeout(5_000);
        return factory;
    }

    /** The broker's host and port, never its user or password. */
    private static String where(String broker) {
        URI uri = URI.create(broker);
        int port = uri.getPort() > 0 ? uri.getPort() : "amqps".equals(uri.getScheme()) ? 5671 : 5672;
        return uri.getHost() + ":" + port;
    }

    private static String chunkSize() {
        String property = System.getProperty("paperrun.batch.chunk-size");
        String environment = System.getenv("PAPERRUN_BATCH_CHUNK_SIZE");
        return property != null ? property : environment != null ? environment : "2000 (default)";
    }
}
