package io.paperrun.cli;

import io.paperrun.PaperRun;
import io.paperrun.batch.JobLaunches;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.springframework.batch.core.job.JobExecution;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "restart",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {
            "Restart a failed or stopped execution from its last committed chunk.",
            "An execution left running by a process that died is recovered first."
        })
public class RestartCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "EXECUTION_ID")
    long executionId;

    private final PaperRun paperRun;

    public RestartCommand(PaperRun paperRun) {
        this.paperRun = paperRun;
    }

    @Override
    public Integer call() throws Exception {
        try (Session session = paperRun.open()) {
            JobLaunches launches = session.bean(JobLaunches.class);
            try {
                Optional<ImportedFile> file = ImportedFile.of(launches.execution(executionId));
                if (file.isPresent() && file.get().gone()) {
                    paperRun.err()
                            .println("paperrun restart: " + file.get().path() + " is gone; it is needed to "
                                    + "restart");
                    return ExitCode.BAD_INPUT;
                }
                if (file.isPresent() && file.get().changed()) {
                    String why = file.get().changedReason(executionId);
                    Optional<JobExecution> abandoned = launches.abandon(executionId, why);
                    if (abandoned.isPresent()) {
                        paperRun.err()
                                .println("paperrun restart: " + why + "; execution "
                                        + abandoned.get().getId() + " is marked ABANDONED");
                        return ExitCode.BAD_INPUT;
                    }
                }
                JobLaunches.Launch launch = launches.restart(executionId);
                int code = LaunchReport.outcome(launch, paperRun.out(), paperRun.err());
                LaunchReport.syncSummary(session, launch.execution(), paperRun.out(), paperRun.err());
                return Math.max(code, LaunchReport.importSummary(session, launch, paperRun.out(), paperRun.err()));
            } catch (JobLaunches.LaunchRefusedException e) {
                paperRun.err().println("paperrun restart: " + e.getMessage());
                return ExitCode.BAD_INPUT;
            }
        }
    }
}
