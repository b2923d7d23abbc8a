package io.paperrun.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code scripts/bench.sh order-sync}'s options, checked, for {@link OrderSyncBenchmark}. */
@Command(
        name = "order-sync",
        usageHelpAutoWidth = true,
        sortOptions = false,
        description = {
            "Runs the product's 'run order-sync' through scripts/paperrun, in a JVM of its own, for an organization "
                    + "syncing from Shopify: a fake shop in this JVM serving N generated orders behind a cost bucket "
                    + "like Shopify's; then again with a bucket that never runs dry (the pipeline alone). Prints "
                    + "orders per second, the share of the API's allowed throughput used, the share of requests "
                    + "throttled, requests and points, the command's peak heap, and checks every order is stored "
                    + "exactly once."
        },
        footerHeading = "%nEnvironment:%n",
        footer = {
            "  PAPERRUN_BENCH_JAVA_OPTS  JVM options of the benchmark and, as their",
            "                            PAPERRUN_JAVA_OPTS, of the product's commands, after",
            "                            scripts/jvm.options (default: -Xmx1g),",
            "                            e.g. -Dpaperrun.batch.chunk-size=5000"
        })
final class OrderSyncCommand implements Callable<Integer> {

    private static final int MOST_REPEATS = 9;

    @Option(
            names = "--orders",
            paramLabel = "N",
            defaultValue = "100000",
            description = "Orders the fake shop serves, at least 1 (default: ${DEFAULT-VALUE}).")
    private int orders;

    @Option(
            names = "--restore-rate",
            paramLabel = "R",
            defaultValue = "5000",
            description = "Points the shop's cost bucket restores a second (default: ${DEFAULT-VALUE}).")
    private double restoreRate;

    @Option(
            names = "--bucket",
            paramLabel = "B",
            defaultValue = "1000",
            description = "Points the shop's cost bucket holds, full at the start; at least what a page costs "
                    + "(default: ${DEFAULT-VALUE}).")
    private double bucket;

    @Option(
            names = "--per-order-cost",
            paramLabel = "C",
            defaultValue = "1",
            description = "Points each order of a page costs, besides 2 for the query; the product's query selects "
                    + "5 objects an order, as Shopify counts them (default: ${DEFAULT-VALUE}).")
    private double perOrderCost;

    @Option(
            names = "--repeat",
            paramLabel = "K",
            defaultValue = "1",
            description = "Run the sync K times each, with the budget and without, alternately, 1 to 9, and report "
                    + "the median run of each (default: ${DEFAULT-VALUE}).")
    private int repeat;

    @Option(names = "--skip-unthrottled", description = "Skip the runs without a budget (the pipeline alone).")
    private boolean skipUnthrottled;

    @Option(names = "--keep", description = "Keep the runs' files and the database (stopped) for inspection.")
    private boolean keep;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help message and exit.")
    private boolean help;

    @Spec
    private CommandSpec spec;

    private final String commandLine;

    OrderSyncCommand(String commandLine) {
        this.commandLine = commandLine;
    }

    @Override
    public Integer call() throws Exception {
        return new OrderSyncBenchmark(settings()).run() ? 0 : BenchCommandLine.FAILED;
    }

    /** The options, checked. */
    OrderSyncBenchmark.Settings settings() {
        if (orders < 1
                || !(restoreRate > 0)
                || !(perOrderCost > 0)
                || 2 + perOrderCost > OrderSyncBenchmark.MAX_QUERY_COST
                || !(bucket >= OrderSyncBenchmark.pageCost(perOrderCost))
                || repeat < 1
                || repeat > MOST_REPEATS) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--orders must be at least 1, --restore-rate above 0, --per-order-cost above 0 and at most "
                            + (int) (OrderSyncBenchmark.MAX_QUERY_COST - 2) + ", --bucket at least what a page "
                            + "costs (2 + orders a page x C), --repeat from 1 to " + MOST_REPEATS);
        }
        return new OrderSyncBenchmark.Settings(
                orders, restoreRate, bucket, perOrderCost, repeat, !skipUnthrottled, keep, commandLine);
    }
}
