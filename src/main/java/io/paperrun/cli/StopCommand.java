package io.paperrun.cli;

import io.paperrun.PaperRun;
import io.paperrun.batch.JobLaunches;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "stop", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Ask a running execution to stop gracefully, at its next chunk boundary.",
                "It can then be restarted with 'paperrun restart'.",
                "Needs a PostgreSQL server ($SPRING_DATASOURCE_URL): the embedded database is opened by one "
                        + "process at a time, the running job's."})
public class StopCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "EXECUTION_ID")
    long executionId;

    private final PaperRun paperRun;

    public StopCommand(PaperRun paperRun) {
        this.paperRun = paperRun;
    }

    @Override
    public Integer call() throws Exception {
        try (Session session = paperRun.open()) {
            boolean live = session.bean(JobLaunches.class).stop(executionId);
            paperRun.out().println(live
                    ? "execution " + executionId + " asked to stop; it stops at its next chunk boundary"
                    : "execution " + executionId + " had no live process; marked FAILED, restart it with: "
                    + "paperrun restart " + executionId);
            return ExitCode.OK;
        } catch (JobLaunches.LaunchRefusedException e) {
            paperRun.err().println("paperrun stop: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        }
    }
}
