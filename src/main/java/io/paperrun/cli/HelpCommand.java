package io.paperrun.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code paperrun help [COMMAND [SUBCOMMAND]]}: the help of the command named, however deep ({@code help import
 * orders} is {@code import orders --help}); picocli's own help command reads only the first name.
 */
@Command(
        name = "help",
        helpCommand = true,
        usageHelpAutoWidth = true,
        description = "Show the help of a command (paperrun help import orders is paperrun import orders --help).")
public class HelpCommand implements CommandLine.IHelpCommandInitializable2, Runnable {

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "A command and its subcommand, if it has some.")
    private List<String> names = new ArrayList<>();

    private CommandLine self;
    private CommandLine.Help.ColorScheme colors;
    private PrintWriter out;

    @Override
    public void init(
            CommandLine helpCommandLine, CommandLine.Help.ColorScheme colorScheme, PrintWriter out, PrintWriter err) {
        this.self = helpCommandLine;
        this.colors = colorScheme;
        this.out = out;
    }

    @Override
    public void run() {
        CommandLine command = self.getParent();
        for (String name : names) {
            CommandLine sub = command.getSubcommands().get(name);
            if (sub == null) {
                throw new CommandLine.ParameterException(
                        self,
                        "Unknown command '" + String.join(" ", names) + "': '"
                                + command.getCommandSpec().qualifiedName() + "' has no command '" + name + "'");
            }
            command = sub;
        }
        command.usage(out, colors);
    }
}
