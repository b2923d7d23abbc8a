package io.paperrun.bench;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/** {@code scripts/bench.sh}'s command line: the benchmarks by name; exit 0 done, 1 failed, 2 bad usage. */
@Command(
        name = "scripts/bench.sh",
        usageHelpAutoWidth = true,
        description = {
            "Benchmarks the product on a deterministic synthetic organization, in an embedded PostgreSQL "
                    + "of its own in a temporary directory (removed at the end); docs/performance.md says how.",
            "'scripts/bench.sh attribution --help' (or order-sync, recipient-sync, proofing, mailing, report, remote "
                    + "--help) "
                    + "gives a benchmark's options and JVM settings."
        })
final class BenchCommandLine implements Callable<Integer> {

    static final int FAILED = 1;
    static final int BAD_USAGE = 2;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help message and exit.")
    private boolean help;

    @Spec
    private CommandSpec spec;

    private final PrintWriter err;

    private BenchCommandLine(PrintWriter err) {
        this.err = err;
    }

    /** Parses {@code args}, runs the benchmark they name; returns the exit code. */
    static int execute(String... args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        CommandLine commandLine = new CommandLine(new BenchCommandLine(err))
                .addSubcommand(new AttributionCommand("scripts/bench.sh " + String.join(" ", args)))
                .addSubcommand(new OrderSyncCommand("scripts/bench.sh " + String.join(" ", args)))
                .addSubcommand(new RecipientSyncCommand("scripts/bench.sh " + String.join(" ", args)))
                .addSubcommand(new ProofingCommand("scripts/bench.sh " + String.join(" ", args)))
                .addSubcommand(new MailingCommand("scripts/bench.sh " + String.join(" ", args)))
                .addSubcommand(new ReportBenchCommand("scripts/bench.sh " + String.join(" ", args)))
                .addSubcommand(new RemoteBenchCommand("scripts/bench.sh " + String.join(" ", args)));
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setParameterExceptionHandler((e, given) -> {
            err.println("bench: " + e.getMessage());
            UnmatchedArgumentException.printSuggestions(e, err);
            err.println("See '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return BAD_USAGE;
        });
        commandLine.setExecutionExceptionHandler((e, command, parsed) -> {
            out.flush();
            err.println("bench: failed: " + e);
            e.printStackTrace(err);
            return FAILED;
        });
        int code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** No benchmark named: bad usage, the usage on stderr. */
    @Override
    public Integer call() {
        err.println("bench: say which benchmark to run: attribution, order-sync, recipient-sync, proofing, mailing, "
                + "report, remote");
        spec.commandLine().usage(err);
        return BAD_USAGE;
    }
}
