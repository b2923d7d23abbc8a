package io.paperrun.cli;

import static io.paperrun.PaperRunJobs.CATALOG;

import io.paperrun.PaperRun;
import io.paperrun.batch.FailureReason;
import io.paperrun.batch.ImportWriter;
import io.paperrun.batch.JobDefinition;
import io.paperrun.batch.JobLaunches;
import io.paperrun.batch.Partitions;
import io.paperrun.batch.RejectedRows;
import io.paperrun.campaign.Campaign;
import io.paperrun.campaign.CampaignRepository;
import io.paperrun.order.OrderSyncCheckpoints;
import io.paperrun.order.OrderSyncJobConfig;
import io.paperrun.organization.OrganizationRepository;
import io.paperrun.recipient.RecipientSyncCheckpoints;
import io.paperrun.recipient.RecipientSyncJobConfig;
import io.paperrun.recipient.RecipientSyncWriter;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;

/** Prints what a launch did, and turns it into the exit code of the interface spec. */
final class LaunchReport {

    private LaunchReport() {}

    /**
     * Prints the outcome line and, for a failure, how to restart.
     *
     * @return the exit code for a run that rejected no rows
     */
    static int outcome(JobLaunches.Launch launch, PrintWriter out, PrintWriter err) {
        JobExecution e = launch.execution();
        String job = e.getJobInstance().getJobName();
        if (launch.how() == JobLaunches.How.ALREADY_COMPLETED) {
            out.println(job + ": already completed by execution " + e.getId() + " with the same parameters; "
                    + "nothing changed");
            return ExitCode.OK;
        }
        String verb = launch.how() == JobLaunches.How.RESTARTED ? "restarted as execution " : "execution ";
        String after = launch.how() == JobLaunches.How.RESTARTED ? ", " : " ";
        BatchStatus status = e.getStatus();
        if (status == BatchStatus.COMPLETED) {
            out.println(job + ": " + verb + e.getId() + after + "completed");
            return ExitCode.OK;
        }
        Throwable cause = firstCause(e);
        long failedOrganizations = isProviderSync(e)
                ? syncPartitions(e).stream()
                        .filter(step -> step.getStatus() != BatchStatus.COMPLETED)
                        .count()
                : 0;
        String reason = failedOrganizations > 0
                ? failedOrganizations + " of " + syncPartitions(e).size()
                        + (RecipientSyncJobConfig.JOB.equals(job) ? " campaigns failed" : " organizations failed")
                : cause == null ? e.getExitStatus().getExitDescription() : PaperRun.oneLine(cause);
        err.println(job + ": " + verb + e.getId() + after + status
                + (reason == null || reason.isBlank()
                        ? ""
                        : ": " + reason.lines().findFirst().orElse(reason)));
        if (status == BatchStatus.FAILED || status == BatchStatus.STOPPED) {
            err.println("restart it from its last committed chunk with: paperrun restart " + e.getId());
        }
        return ExitCode.FAILED;
    }

    /**
     * What made the execution fail: a partition's own failure first (its step's failure only says a
     * partition failed), then a step's, then the job's.
     */
    static Throwable firstCause(JobExecution e) {
        return FailureReason.firstCause(e).orElse(null);
    }

    /**
     * For an import that completed (now or earlier): prints {@code N imported, M rejected} (and the
     * rejected rows when it ran now) and, for orders, what the run matched.
     *
     * @return the exit code: 2 when this run rejected rows, else 0; 0 for anything but an import
     */
    static int importSummary(Session session, JobLaunches.Launch launch, PrintWriter out, PrintWriter err) {
        JobExecution execution = launch.execution();
        Optional<JobDefinition> job = CATALOG.find(execution.getJobInstance().getJobName());
        if (job.isEmpty()
                || !job.get()
                        .importsFile(execution.getJobParameters().parameters().stream()
                                .collect(java.util.stream.Collectors.toMap(JobParameter::name, JobParameter::value)))
                || execution.getStatus() != BatchStatus.COMPLETED) {
            return ExitCode.OK;
        }
        boolean ranNow = launch.how() != JobLaunches.How.ALREADY_COMPLETED;
        long rejected = ranNow
                ? rejected(session.bean(RejectedRows.class), execution, err)
                : session.bean(RejectedRows.class)
                        .count(execution.getJobInstance().getInstanceId());
        long lines = linesRead(
                session.bean(JobRepository.class), execution, job.get().mainStep());
        if (!ranNow) {
            // Nothing was read now: the counts are the earlier execution's, and said to be.
            out.println("0 imported, 0 rejected (this file was imported already: " + (lines - rejected) + " imported, "
                    + rejected + " rejected)");
        } else {
            out.println((lines - rejected) + " imported, " + rejected + " rejected");
        }
        if (RecipientSyncJobConfig.JOB.equals(job.get().name())) {
            created(session.bean(JobRepository.class), execution, job.get().mainStep(), out);
        }
        String org = execution.getJobParameters().getString("org");
        if (OrderSyncJobConfig.JOB.equals(job.get().name()) && org != null) {
            session.bean(OrganizationRepository.class)
                    .findBySlug(org)
                    .flatMap(o -> session.bean(OrderSyncCheckpoints.class).run(execution.getId(), o.id()))
                    .ifPresent(run ->
                            out.println((ranNow ? "this run: " : "its last run, execution " + execution.getId() + ": ")
                                    + counts(run)));
        }
        return ranNow && rejected > 0 ? ExitCode.BAD_INPUT : ExitCode.OK;
    }

    /**
     * For an order sync from providers: the records it rejected, then one line per organization it synced in this
     * execution, with its run's counts and checkpoint, or why it failed.
     */
    static void syncSummary(Session session, JobExecution execution, PrintWriter out, PrintWriter err) {
        if (!isProviderSync(execution)) {
            return;
        }
        OrganizationRepository organizations = session.bean(OrganizationRepository.class);
        OrderSyncCheckpoints checkpoints = session.bean(OrderSyncCheckpoints.class);
        List<StepExecution> partitions = syncPartitions(execution);
        String named = execution.getJobParameters().getString("org");
        String campaignKey = execution.getJobParameters().getString("campaign");
        if (partitions.isEmpty() && campaignKey != null) {
            err.println(campaignKey + ": not an active campaign filled from a segment (audience: {source: klaviyo}); "
                    + "nothing synced");
        } else if (partitions.isEmpty()
                && named != null
                && OrderSyncJobConfig.JOB.equals(execution.getJobInstance().getJobName())) {
            organizations
                    .findBySlug(named)
                    .flatMap(OrderSyncJobConfig::whyNotSynced)
                    .ifPresent(err::println);
        }
        session.bean(RejectedRows.class)
                .forEach(
                        execution.getJobInstance().getInstanceId(),
                        r -> err.println("rejected " + r.source() + " "
                                + (r.recordId() == null ? "record " + r.line() : r.recordId()) + ": " + r.reason()));
        boolean recipients =
                RecipientSyncJobConfig.JOB.equals(execution.getJobInstance().getJobName());
        CampaignRepository campaigns = session.bean(CampaignRepository.class);
        partitions.forEach(step -> {
            String org = step.getExecutionContext().getString("org", "?");
            String owner = org;
            String provider = step.getExecutionContext().getString("provider", "?");
            Optional<String> counts;
            if (recipients) {
                long campaignId = step.getExecutionContext().getLong("campaign", 0L);
                Optional<Campaign> campaign = campaigns.findById(campaignId);
                owner = org + "/" + campaign.map(Campaign::key).orElse("?");
                provider = campaign.map(c -> c.audience().source()).orElse("?");
                counts = session.bean(RecipientSyncCheckpoints.class)
                        .run(execution.getId(), campaignId)
                        .map(LaunchReport::counts);
            } else {
                counts = organizations
                        .findBySlug(org)
                        .flatMap(o -> checkpoints.run(execution.getId(), o.id()))
                        .map(LaunchReport::counts);
            }
            if (step.getStatus() != BatchStatus.COMPLETED) {
                Throwable cause = step.getFailureExceptions().isEmpty()
                        ? null
                        : step.getFailureExceptions().get(0);
                // a partition that ran on a worker: the repository keeps its failure as text
                String why = cause == null
                        ? FailureReason.summary(step.getExitStatus().getExitDescription())
                        : PaperRun.oneLine(cause);
                String prefix = owner + ": " + provider + ": ";
                err.println("  " + owner + " (" + provider + "): " + step.getStatus()
                        + (why.isEmpty()
                                ? ""
                                : ": " + (why.startsWith(prefix) ? why.substring(prefix.length()) : why)));
                return;
            }
            String label = "  " + owner + " (" + provider + "): ";
            counts.ifPresent(line -> out.println(label + line));
        });
    }

    private static String counts(RecipientSyncCheckpoints.Run run) {
        return run.read() + " read, " + run.created() + " new, " + run.skipped() + " skipped, " + run.suppressed()
                + " suppressed, " + run.heldOut() + " held out; checkpoint "
                + (run.checkpointBefore() == null ? "none" : run.checkpointBefore()) + " -> "
                + (run.checkpointAfter() == null ? "none" : run.checkpointAfter());
    }

    /** Whether the execution synced from providers (order-sync or recipient-sync without a file). */
    private static boolean isProviderSync(JobExecution execution) {
        String job = execution.getJobInstance().getJobName();
        return (OrderSyncJobConfig.JOB.equals(job) || RecipientSyncJobConfig.JOB.equals(job))
                && execution.getJobParameters().getString("file") == null;
    }

    /** A sync's partitions in this execution, one per organization, by name. */
    private static List<StepExecution> syncPartitions(JobExecution execution) {
        return execution.getStepExecutions().stream()
                .filter(step -> step.getStepName()
                        .startsWith(CATALOG.find(execution.getJobInstance().getJobName())
                                        .orElseThrow()
                                        .mainStep()
                                + ":"))
                .sorted(Comparator.comparing(StepExecution::getStepName))
                .toList();
    }

    private static String counts(OrderSyncCheckpoints.Run run) {
        return run.read() + " read, " + run.created() + " new, " + run.updated() + " updated, " + run.matched()
                + " matched, " + run.internal() + " internal, " + run.blacklisted() + " blacklisted, "
                + run.skipped() + " skipped; checkpoint "
                + (run.checkpointBefore() == null ? "none" : run.checkpointBefore()) + " -> "
                + (run.checkpointAfter() == null ? "none" : run.checkpointAfter());
    }

    /** What the rules did with an import's rows without a status, when it had any (over its partitions). */
    private static void created(JobRepository repository, JobExecution execution, String stepName, PrintWriter out) {
        long[] counts = new long[4];
        String[] keys = {
            RecipientSyncWriter.CREATED,
            RecipientSyncWriter.HELD_OUT,
            RecipientSyncWriter.SUPPRESSED,
            RecipientSyncWriter.SKIPPED
        };
        for (int i = 0; ; i++) {
            StepExecution partition =
                    repository.getLastStepExecution(execution.getJobInstance(), Partitions.stepName(stepName, i));
            if (partition == null) {
                break;
            }
            for (int k = 0; k < keys.length; k++) {
                counts[k] += partition.getExecutionContext().getInt(keys[k], 0);
            }
        }
        if (counts[0] + counts[3] > 0) {
            out.println("new people (no status): " + counts[0] + " created (" + counts[1] + " held out, " + counts[2]
                    + " suppressed), " + counts[3] + " already in their campaign");
        }
    }

    /**
     * Lines an import step wrote (accepted or rejected), over every execution of the job instance and, for a
     * partitioned step, over its partitions ({@code step:partition0}, ...: each counts its own lines).
     */
    static long linesRead(JobRepository repository, JobExecution execution, String stepName) {
        long lines = lines(repository.getLastStepExecution(execution.getJobInstance(), stepName));
        for (int i = 0; ; i++) {
            StepExecution partition =
                    repository.getLastStepExecution(execution.getJobInstance(), Partitions.stepName(stepName, i));
            if (partition == null) {
                return lines;
            }
            lines += lines(partition);
        }
    }

    private static long lines(StepExecution step) {
        return step == null ? 0 : step.getExecutionContext().getLong(ImportWriter.LINES, 0L);
    }

    /** Prints every rejected row of an import (file, line and reason) and returns their count. */
    static long rejected(RejectedRows rows, JobExecution execution, PrintWriter err) {
        long instance = execution.getJobInstance().getInstanceId();
        long[] count = {0};
        rows.forEach(instance, r -> {
            err.println("rejected " + r);
            count[0]++;
        });
        return count[0];
    }
}
