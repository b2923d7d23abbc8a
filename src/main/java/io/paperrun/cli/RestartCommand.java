package io.paperrun.cli;

import io.paperrun.PaperRun;
import io.paperrun.batch.CsvFile;
import io.paperrun.batch.JobLaunches;
import org.springframework.batch.core.job.JobExecution;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "restart", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Restart a failed or stopped execution from its last committed chunk.",
                "An execution left running by a process that died is recovered first."})
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
                JobExecution execution = launches.execution(executionId);
                String file = execution.getJobParameters().getString("file");
                String sha256 = execution.getJobParameters().getString("sha256");
                if (file != null && sha256 != null) {
                    if (!Files.isRegularFile(Path.of(file))) {
                        paperRun.err().println("paperrun restart: " + file + " is gone; it is needed to restart");
                        return ExitCode.BAD_INPUT;
                    }
                    if (!CsvFile.sha256(Path.of(file)).equals(sha256)) {
                        paperRun.err().println("paperrun restart: " + file + " changed since execution "
                                + executionId + " started; import the new file instead");
                        return ExitCode.BAD_INPUT;
                    }
                }
                JobLaunches.Launch launch = launches.restart(executionId);
                int code = LaunchReport.outcome(launch, paperRun.out(), paperRun.err());
                return Math.max(code, LaunchReport.importSummary(session, launch, paperRun.out(), paperRun.err()));
            } catch (JobLaunches.LaunchRefusedException e) {
                paperRun.err().println("paperrun restart: " + e.getMessage());
                return ExitCode.BAD_INPUT;
            }
        }
    }
}
