package io.paperrun.cli;

import static io.paperrun.PaperRunJobs.CATALOG;

import io.paperrun.PaperRun;
import io.paperrun.batch.ExecutionHistory;
import java.io.PrintWriter;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "executions",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {
            "List job executions with their counts, newest first: status, start (UTC), duration (so far, for "
                    + "one running), counts and exit message, in columns that fit 100 characters.",
            "READ and WRITTEN are the job's main step's: an import's lines (WRITTEN: imported or "
                    + "recorded as rejected), the attributions attribution-processing decided, the orders "
                    + "attribution-rerun matched again; REJECTED, the rows an import or a sync recorded as rejected.",
            "EXIT MESSAGE says why an execution failed, stopped or was abandoned (an ABANDONED one can never be "
                    + "restarted); --wide or --format json give it in full."
        })
public class ExecutionsCommand implements Callable<Integer> {

    private static final Set<String> STATUSES =
            Set.of("COMPLETED", "STARTING", "STARTED", "STOPPING", "STOPPED", "FAILED", "ABANDONED", "UNKNOWN");

    @Option(names = "--job", paramLabel = "JOB", description = "Only this job.")
    String job;

    @Option(
            names = "--status",
            paramLabel = "STATUS",
            description = "Only this status: COMPLETED, STARTED, STOPPING, STOPPED, FAILED, ABANDONED...")
    String status;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "50",
            description = "At most N (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "table",
            description = "table (default) or json: an array of one object per execution, with its parameters.")
    Format format;

    @Option(names = "--wide", description = "Every column in full, with the parameters; lines may pass 100 characters.")
    boolean wide;

    /** How the executions are printed. */
    enum Format {
        table,
        json
    }

    private final PaperRun paperRun;

    public ExecutionsCommand(PaperRun paperRun) {
        this.paperRun = paperRun;
    }

    @Override
    public Integer call() throws Exception {
        if (status != null && !STATUSES.contains(status.toUpperCase(Locale.ROOT))) {
            paperRun.err()
                    .println("paperrun executions: unknown status '" + status + "'; one of "
                            + String.join(", ", STATUSES.stream().sorted().toList()));
            return ExitCode.BAD_INPUT;
        }
        if (job != null && CATALOG.find(job).isEmpty()) {
            paperRun.err()
                    .println("paperrun executions: unknown job '" + job + "'; jobs: "
                            + String.join(", ", CATALOG.names()));
            return ExitCode.BAD_INPUT;
        }
        if (limit < 1) {
            paperRun.err().println("paperrun executions: --limit must be at least 1");
            return ExitCode.BAD_INPUT;
        }
        try (Session session = paperRun.open()) {
            List<ExecutionHistory.Execution> executions =
                    session.bean(ExecutionHistory.class).list(job, status, limit, CATALOG.mainSteps());
            LocalDateTime now = LocalDateTime.now();
            PrintWriter out = paperRun.out();
            if (format == Format.json) {
                out.print(ExecutionsJson.of(executions, now));
            } else {
                ExecutionTable.lines(executions, now, wide).forEach(out::println);
            }
            return ExitCode.OK;
        }
    }
}
