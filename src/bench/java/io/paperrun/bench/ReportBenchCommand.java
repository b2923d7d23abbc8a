package io.paperrun.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code scripts/bench.sh report}'s options, checked, for {@link ReportBenchmark}. */
@Command(
        name = "report",
        usageHelpAutoWidth = true,
        sortOptions = false,
        description = {
            "Runs the product's 'report experiment' through scripts/paperrun, in a JVM of its own, on one holdout "
                    + "campaign of N synthetic recipients (10%% held out) and N attributed orders, written in SQL: "
                    + "json (all_orders, then first_order) and html. Prints each command's time and the time the "
                    + "product says it spent, beside the time of the one SQL aggregate the report needs "
                    + "(ReportQueries.GROUPS over JDBC, in one session and in new ones), the server time of each "
                    + "command's statements (pg_stat_activity), the commands' peak heap, and checks the JSON's groups "
                    + "against the benchmark's own count."
        },
        footerHeading = "%nEnvironment:%n",
        footer = {
            "  PAPERRUN_BENCH_JAVA_OPTS  JVM options of the benchmark and, as their",
            "                            PAPERRUN_JAVA_OPTS, of the product's commands, after",
            "                            scripts/jvm.options (default: -Xmx1g)"
        })
final class ReportBenchCommand implements Callable<Integer> {

    @Option(
            names = "--recipients",
            paramLabel = "N",
            defaultValue = "100000",
            description = "Recipients of the campaign, and attributed orders, at least 10 (default: ${DEFAULT-VALUE}).")
    private int recipients;

    @Option(names = "--explain", description = "Print the aggregate's plan, as EXPLAIN (ANALYZE, BUFFERS) gives it.")
    private boolean explain;

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

    ReportBenchCommand(String commandLine) {
        this.commandLine = commandLine;
    }

    @Override
    public Integer call() throws Exception {
        if (recipients < 10) {
            throw new ParameterException(spec.commandLine(), "--recipients must be at least 10");
        }
        return new ReportBenchmark(new ReportBenchmark.Settings(recipients, explain, keep, commandLine)).run()
                ? 0
                : BenchCommandLine.FAILED;
    }
}
