package io.paperrun.cli;

import static io.paperrun.PaperRunJobs.CATALOG;

import io.paperrun.PaperRun;
import io.paperrun.batch.Cadence;
import io.paperrun.batch.JobDefinition;
import io.paperrun.batch.JobLaunches;
import io.paperrun.batch.JobRunGuard;
import io.paperrun.batch.ScheduleSettings;
import io.paperrun.batch.Scheduler;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.core.env.Environment;
import picocli.CommandLine.Command;

@Command(
        name = "scheduler",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {
            "Launch each job on its schedule until stopped (SIGTERM or Ctrl-C: running jobs stop at a chunk "
                    + "boundary, restartable, and it exits). A failed run is said and tried again at its next tick; "
                    + "a job still running when it is due again is not started twice; across machines, a job another "
                    + "process runs is not started (one run at a time).",
            "Defaults: recipient-sync every 15 minutes, address-enrichment four times a day (00, 06, 12, 18 UTC), "
                    + "proofing and mailing every 7-15 seconds (jittered), order-sync every 5 minutes and "
                    + "attribution-processing after each, delivery-tracking hourly, experiment-report daily "
                    + "(05:00 UTC).",
            "Set one with PAPERRUN_SCHEDULE_JOB (e.g. PAPERRUN_SCHEDULE_ORDER_SYNC=PT10M) or "
                    + "-Dpaperrun.schedule.JOB: a cron expression (UTC; five fields, or six with seconds first), "
                    + "an ISO-8601 duration, or off."
        })
public class SchedulerCommand implements java.util.concurrent.Callable<Integer> {

    private final PaperRun paperRun;

    public SchedulerCommand(PaperRun paperRun) {
        this.paperRun = paperRun;
    }

    @Override
    public Integer call() throws Exception {
        try (Session session = paperRun.open()) {
            Environment settings = session.bean(Environment.class);
            Map<String, Cadence> cadences;
            try {
                cadences = ScheduleSettings.resolve(CATALOG, settings::getProperty);
            } catch (ScheduleSettings.BadScheduleException e) {
                paperRun.err().println("paperrun scheduler: " + e.getMessage());
                return ExitCode.BAD_INPUT;
            }
            Clock clock = Clock.systemUTC();
            PrintWriter out = paperRun.out();
            describe(cadences, out);
            JobLaunches launches = session.bean(JobLaunches.class);
            ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "scheduler-job");
                thread.setDaemon(true);
                return thread;
            });
            Scheduler scheduler = new Scheduler(
                    cadences,
                    job -> launch(launches, CATALOG.find(job).orElseThrow()),
                    threads,
                    clock,
                    RandomGenerator.getDefault(),
                    line -> {
                        out.println(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS) + " " + line);
                        out.flush();
                    });
            CountDownLatch ended = new CountDownLatch(1);
            Thread stopper = new Thread(
                    () -> {
                        scheduler.stop();
                        try {
                            ended.await(5, TimeUnit.MINUTES);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "scheduler-stop");
            Runtime.getRuntime().addShutdownHook(stopper);
            try {
                scheduler.run();
                out.println(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS) + " scheduler: stopped");
                out.flush();
            } finally {
                threads.shutdown();
                ended.countDown();
            }
            return ExitCode.OK;
        }
    }

    /** The schedule, one line per job, as the scheduler starts. */
    private static void describe(Map<String, Cadence> cadences, PrintWriter out) {
        List<String> off = new ArrayList<>();
        out.println("scheduler: launching each job on its schedule (UTC); stop with SIGTERM or Ctrl-C");
        cadences.forEach((job, cadence) -> {
            if (cadence instanceof Cadence.Off) {
                off.add(job);
            } else {
                out.println(String.format(Locale.ROOT, "  %-24s %s", job, cadence.describe()));
            }
        });
        if (!off.isEmpty()) {
            out.println("  off: " + String.join(", ", off));
        }
        out.flush();
    }

    /** Runs a job to its end; how it ended in one line, with its main step's counts. */
    private static String launch(JobLaunches launches, JobDefinition definition) throws Exception {
        long started = System.nanoTime();
        JobLaunches.Launch launch;
        try {
            launch = launches.launch(definition, new JobParameters());
        } catch (JobRunGuard.JobAlreadyRunningException e) {
            return "not started: " + e.getMessage();
        }
        StringWriter said = new StringWriter();
        PrintWriter writer = new PrintWriter(said);
        LaunchReport.outcome(launch, writer, writer);
        writer.flush();
        String outcome = String.join(
                "; ",
                said.toString()
                        .lines()
                        .map(l -> l.replaceFirst("^" + definition.name() + ": ", ""))
                        .toList());
        JobExecution execution = launch.execution();
        String counts = execution.getStepExecutions().stream()
                .filter(step -> step.getStepName().equals(definition.mainStep()))
                .findFirst()
                .map(SchedulerCommand::counts)
                .orElse("");
        return String.format(Locale.ROOT, "%s in %.1f s%s", outcome, (System.nanoTime() - started) / 1e9, counts);
    }

    private static String counts(StepExecution step) {
        return " (" + step.getReadCount() + " read, " + step.getWriteCount() + " written, " + step.getSkipCount()
                + " skipped)";
    }
}
