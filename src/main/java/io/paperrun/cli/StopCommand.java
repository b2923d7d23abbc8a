package io.paperrun.cli;

import io.paperrun.PaperRun;
import io.paperrun.batch.JobLaunches;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.springframework.batch.core.job.JobExecution;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "stop",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {
            "Ask a running execution to stop gracefully, at its next chunk boundary.",
            "It can then be restarted with 'paperrun restart'.",
            "Needs a PostgreSQL server ($SPRING_DATASOURCE_URL): the embedded database is opened by one "
                    + "process at a time, the running job's."
        })
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
            JobLaunches launches = session.bean(JobLaunches.class);
            JobExecution execution = launches.execution(executionId);
            boolean live = launches.stop(executionId);
            if (live) {
                paperRun.out()
                        .println("execution " + executionId + " asked to stop; it stops at its next chunk "
                                + "boundary");
                return ExitCode.OK;
            }
            Optional<ImportedFile> file = ImportedFile.of(execution);
            if (file.isPresent() && file.get().changed()) {
                String why = file.get().changedReason(executionId);
                launches.abandon(executionId, why);
                paperRun.out()
                        .println("execution " + executionId + " had no live process; " + why + ": marked ABANDONED");
                return ExitCode.OK;
            }
            paperRun.out()
                    .println("execution " + executionId + " had no live process; marked FAILED, restart it "
                            + "with: paperrun restart " + executionId);
            return ExitCode.OK;
        } catch (JobLaunches.LaunchRefusedException e) {
            paperRun.err().println("paperrun stop: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        }
    }
}
