package io.paperrun.cli;

import io.paperrun.PaperRun;
import io.paperrun.attribution.AttributionProcessingJobConfig;
import io.paperrun.attribution.AttributionRerunJobConfig;
import io.paperrun.integration.csv.CsvFile;
import io.paperrun.batch.JobLaunches;
import io.paperrun.batch.StorableValues;
import io.paperrun.integration.csv.CsvOrderSource;
import io.paperrun.order.OrderSyncJobConfig;
import io.paperrun.organization.OrganizationRepository;
import io.paperrun.integration.csv.CsvAudienceSource;
import io.paperrun.recipient.RecipientSyncJobConfig;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.step.StepExecution;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Launch one job by name with job parameters, wait for it, exit with its status.",
                "A job whose last execution with the same parameters failed or stopped is restarted from its last "
                        + "committed chunk.", "",
                "Jobs of this version:",
                "  attribution-processing [org=SLUG]",
                "      decide every unprocessed attribution (stage B)",
                "  attribution-rerun from=DATE to=DATE [org=SLUG]",
                "      re-attribute the orders placed in [from, to) (UTC dates)",
                "  order-sync org=SLUG file=F.csv      as 'paperrun import orders'",
                "  recipient-sync org=SLUG file=F.csv  as 'paperrun import recipients'",
                "Not yet available: address-enrichment, proofing, mailing,",
                "  delivery-tracking, experiment-report."})
public class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "JOB", description = "The job's name.")
    String job;

    @Parameters(index = "1..*", paramLabel = "name=value", description = "Job parameters.")
    List<String> parameters = List.of();

    private final PaperRun paperRun;

    public RunCommand(PaperRun paperRun) {
        this.paperRun = paperRun;
    }

    /** How each job of this version is launched. */
    private record JobSpec(List<String> required, List<String> optional, boolean repeatable,
                           ImportCommand.HeaderCheck file) {
    }

    private static final Map<String, JobSpec> JOBS = Map.of(
            AttributionProcessingJobConfig.JOB, new JobSpec(List.of(), List.of("org"), true, null),
            AttributionRerunJobConfig.JOB, new JobSpec(List.of("from", "to"), List.of("org"), true, null),
            // The imports' jobs: their file is checked as the import commands check it.
            OrderSyncJobConfig.JOB, new JobSpec(List.of("org", "file"), List.of(), false,
                    CsvOrderSource::checkHeader),
            RecipientSyncJobConfig.JOB, new JobSpec(List.of("org", "file"), List.of(), false,
                    CsvAudienceSource::checkHeader));

    private static final Set<String> PLANNED = Set.of("address-enrichment", "proofing", "mailing",
            "delivery-tracking", "experiment-report");

    @Override
    public Integer call() throws Exception {
        JobSpec spec = JOBS.get(job);
        if (spec == null) {
            paperRun.err().println("paperrun run: " + (PLANNED.contains(job)
                    ? "job '" + job + "' is not available in this version"
                    : "unknown job '" + job + "'") + "; jobs: " + String.join(", ", JOBS.keySet().stream().sorted()
                    .toList()));
            return ExitCode.BAD_INPUT;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String p : parameters) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                return bad("parameter '" + p + "' is not name=value");
            }
            String name = p.substring(0, eq);
            if (!spec.required().contains(name) && !spec.optional().contains(name)) {
                return bad(job + " takes no parameter '" + name + "' (it takes " + takes(spec) + ")");
            }
            values.put(name, p.substring(eq + 1));
        }
        for (String r : spec.required()) {
            if (values.get(r) == null || values.get(r).isBlank()) {
                return bad(job + " needs " + r + "=...");
            }
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
        if (values.containsKey("file")) {
            Path file = Path.of(values.get("file")).toAbsolutePath().normalize();
            if (!ImportCommand.usable(file, spec.file(), "paperrun run", paperRun.err())) {
                return ExitCode.BAD_INPUT;
            }
            values.put("file", file.toString());
            values.put("sha256", CsvFile.sha256(file));
        }
        values.forEach(builder::addString);
        JobParameters jobParameters = builder.toJobParameters();
        try (Session session = paperRun.open()) {
            if (values.containsKey("org")
                    && session.bean(OrganizationRepository.class).findBySlug(values.get("org")).isEmpty()) {
                return bad("unknown organization '" + values.get("org") + "'");
            }
            JobLaunches.Launch launch = session.bean(JobLaunches.class).launch(job, jobParameters, spec.repeatable());
            int code = LaunchReport.outcome(launch, paperRun.out(), paperRun.err());
            if (launch.status() == BatchStatus.COMPLETED) {
                printCounts(launch.execution());
            }
            return Math.max(code, LaunchReport.importSummary(session, launch, paperRun.out(), paperRun.err()));
        }
    }

    private void printCounts(JobExecution execution) {
        for (StepExecution step : execution.getStepExecutions()) {
            if (io.paperrun.batch.Partitions.isPartition(step.getStepName())) {
                continue; // a partition ("step:partitionN"); its step's line has the partitions' sums
            }
            paperRun.out().println("  " + step.getStepName() + ": " + step.getReadCount() + " read, "
                    + step.getWriteCount() + " written, " + step.getCommitCount() + " commits");
        }
    }

    /** Every job name of the interface: this version's jobs and those still to come, sorted. */
    static List<String> jobNames() {
        return java.util.stream.Stream.concat(JOBS.keySet().stream(), PLANNED.stream()).sorted().toList();
    }

    /** The parameters a job takes, e.g. "from, to, optional org", or "optional org". */
    private static String takes(JobSpec spec) {
        List<String> said = new java.util.ArrayList<>(spec.required());
        spec.optional().forEach(o -> said.add("optional " + o));
        return said.isEmpty() ? "none" : String.join(", ", said);
    }

    private int bad(String message) {
        paperRun.err().println("paperrun run: " + message);
        return ExitCode.BAD_INPUT;
    }
}
