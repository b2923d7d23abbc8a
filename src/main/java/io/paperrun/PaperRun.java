package io.paperrun;

import io.paperrun.batch.BadSettingException;
import io.paperrun.batch.JobLaunches;
import io.paperrun.batch.JobRunGuard;
import io.paperrun.batch.ProgressLines;
import io.paperrun.cli.ApplyCommand;
import io.paperrun.cli.ExecutionsCommand;
import io.paperrun.cli.ExitCode;
import io.paperrun.cli.ExportCommand;
import io.paperrun.cli.HelpCommand;
import io.paperrun.cli.HelpText;
import io.paperrun.cli.ImportCommand;
import io.paperrun.cli.ReportCommand;
import io.paperrun.cli.RestartCommand;
import io.paperrun.cli.RunCommand;
import io.paperrun.cli.SchedulerCommand;
import io.paperrun.cli.Session;
import io.paperrun.cli.StandardOutput;
import io.paperrun.cli.StopCommand;
import io.paperrun.cli.WorkerCommand;
import io.paperrun.database.DataDirectory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code paperrun} command line. It parses the command first and starts the
 * database and the Spring application only for commands that need them.
 */
@Command(
        name = "paperrun",
        mixinStandardHelpOptions = true,
        versionProvider = PaperRun.Version.class,
        usageHelpAutoWidth = true,
        description = {
            "Postcard campaigns for e-commerce: recipients, orders and their attribution.",
            "",
            "Data lives in an embedded PostgreSQL in the data directory (--data-dir, else $PAPERRUN_DATA_DIR, "
                    + "else ./data), or in the PostgreSQL server named by $SPRING_DATASOURCE_URL."
        },
        subcommands = {
            ApplyCommand.class,
            ImportCommand.class,
            RunCommand.class,
            ExecutionsCommand.class,
            RestartCommand.class,
            StopCommand.class,
            ExportCommand.class,
            ReportCommand.class,
            SchedulerCommand.class,
            WorkerCommand.class,
            HelpCommand.class
        },
        footerHeading = "%nExit codes:%n")
public class PaperRun implements Callable<Integer> {

    @Option(
            names = "--data-dir",
            scope = ScopeType.INHERIT,
            paramLabel = "DIR",
            description = "Where the embedded database keeps its files (default: $PAPERRUN_DATA_DIR, else ./data).")
    private Path dataDir;

    /** The values of PAPERRUN_LOG_FORMAT that logback.xml knows: Spring Boot's structured formats, and text. */
    private static final List<String> LOG_FORMATS = List.of("ecs", "logstash", "gelf", "text");

    private final Map<String, String> environment;
    private final Session.Opener opener;
    private final PrintWriter out;
    private final PrintWriter err;

    public PaperRun(Map<String, String> environment, Session.Opener opener, PrintWriter out, PrintWriter err) {
        this.environment = environment;
        this.opener = opener;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        PrintWriter out = StandardOutput.open();
        PrintWriter err = new PrintWriter(System.err, true);
        int code = new PaperRun(System.getenv(), Session.Opener.DEFAULT, out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command; returns its exit code. */
    public int execute(String... args) {
        CommandLine commandLine = new CommandLine(this, new CommandFactory());
        describeJobs(commandLine);
        versionEverywhere(commandLine); // every command's -V, --version says it
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        // --data-dir run: a directory may have a command's name; picocli refuses that by default.
        commandLine.setAllowSubcommandsAsOptionParameters(true);
        commandLine.registerConverter(LocalDate.class, PaperRun::date);
        commandLine.registerConverter(Long.class, value -> whole(value, Long::valueOf));
        commandLine.registerConverter(long.class, value -> whole(value, Long::valueOf));
        commandLine.registerConverter(Integer.class, value -> whole(value, Integer::valueOf));
        commandLine.registerConverter(int.class, value -> whole(value, Integer::valueOf));
        commandLine.setParameterExceptionHandler((e, a) -> {
            if (e.getCause() instanceof CommandLine.TypeConversionException conversion && e.getArgSpec() != null) {
                // "--to: 2024-02-30 is not a date (YYYY-MM-DD)", named as the user wrote it
                err.println(e.getCommandLine().getCommandSpec().qualifiedName() + ": " + argumentName(e.getArgSpec())
                        + ": " + conversion.getMessage());
            } else {
                err.println("paperrun: " + e.getMessage());
            }
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
            err.println("See '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return ExitCode.BAD_INPUT;
        });
        commandLine.setExecutionExceptionHandler((e, cl, parsed) -> {
            if (e instanceof DataDirectory.DataDirectoryInUseException
                    || e instanceof JobRunGuard.JobAlreadyRunningException
                    || e instanceof JobExecutionAlreadyRunningException) {
                err.println("paperrun: " + e.getMessage());
                return ExitCode.ALREADY_RUNNING;
            }
            if (e instanceof JobLaunches.LaunchRefusedException || e instanceof BadSettingException) {
                err.println("paperrun: " + e.getMessage());
                return ExitCode.BAD_INPUT;
            }
            if (e instanceof Session.StartupFailedException startup) {
                err.println("paperrun: " + e.getMessage());
                if ("DEBUG".equalsIgnoreCase(environment.get("PAPERRUN_LOG_LEVEL"))) {
                    e.printStackTrace(err);
                }
                return startup.badSetting() ? ExitCode.BAD_INPUT : ExitCode.FAILED;
            }
            err.println("paperrun: " + oneLine(e));
            return ExitCode.FAILED;
        });
        int code = commandLine.execute(args);
        if (out.checkError()) { // flushes; a result that did not reach its reader is a failure
            String why = out instanceof StandardOutput standard ? standard.failure() : null;
            err.println("paperrun: could not write to standard output" + (why == null ? "" : ": " + why));
            return ExitCode.FAILED;
        }
        return code;
    }

    /** No command: bad usage, the usage on stderr. */
    @Override
    public Integer call() {
        err.println("paperrun: say which command to run");
        CommandLine usage = new CommandLine(this);
        describeJobs(usage);
        usage.usage(err);
        return ExitCode.BAD_INPUT;
    }

    /** The help that names jobs, from the job catalog: {@code run}'s list of jobs, and the exit codes. */
    private static void describeJobs(CommandLine paperrun) {
        paperrun.getCommandSpec().usageMessage().footer(HelpText.exitCodes(PaperRunJobs.CATALOG));
        paperrun.getSubcommands()
                .get("run")
                .getCommandSpec()
                .usageMessage()
                .description(RunCommand.description(PaperRunJobs.CATALOG));
    }

    private static LocalDate date(String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new CommandLine.TypeConversionException(value + " is not a date (YYYY-MM-DD)");
        }
    }

    private static <N> N whole(String value, Function<String, N> parse) {
        try {
            return parse.apply(value);
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException(value + " is not a whole number");
        }
    }

    private static String argumentName(CommandLine.Model.ArgSpec arg) {
        return arg instanceof CommandLine.Model.OptionSpec option ? option.longestName() : arg.paramLabel();
    }

    private static void versionEverywhere(CommandLine command) {
        for (CommandLine sub : command.getSubcommands().values()) {
            sub.getCommandSpec().versionProvider(new Version());
            versionEverywhere(sub);
        }
    }

    /**
     * Opens the database and the application for a command that needs them; the progress lines of the jobs it
     * runs go to its standard error.
     */
    public Session open() throws Exception {
        String logFormat = setting("PAPERRUN_LOG_FORMAT");
        if (logFormat != null && !LOG_FORMATS.contains(logFormat)) {
            throw new BadSettingException(
                    "PAPERRUN_LOG_FORMAT must be ecs, logstash or gelf (JSON logs), or text, not \"" + logFormat
                            + "\"");
        }
        String server = serverNamedBy();
        if (dataDir != null && server != null) {
            err.println("paperrun: --data-dir " + dataDir + " is not used: " + server + " names the database");
        }
        Path dir = dataDir != null
                ? dataDir
                : setting("PAPERRUN_DATA_DIR") != null ? Path.of(setting("PAPERRUN_DATA_DIR")) : Path.of("data");
        Session session = opener.open(dir, environment);
        try {
            session.bean(ProgressLines.class).printTo(err);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
        return session;
    }

    public PrintWriter out() {
        return out;
    }

    /** The environment variable {@code name}, or null when it is not set or blank. */
    public String setting(String name) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    /** Whether the commands use a database server ({@code SPRING_DATASOURCE_URL}), not the embedded one. */
    public boolean databaseServer() {
        return serverNamedBy() != null;
    }

    /** What names the database server: {@code SPRING_DATASOURCE_URL}, {@code spring.datasource.url}, or null. */
    private String serverNamedBy() {
        String property = System.getProperty("spring.datasource.url");
        return setting("SPRING_DATASOURCE_URL") != null
                ? "SPRING_DATASOURCE_URL"
                : property != null && !property.isBlank() ? "spring.datasource.url" : null;
    }

    public PrintWriter err() {
        return err;
    }

    public static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    /** Commands get this instance through their constructor. */
    private final class CommandFactory implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                return type.getDeclaredConstructor(PaperRun.class).newInstance(PaperRun.this);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = PaperRun.class.getPackage().getImplementationVersion();
            return new String[] {"paperrun " + (v == null ? "(development build)" : v)};
        }
    }
}
