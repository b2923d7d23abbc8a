package io.paperrun.cli;

import io.paperrun.PaperRun;
import io.paperrun.campaign.ApplyFile;
import io.paperrun.campaign.ApplyService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "apply",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {
            "Create or update organizations and campaigns from a YAML file (idempotent).",
            "The file is checked whole first: any invalid field refuses it all, and nothing is changed."
        })
public class ApplyCommand implements Callable<Integer> {

    @Option(
            names = {"-f", "--file"},
            required = true,
            paramLabel = "FILE.yaml",
            description = "The apply file.")
    Path file;

    private final PaperRun paperRun;

    public ApplyCommand(PaperRun paperRun) {
        this.paperRun = paperRun;
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file)) {
            paperRun.err().println("paperrun apply: " + file + ": no such file");
            return ExitCode.BAD_INPUT;
        }
        ApplyFile parsed;
        try {
            parsed = ApplyFile.read(file);
        } catch (ApplyFile.InvalidApplyFileException e) {
            paperRun.err().println("paperrun apply: " + file + " is refused; nothing was changed:");
            e.problems().forEach(p -> paperRun.err().println("  " + p));
            return ExitCode.BAD_INPUT;
        }
        try (var session = paperRun.open()) {
            for (ApplyService.Change change : session.bean(ApplyService.class).apply(parsed)) {
                paperRun.out().println(change);
            }
            return ExitCode.OK;
        } catch (ApplyService.CampaignRefusedException e) {
            paperRun.err().println("paperrun apply: " + file + " is refused; nothing was changed:");
            paperRun.err().println("  " + e.getMessage());
            return ExitCode.BAD_INPUT;
        }
    }
}
