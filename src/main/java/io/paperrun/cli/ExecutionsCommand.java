package io.paperrun.cli;

import static io.paperrun.PaperRunJobs.CATALOG;

import io.paperrun.PaperRun;
import io.paperrun.batch.ExecutionHistory;
import java.io.PrintWriter;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
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
            "List job executions with their counts, newest first. Times are UTC.",
            "READ and WRITTEN are the job's main step's: an import's lines (WRITTEN: imported or "
                    + "recorded as rejected), the attributions attribution-processing decided, the orders "
                    + "attribution-rerun matched again; REJECTED, an import's rejected rows.",
            "An ABANDONED execution can never be restarted; the line says why."
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
            PrintWriter out = paperRun.out();
            out.printf(
                    "%-6s %-24s %-10s %-20s %-20s %10s %10s %9s  %s%n",
                    "ID", "JOB", "STATUS", "STARTED", "ENDED", "READ", "WRITTEN", "REJECTED", "PARAMETERS");
            for (ExecutionHistory.Execution e : executions) {
                out.printf(
                        "%-6d %-24s %-10s %-20s %-20s %10d %10d %9d  %s%s%n",
                        e.id(),
                        e.job(),
                        e.status(),
                        time(e.started()),
                        time(e.ended()),
                        e.read(),
                        e.written(),
                        e.rejected(),
                        e.parameters(),
                        "ABANDONED".equals(e.status())
                                        && e.exitMessage() != null
                                        && !e.exitMessage().isBlank()
                                ? "  (abandoned: " + e.exitMessage() + ")"
                                : "");
            }
            return ExitCode.OK;
        }
    }

    private static String time(LocalDateTime t) {
        return t == null
                ? "-"
                : t.truncatedTo(ChronoUnit.SECONDS)
                        .atOffset(ZoneOffset.UTC)
                        .toInstant()
                        .toString();
    }
}
