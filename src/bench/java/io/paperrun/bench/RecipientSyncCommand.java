package io.paperrun.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code scripts/bench.sh recipient-sync}'s options, checked, for {@link RecipientSyncBenchmark}. */
@Command(
        name = "recipient-sync",
        usageHelpAutoWidth = true,
        sortOptions = false,
        description = {
            "Runs the product's 'run recipient-sync' through scripts/paperrun, in a JVM of its own, for an active "
                    + "campaign filled from a Klaviyo segment: a fake segment in this JVM serving N generated "
                    + "profiles within Klaviyo's limits of the endpoint (750 a minute, 75 a second, in fixed "
                    + "windows). Prints recipients per second, the share of the steady limit used, 429s and "
                    + "requests, the statuses created, the command's peak heap, and checks every member is stored "
                    + "exactly once with the status it must have."
        },
        footerHeading = "%nEnvironment:%n",
        footer = {
            "  PAPERRUN_BENCH_JAVA_OPTS  JVM options of the benchmark and, as their",
            "                            PAPERRUN_JAVA_OPTS, of the product's commands, after",
            "                            scripts/jvm.options (default: -Xmx1g)"
        })
final class RecipientSyncCommand implements Callable<Integer> {

    private static final int MOST_REPEATS = 9;

    @Option(
            names = "--profiles",
            paramLabel = "N",
            defaultValue = "100000",
            description = "Members the fake segment serves, at least 1 (default: ${DEFAULT-VALUE}).")
    private int profiles;

    @Option(
            names = "--repeat",
            paramLabel = "K",
            defaultValue = "1",
            description = "Run the sync K times, 1 to 9, and report the median run (default: ${DEFAULT-VALUE}).")
    private int repeat;

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

    RecipientSyncCommand(String commandLine) {
        this.commandLine = commandLine;
    }

    @Override
    public Integer call() throws Exception {
        return new RecipientSyncBenchmark(settings()).run() ? 0 : BenchCommandLine.FAILED;
    }

    /** The options, checked. */
    RecipientSyncBenchmark.Settings settings() {
        if (profiles < 1 || repeat < 1 || repeat > MOST_REPEATS) {
            throw new ParameterException(
                    spec.commandLine(), "--profiles must be at least 1, --repeat from 1 to " + MOST_REPEATS);
        }
        return new RecipientSyncBenchmark.Settings(profiles, repeat, keep, commandLine);
    }
}
