package io.paperrun.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.step.StepExecution;

/** The job and step in the logging MDC while they run, and what the thread had before put back after. */
class LogContextTest {

    private final LogContext context = LogContext.INSTANCE;

    @AfterEach
    void clear() {
        MDC.clear();
    }

    @Test
    void aStepIsNamedWithItsJobAndThePartsOfTheJobsKeyThatSayWhoseWorkItIs() {
        JobExecution job = job(
                7,
                new JobParametersBuilder()
                        .addString("org", "acme")
                        .addString("file", "/data/orders.csv")
                        .toJobParameters());
        StepExecution step = new StepExecution(12L, "order-sync-orders:partition1", job);
        MDC.put("command", "run");

        context.beforeJob(job);
        assertThat(MDC.getCopyOfContextMap())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("command", "run", "job", "order-sync", "job_execution_id", "7", "org", "acme"));
        context.beforeStep(step);
        assertThat(MDC.getCopyOfContextMap())
                .containsEntry("step", "order-sync-orders:partition1")
                .containsEntry("step_execution_id", "12")
                .containsEntry("job_execution_id", "7");
        context.afterStep(step);
        assertThat(MDC.getCopyOfContextMap()).doesNotContainKeys("step", "step_execution_id");
        context.afterJob(job);

        assertThat(MDC.getCopyOfContextMap()).isEqualTo(Map.of("command", "run"));
    }

    @Test
    void aStepOnAThreadOfItsOwnNamesItsJobToo() throws Exception {
        JobExecution job = job(3, new JobParameters());
        StepExecution step = new StepExecution(4L, "order-sync-orders:partition0", job);
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Map<String, String> seen = thread.submit(() -> {
                        context.beforeStep(step);
                        Map<String, String> during = MDC.getCopyOfContextMap();
                        context.afterStep(step);
                        assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
                        return during;
                    })
                    .get();
            assertThat(seen)
                    .isEqualTo(Map.of(
                            "job", "order-sync",
                            "job_execution_id", "3",
                            "step", "order-sync-orders:partition0",
                            "step_execution_id", "4"));
        } finally {
            thread.shutdownNow();
        }
    }

    @Test
    void workHandedToAnotherThreadCarriesTheContext() throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            MDC.put("job", "mailing");
            String seen =
                    thread.submit(LogContext.carried(() -> MDC.get("job"))).get();
            assertThat(seen).isEqualTo("mailing");
            assertThat(thread.submit(() -> MDC.get("job")).get()).isNull();
        } finally {
            thread.shutdownNow();
        }
    }

    private static JobExecution job(long id, JobParameters parameters) {
        return new JobExecution(id, new JobInstance(1L, "order-sync"), parameters);
    }
}
