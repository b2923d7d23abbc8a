package io.paperrun.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code scripts/bench.sh attribution}'s options, checked, for {@link AttributionBenchmark}. */
@Command(
        name = "attribution",
        usageHelpAutoWidth = true,
        sortOptions = false,
        description = {
            "Runs the product's 'import orders' and 'run attribution-processing' on a synthetic "
                    + "organization, each command in a JVM of its own through scripts/paperrun, on this benchmark's "
                    + "database; then, on the same data, the floor (PostgreSQL alone), the storage floor, a command that "
                    + "only starts, and the one-order-at-a-time baseline. Prints orders per second, peak heap, where the "
                    + "CPU went, the goals and the attribution counts of each."
        },
        footerHeading = "%nEnvironment:%n",
        footer = {
            "  PAPERRUN_BENCH_JAVA_OPTS  JVM options of the benchmark and, as their",
            "                            PAPERRUN_JAVA_OPTS, of the product's commands, after",
            "                            scripts/jvm.options (default: -Xmx1g),",
            "                            e.g. -Dpaperrun.batch.chunk-size=5000"
        })
final class AttributionCommand implements Callable<Integer> {

    private static final int MOST_REPEATS = 9;
    private static final int DEFAULT_MOST_BASELINE_ORDERS = 50_000;

    @Option(
            names = "--recipients",
            paramLabel = "N",
            defaultValue = "100000",
            description = "Recipients of the synthetic organization, at least " + SyntheticMerchant.MINIMUM_RECIPIENTS
                    + " (default: ${DEFAULT-VALUE}).")
    private int recipients;

    @Option(
            names = "--orders",
            paramLabel = "M",
            defaultValue = "100000",
            description = "Orders, at least 1 (default: ${DEFAULT-VALUE}).")
    private int orders;

    @Option(
            names = "--baseline-orders",
            paramLabel = "K",
            description = "Orders the one-at-a-time baseline runs, the first K of the M; 0 skips it "
                    + "(default: min(M, 50000)).")
    private Integer baselineOrders;

    @Option(
            names = "--seed",
            paramLabel = "S",
            defaultValue = "20241122",
            description =
                    "The generator's seed: the same seed, N and M give the same data (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(
            names = "--repeat",
            paramLabel = "R",
            defaultValue = "1",
            description = "Run the product and the floor R times each, alternately, 1 to 9, and report the median "
                    + "run (of an even R, the slower middle product run and the faster middle floor) "
                    + "(default: ${DEFAULT-VALUE}).")
    private int repeat;

    @Option(
            names = "--pg-stats",
            description = "Profile the product's SQL with pg_stat_statements (the database restarts with it; the "
                    + "product runs a little slower).")
    private boolean pgStats;

    @Option(names = "--keep", description = "Keep the generated files and the database (stopped) for inspection.")
    private boolean keep;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help message and exit.")
    private boolean help;

    @Spec
    private CommandSpec spec;

    private final String commandLine;

    AttributionCommand(String commandLine) {
        this.commandLine = commandLine;
    }

    @Override
    public Integer call() throws Exception {
        new AttributionBenchmark(settings()).run();
        return 0;
    }

    /** The options, checked; the baseline's orders at most the orders. */
    AttributionBenchmark.Settings settings() {
        int baseline = baselineOrders != null ? baselineOrders : Math.min(orders, DEFAULT_MOST_BASELINE_ORDERS);
        if (recipients < SyntheticMerchant.MINIMUM_RECIPIENTS
                || orders < 1
                || baseline < 0
                || repeat < 1
                || repeat > MOST_REPEATS) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--recipients must be at least "
                            + SyntheticMerchant.MINIMUM_RECIPIENTS
                            + ", --orders at least 1, --baseline-orders at least 0, "
                            + "--repeat from 1 to " + MOST_REPEATS);
        }
        return new AttributionBenchmark.Settings(
                recipients, orders, Math.min(baseline, orders), seed, repeat, pgStats, keep, commandLine);
    }
}
