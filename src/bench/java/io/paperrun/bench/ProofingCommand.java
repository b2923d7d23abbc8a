package io.paperrun.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code scripts/bench.sh proofing}'s options, checked, for {@link ProofingBenchmark}. */
@Command(
        name = "proofing",
        usageHelpAutoWidth = true,
        sortOptions = false,
        description = {
            "Runs the product's 'run proofing' through scripts/paperrun, in a JVM of its own, for one active "
                    + "campaign with the example win-back design (jobs-config/examples/designs) and generated unique "
                    + "codes, on N synthetic pending recipients whose address is enriched. Prints proofs per second, "
                    + "CPU, the command's peak heap, where the time went (rendering, storing, database), and checks "
                    + "every recipient is proofed once with its files and a code of its own."
        },
        footerHeading = "%nEnvironment:%n",
        footer = {
            "  PAPERRUN_BENCH_JAVA_OPTS  JVM options of the benchmark and, as their",
            "                            PAPERRUN_JAVA_OPTS, of the product's commands, after",
            "                            scripts/jvm.options (default: -Xmx1g)"
        })
final class ProofingCommand implements Callable<Integer> {

    @Option(
            names = "--recipients",
            paramLabel = "N",
            defaultValue = "2000",
            description = "Recipients to proof, at least 1 (default: ${DEFAULT-VALUE}).")
    private int recipients;

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

    ProofingCommand(String commandLine) {
        this.commandLine = commandLine;
    }

    @Override
    public Integer call() throws Exception {
        if (recipients < 1) {
            throw new ParameterException(spec.commandLine(), "--recipients must be at least 1");
        }
        return new ProofingBenchmark(new ProofingBenchmark.Settings(recipients, keep, commandLine)).run()
                ? 0
                : BenchCommandLine.FAILED;
    }
}
