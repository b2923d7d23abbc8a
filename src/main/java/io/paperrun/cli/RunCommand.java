package io.paperrun.cli;

import static io.paperrun.PaperRunJobs.CATALOG;

import io.paperrun.PaperRun;
import io.paperrun.batch.JobCatalog;
import io.paperrun.batch.JobDefinition;
import io.paperrun.batch.JobLaunches;
import io.paperrun.batch.Partitions;
import io.paperrun.batch.RunSummary;
import io.paperrun.batch.StorableValues;
import io.paperrun.integration.csv.CsvFile;
import io.paperrun.organization.OrganizationRepository;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.step.StepExecution;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Launches one job of the catalog by name; its help lists the catalog's jobs ({@link #description}). */
@Command(name = "run", mixinStandardHelpOptions = true, usageHelpAutoWidth = true)
public class RunCommand implements Callable<Integer> {

    /** Where a job's description starts when it fits beside its usage. */
    private static final int DESCRIPTION_COLUMN = 38;

    @Parameters(index = "0", paramLabel = "JOB", description = "The job's name.")
    String job;

    @Parameters(index = "1..*", paramLabel = "name=value", description = "Job parameters.")
    List<String> parameters = List.of();

    private final PaperRun paperRun;

    public RunCommand(PaperRun paperRun) {
        this.paperRun = paperRun;
    }

    /** The command's description: what it does, then the catalog's jobs, with their usage, and those to come. */
    public static String[] description(JobCatalog catalog) {
        List<String> lines = new ArrayList<>(List.of(
                "Launch one job by name with job parameters, wait for it, exit with its status.",
                "A job whose last execution with the same parameters failed or stopped is restarted from its last "
                        + "committed chunk; but the jobs that work through what is waiting ("
                        + String.join(
                                ", ",
                                catalog.available().stream()
                                        .filter(e -> e.repeat() == JobDefinition.Repeat.SYNC)
                                        .map(e -> e.fileToImport().isPresent() ? e.name() + " without file=" : e.name())
                                        .sorted()
                                        .toList())
                        + ") always start a new run, from where the work stands (restart a failed one with 'paperrun "
                        + "restart ID').",
                "",
                "Jobs of this version:"));
        catalog.available().stream()
                .sorted(Comparator.comparing(JobDefinition::name))
                .forEach(entry -> {
                    String usage = "  " + String.join(" ", nameAndParameters(entry));
                    if (usage.length() + 2 <= DESCRIPTION_COLUMN
                            && DESCRIPTION_COLUMN + entry.description().length() <= HelpText.WIDTH) {
                        lines.add(usage + " ".repeat(DESCRIPTION_COLUMN - usage.length()) + entry.description());
                    } else {
                        lines.add(usage);
                        lines.add("      " + entry.description());
                    }
                });
        List<String> later =
                catalog.comingLater().stream().map(JobDefinition::name).toList();
        if (!later.isEmpty()) {
            lines.addAll(HelpText.wrapped("Not yet available: ", "  ", String.join(", ", later) + "."));
        }
        return lines.toArray(String[]::new);
    }

    private static List<String> nameAndParameters(JobDefinition entry) {
        List<String> words = new ArrayList<>(List.of(entry.name()));
        entry.parameters().forEach(p -> words.add(p.usage()));
        return words;
    }

    @Override
    public Integer call() throws Exception {
        Optional<JobDefinition> found = CATALOG.find(job).filter(JobDefinition::available);
        if (found.isEmpty()) {
            paperRun.err()
                    .println("paperrun run: "
                            + (CATALOG.find(job).isPresent()
                                    ? "job '" + job + "' is not available in this version"
                                    : "unknown job '" + job + "'")
                            + "; jobs: " + String.join(", ", CATALOG.availableNames()));
            return ExitCode.BAD_INPUT;
        }
        JobDefinition definition = found.get();
        Map<String, String> values = new LinkedHashMap<>();
        for (String p : parameters) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                return bad("parameter '" + p + "' is not name=value");
            }
            String name = p.substring(0, eq);
            if (definition.parameter(name).isEmpty()) {
                return bad(job + " takes no parameter '" + name + "' (it takes " + takes(definition) + ")");
            }
            values.put(name, p.substring(eq + 1));
        }
        for (JobDefinition.Parameter r : definition.parameters()) {
            if (r.required()
                    && (values.get(r.name()) == null || values.get(r.name()).isBlank())) {
                return bad(job + " needs " + r.name() + "=...");
            }
        }
        if (definition.importsFile(values)
                && definition.parameter("org").isPresent()
                && (values.get("org") == null || values.get("org").isBlank())) {
            return bad(job + " needs org=... to import "
                    + definition.fileToImport().get().name() + "=...");
        }
        JobParametersBuilder builder = new JobParametersBuilder();
        if (values.containsKey("from")) {
            try {
                LocalDate from = LocalDate.parse(values.get("from"));
                LocalDate to = LocalDate.parse(values.get("to"));
                if (!from.isBefore(to)) {
                    return bad("from " + from + " must be before to " + to + " (to is exclusive)");
                }
                if (!StorableValues.date(from) || !StorableValues.date(to)) {
                    return bad("from and to must be within " + StorableValues.YEARS);
                }
            } catch (DateTimeParseException e) {
                return bad("from and to are dates: YYYY-MM-DD");
            }
        }
        for (JobDefinition.Parameter p : definition.parameters()) {
            if (p.fileFormat().isPresent() && values.containsKey(p.name())) {
                Path file = Path.of(values.get(p.name())).toAbsolutePath().normalize();
                if (!ImportCommand.usable(
                        file, CsvFile.headerCheck(p.fileFormat().get()), "paperrun run", paperRun.err())) {
                    return ExitCode.BAD_INPUT;
                }
                values.put(p.name(), file.toString());
                values.put("sha256", CsvFile.sha256(file));
            }
        }
        values.forEach(builder::addString);
        JobParameters jobParameters = builder.toJobParameters();
        try (Session session = paperRun.open()) {
            if (values.containsKey("org")
                    && session.bean(OrganizationRepository.class)
                            .findBySlug(values.get("org"))
                            .isEmpty()) {
                return bad("unknown organization '" + values.get("org") + "'");
            }
            JobLaunches.Launch launch = session.bean(JobLaunches.class).launch(definition, jobParameters);
            int code = LaunchReport.outcome(launch, paperRun.out(), paperRun.err());
            if (launch.status() == BatchStatus.COMPLETED) {
                printCounts(launch.execution());
            }
            if (launch.how() != JobLaunches.How.ALREADY_COMPLETED) {
                RunSummary.lines(launch.execution()).forEach(paperRun.out()::println);
                LaunchReport.syncSummary(session, launch.execution(), paperRun.out(), paperRun.err());
            }
            return Math.max(code, LaunchReport.importSummary(session, launch, paperRun.out(), paperRun.err()));
        }
    }

    private void printCounts(JobExecution execution) {
        for (StepExecution step : execution.getStepExecutions()) {
            if (Partitions.isPartition(step.getStepName())) {
                continue; // a partition ("step:partitionN"); its step's line has the partitions' sums
            }
            paperRun.out()
                    .println("  " + step.getStepName() + ": " + step.getReadCount() + " read, " + step.getWriteCount()
                            + " written, " + step.getCommitCount() + " commits");
        }
    }

    /** The parameters a job takes, e.g. "from, to, optional org", or "optional org". */
    private static String takes(JobDefinition definition) {
        List<String> said = definition.parameters().stream()
                .map(p -> p.required() ? p.name() : "optional " + p.name())
                .toList();
        return said.isEmpty() ? "none" : String.join(", ", said);
    }

    private int bad(String message) {
        paperRun.err().println("paperrun run: " + message);
        return ExitCode.BAD_INPUT;
    }
}
