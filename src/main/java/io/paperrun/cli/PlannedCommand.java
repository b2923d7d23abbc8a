package io.paperrun.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UnmatchedArgsBinding;

/**
 * A command of the interface that this version does not have yet: whatever it is given (even --help), it says so
 * in one line and exits 2, as {@code run} does for a job still to come.
 */
public final class PlannedCommand implements Callable<Integer> {

    private final String qualifiedName;
    private final PrintWriter err;

    private PlannedCommand(String qualifiedName, PrintWriter err) {
        this.qualifiedName = qualifiedName;
        this.err = err;
    }

    @Override
    public Integer call() {
        err.println(qualifiedName + ": not available in this version");
        return ExitCode.BAD_INPUT;
    }

    /** Adds the interface's commands still to come to the command line. */
    public static void addTo(CommandLine paperrun, PrintWriter err) {
        // every command of the interface is available
    }

    private static CommandLine planned(String qualifiedName, String description, PrintWriter err) {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(new PlannedCommand(qualifiedName, err));
        spec.usageMessage().description(description + " Not available in this version.");
        spec.addUnmatchedArgsBinding(UnmatchedArgsBinding.forStringArrayConsumer(new CommandLine.Model.ISetter() {
            @Override
            public <T> T set(T value) {
                return null; // whatever it is given, it is not available
            }
        }));
        spec.parser().unmatchedArgumentsAllowed(true);
        return new CommandLine(spec);
    }
}
