package io.paperrun.bench;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code scripts/bench.sh remote}'s options, checked, for {@link RemoteBenchmark}. */
@Command(
        name = "remote",
        usageHelpAutoWidth = true,
        sortOptions = false,
        description = {
            "Runs the product's 'run attribution-processing' (stage B) on the attributions of M synthetic orders, "
                    + "alternately with its partitions in its own process (local) and on W 'paperrun worker' "
                    + "processes through an AMQP broker (remote), each command in a JVM of its own through "
                    + "scripts/paperrun, the work put back as the import left it before each run. Prints each run's "
                    + "time, its decide step's and partitions' times from the job repository (a partition's wait "
                    + "from its creation to its start, and from its end to the step's end), the ratio remote/local "
                    + "against the goal, the cost of an attribution in a partition, and fails when a remote run "
                    + "decides any attribution otherwise than the local runs."
        },
        footerHeading = "%nEnvironment:%n",
        footer = {
            "  PAPERRUN_BENCH_JAVA_OPTS  JVM options of the benchmark and, as their",
            "                            PAPERRUN_JAVA_OPTS, of the product's commands and",
            "                            workers, after scripts/jvm.options (default: -Xmx1g)",
            "  PAPERRUN_BROKER_URL       the broker, when --broker is not given",
            "                            (default: amqp://guest:guest@127.0.0.1:5672)"
        })
final class RemoteBenchCommand implements Callable<Integer> {

    private static final int MOST_REPEATS = 9;
    /**
     * The embedded PostgreSQL takes 50 connections, and each command (launcher and worker) opens a pool of 8: the
     * launcher, 4 workers and the benchmark's own session fit.
     */
    private static final int MOST_WORKERS = 4;

    private static final int MOST_PARTITIONS = 16;
    private static final String DEFAULT_BROKER = "amqp://guest:guest@127.0.0.1:5672";

    @Option(
            names = "--orders",
            paramLabel = "M",
            required = true,
            description = "Orders of the synthetic organization, whose attributions stage B decides, at least 1.")
    private int orders;

    @Option(
            names = "--recipients",
            paramLabel = "N",
            description = "Recipients, at least " + SyntheticMerchant.MINIMUM_RECIPIENTS + " (default: M, as "
                    + "'attribution' runs by default and at 1,000,000 orders).")
    private Integer recipients;

    @Option(
            names = "--workers",
            paramLabel = "W",
            defaultValue = "2",
            description = "'paperrun worker' processes of a remote run, each running one partition at a time "
                    + "(PAPERRUN_BROKER_WORKER_PARTITIONS=1), 1 to " + MOST_WORKERS + " (default: ${DEFAULT-VALUE}).")
    private int workers;

    @Option(
            names = "--partitions",
            paramLabel = "P",
            defaultValue = "2",
            description = "PAPERRUN_BATCH_PARTITIONS of both runs, so that local and remote split the work alike, "
                    + "1 to " + MOST_PARTITIONS + " (default: ${DEFAULT-VALUE}, the product's default).")
    private int partitions;

    @Option(
            names = "--repeat",
            paramLabel = "K",
            defaultValue = "3",
            description = "Run local, then remote, K times, 1 to " + MOST_REPEATS
                    + ", and report the medians (default: ${DEFAULT-VALUE}).")
    private int repeat;

    @Option(
            names = "--broker",
            paramLabel = "URL",
            description = "The AMQP broker of the remote runs, amqp://user:password@host:5672/vhost (default: "
                    + "PAPERRUN_BROKER_URL, else " + DEFAULT_BROKER + "). The benchmark uses a queue of its own, "
                    + "deleted at the end.")
    private String broker;

    @Option(
            names = "--poll-interval",
            paramLabel = "D",
            defaultValue = "PT1S",
            description = "PAPERRUN_BROKER_POLL_INTERVAL of the remote runs: how often the launcher reads its "
                    + "partitions' states (default: ${DEFAULT-VALUE}, the product's default).")
    private String pollInterval;

    @Option(
            names = "--warm-workers",
            description = "Start the workers once, before the first remote run, and keep them to the last, as "
                    + "long-running workers are (default: started before each remote run, cold as its launcher).")
    private boolean warmWorkers;

    @Option(names = "--keep", description = "Keep the run's files and the database (stopped) for inspection.")
    private boolean keep;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help message and exit.")
    private boolean help;

    @Spec
    private CommandSpec spec;

    private final String commandLine;

    RemoteBenchCommand(String commandLine) {
        this.commandLine = commandLine;
    }

    @Override
    public Integer call() throws Exception {
        return new RemoteBenchmark(settings()).run() ? 0 : BenchCommandLine.FAILED;
    }

    /** The options, checked. */
    RemoteBenchmark.Settings settings() {
        int n = recipients != null ? recipients : Math.max(orders, SyntheticMerchant.MINIMUM_RECIPIENTS);
        Duration poll;
        try {
            poll = Duration.parse(pollInterval);
        } catch (DateTimeParseException e) {
            poll = Duration.ZERO;
        }
        if (orders < 1
                || n < SyntheticMerchant.MINIMUM_RECIPIENTS
                || workers < 1
                || workers > MOST_WORKERS
                || partitions < 1
                || partitions > MOST_PARTITIONS
                || repeat < 1
                || repeat > MOST_REPEATS
                || poll.isNegative()
                || poll.isZero()) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--orders must be at least 1, --recipients at least " + SyntheticMerchant.MINIMUM_RECIPIENTS
                            + ", --workers from 1 to " + MOST_WORKERS + ", --partitions from 1 to "
                            + MOST_PARTITIONS + ", --repeat from 1 to " + MOST_REPEATS
                            + ", --poll-interval a duration longer than 0 (PT1S, PT0.2S)");
        }
        String url = broker;
        if (url == null || url.isBlank()) {
            String fromEnvironment = System.getenv("PAPERRUN_BROKER_URL");
            url = fromEnvironment == null || fromEnvironment.isBlank() ? DEFAULT_BROKER : fromEnvironment;
        }
        if (!url.matches("amqps?://\\S+")) {
            throw new ParameterException(
                    spec.commandLine(), "--broker must be an amqp or amqps URL, such as " + DEFAULT_BROKER);
        }
        return new RemoteBenchmark.Settings(
                orders, n, workers, partitions, repeat, url, poll, warmWorkers, keep, commandLine);
    }
}
