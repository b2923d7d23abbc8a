package io.paperrun.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code scripts/bench.sh mailing}'s options, checked, for {@link MailingBenchmark}. */
@Command(
        name = "mailing",
        usageHelpAutoWidth = true,
        sortOptions = false,
        description = {
            "Runs the product's 'run mailing' through scripts/paperrun, in a JVM of its own, for N proofed US "
                    + "recipients of one campaign whose printer is Lob: a fake Lob in this JVM that allows 150 "
                    + "postcard requests per 5 s window (windows from the epoch) and answers 429 beyond. Prints the "
                    + "send step's requests per second and the share of the limit used, 429s, postcards created, "
                    + "duplicates and replays, the command's CPU and peak heap, and checks every recipient is "
                    + "mailed exactly once."
        },
        footerHeading = "%nEnvironment:%n",
        footer = {
            "  PAPERRUN_BENCH_JAVA_OPTS  JVM options of the benchmark and, as their",
            "                            PAPERRUN_JAVA_OPTS, of the product's commands, after",
            "                            scripts/jvm.options (default: -Xmx1g)"
        })
final class MailingCommand implements Callable<Integer> {

    private static final int MOST_RUNS = 9;

    @Option(
            names = "--recipients",
            paramLabel = "N",
            defaultValue = "3000",
            description = "Proofed recipients to mail, at least 1 (default: ${DEFAULT-VALUE}).")
    private int recipients;

    @Option(
            names = "--latency",
            paramLabel = "MS",
            defaultValue = "0",
            description = "Milliseconds the fake waits before each postcard answer; Lob takes some 200-500 ms "
                    + "(default: ${DEFAULT-VALUE}).")
    private int latency;

    @Option(
            names = "--concurrency",
            paramLabel = "C",
            split = ",",
            description = "The product's paperrun.mailing.concurrency, one run for each value given (up to 9, "
                    + "e.g. 8,12,16), with the recipients mailed afresh each time (default: the product's own).")
    private List<Integer> concurrencies = List.of();

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

    MailingCommand(String commandLine) {
        this.commandLine = commandLine;
    }

    @Override
    public Integer call() throws Exception {
        return new MailingBenchmark(settings()).run() ? 0 : BenchCommandLine.FAILED;
    }

    /** The options, checked. */
    MailingBenchmark.Settings settings() {
        if (recipients < 1
                || latency < 0
                || concurrencies.size() > MOST_RUNS
                || concurrencies.stream().anyMatch(c -> c < 1)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--recipients must be at least 1, --latency at least 0, --concurrency from 1 to " + MOST_RUNS
                            + " values of at least 1");
        }
        return new MailingBenchmark.Settings(
                recipients, Duration.ofMillis(latency), List.copyOf(concurrencies), keep, commandLine);
    }
}
