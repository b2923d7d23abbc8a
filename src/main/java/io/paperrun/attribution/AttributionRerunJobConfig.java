package io.paperrun.attribution;

import io.paperrun.batch.BatchSettings;
import io.paperrun.batch.IdKeysetReader;
import io.paperrun.batch.JobDefinition;
import io.paperrun.batch.JobLifecycleListener;
import io.paperrun.organization.OrganizationRepository;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * attribution-rerun: re-attributes the orders placed in {@code [from, to)} (UTC
 * dates; optional {@code org}), stage A then stage B, touching only those orders
 * and the same recipients' later attributions in the same campaigns. Repeatable
 * and restartable with the same result. It decides nothing else: attributions
 * waiting for attribution-processing outside its selection are left to it.
 * <p>
 * Steps: select the range's orders once (one set-based statement into
 * {@code attribution_rerun_order}), match them again chunk by chunk, queue the
 * decided attributions the changes affect, decide the attributions this queued
 * (holdout ones included), and clear the selection.
 */
@Configuration
public class AttributionRerunJobConfig {

    public static final String JOB = "attribution-rerun";

    /** The step that matches the orders again; its counts are the job's. */
    public static final String MATCH_STEP = "attribution-rerun-match";

    public static final JobDefinition DEFINITION = JobDefinition.job(
                    JOB, "re-attribute the orders placed in [from, to) (UTC dates)")
            .taking(
                    JobDefinition.Parameter.required("from", "DATE"),
                    JobDefinition.Parameter.required("to", "DATE"),
                    JobDefinition.Parameter.optional("org", "SLUG"))
            .repeatable()
            .oneAtATimeIn(AttributionWriters.GROUP)
            .countedBy(MATCH_STEP);

    @Bean
    public Job attributionRerunJob(
            JobRepository jobRepository,
            Step attributionRerunSelectStep,
            Step attributionRerunMatchStep,
            Step attributionRerunRequeueStep,
            Step attributionRerunProcessStep,
            Step attributionRerunClearStep,
            JobLifecycleListener lifecycle) {
        return new JobBuilder(JOB, jobRepository)
                .start(attributionRerunSelectStep)
                .next(attributionRerunMatchStep)
                .next(attributionRerunRequeueStep)
                .next(attributionRerunProcessStep)
                .next(attributionRerunClearStep)
                .listener(lifecycle)
                .build();
    }

    @Bean
    public Step attributionRerunSelectStep(
            JobRepository jobRepository, PlatformTransactionManager transactionManager, JdbcClient jdbc) {
        return new StepBuilder("attribution-rerun-select", jobRepository)
                .tasklet(
                        (contribution, chunkContext) -> {
                            StepExecution step = contribution.getStepExecution();
                            var parameters = step.getJobExecution().getJobParameters();
                            String org = parameters.getString("org");
                            int selected = jdbc.sql("""
                            INSERT INTO attribution_rerun_order (job_instance_id, order_id)
                            SELECT :instance, o.id FROM customer_order o
                            WHERE o.ordered_at >= :from AND o.ordered_at < :to
                              AND (CAST(:org AS text) IS NULL
                                   OR o.organization_id = (SELECT g.id FROM organization g WHERE g.slug = :org))
                            ON CONFLICT DO NOTHING
                            """)
                                    .param(
                                            "instance",
                                            step.getJobExecution()
                                                    .getJobInstance()
                                                    .getInstanceId())
                                    .param("from", startOfDay(parameters.getString("from")))
                                    .param("to", startOfDay(parameters.getString("to")))
                                    .param("org", org == null || org.isBlank() ? null : org)
                                    .update();
                            step.setWriteCount(selected);
                            return RepeatStatus.FINISHED;
                        },
                        transactionManager)
                .build();
    }

    @Bean
    public Step attributionRerunMatchStep(
            JobRepository jobRepository,
            PlatformTransactionManager transactionManager,
            JdbcPagingItemReader<Long> rerunOrderReader,
            RerunMatchWriter rerunMatchWriter,
            BatchSettings settings) {
        return new StepBuilder(MATCH_STEP, jobRepository)
                .<Long, Long>chunk(settings.chunkSize())
                .transactionManager(transactionManager)
                .reader(rerunOrderReader)
                .writer(rerunMatchWriter)
                .build();
    }

    @Bean
    @StepScope
    public RerunMatchWriter rerunMatchWriter(
            JdbcClient jdbc,
            OrganizationRepository organizations,
            OrderMatching matching,
            AttributionStore attributions,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        return new RerunMatchWriter(
                jdbc,
                organizations,
                matching,
                attributions,
                stepExecution.getJobExecution().getJobInstance().getInstanceId());
    }

    /**
     * Queues again the decided attributions that this re-run's changes affect, and only those (the records of a
     * sync that did not finish are left to attribution-processing), adding them to the re-run's selection; then
     * refreshes the planner's statistics of the attributions, as attribution-processing's requeue step does.
     */
    @Bean
    public Step attributionRerunRequeueStep(
            JobRepository jobRepository,
            PlatformTransactionManager transactionManager,
            AttributionStore attributions,
            JdbcClient jdbc) {
        return new StepBuilder("attribution-rerun-requeue", jobRepository)
                .tasklet(
                        (contribution, chunkContext) -> {
                            StepExecution step = contribution.getStepExecution();
                            step.setWriteCount(attributions.requeueForRerun(
                                    step.getJobExecution().getJobInstance().getInstanceId()));
                            jdbc.sql("ANALYZE attribution").update();
                            return RepeatStatus.FINISHED;
                        },
                        transactionManager)
                .build();
    }

    @Bean
    public Step attributionRerunProcessStep(
            DecisionSteps steps, JdbcPagingItemReader<Long> rerunUnprocessedReader, Partitioner unprocessedRanges) {
        return steps.decideInPartitions("attribution-rerun-decide", rerunUnprocessedReader, unprocessedRanges);
    }

    @Bean
    public Step attributionRerunClearStep(
            JobRepository jobRepository, PlatformTransactionManager transactionManager, JdbcClient jdbc) {
        return new StepBuilder("attribution-rerun-clear", jobRepository)
                .tasklet(
                        (contribution, chunkContext) -> {
                            jdbc.sql("DELETE FROM attribution_rerun_order WHERE job_instance_id = ?")
                                    .param(contribution
                                            .getStepExecution()
                                            .getJobExecution()
                                            .getJobInstance()
                                            .getInstanceId())
                                    .update();
                            return RepeatStatus.FINISHED;
                        },
                        transactionManager)
                .build();
    }

    @Bean
    @StepScope
    public JdbcPagingItemReader<Long> rerunUnprocessedReader(
            DecisionSteps steps,
            @Value("#{jobParameters['org']}") String org,
            @Value("#{stepExecutionContext['from']}") Long from,
            @Value("#{stepExecutionContext['to']}") Long to,
            @Value("#{stepExecution}") StepExecution stepExecution)
            throws Exception {
        return steps.pendingReader(
                "rerunUnprocessedReader",
                org,
                false,
                from,
                to,
                stepExecution.getJobExecution().getJobInstance().getInstanceId());
    }

    /** The orders the select step chose for this job instance, by id. */
    @Bean
    @StepScope
    public JdbcPagingItemReader<Long> rerunOrderReader(
            DataSource dataSource, @Value("#{stepExecution}") StepExecution stepExecution, BatchSettings settings)
            throws Exception {
        return IdKeysetReader.of(
                "rerunOrderReader",
                dataSource,
                "order_id",
                "FROM attribution_rerun_order",
                "WHERE job_instance_id = :instance",
                Map.of(
                        "instance",
                        stepExecution.getJobExecution().getJobInstance().getInstanceId()),
                settings.chunkSize());
    }

    private static Timestamp startOfDay(String date) {
        return Timestamp.from(LocalDate.parse(date).atStartOfDay(ZoneOffset.UTC).toInstant());
    }
}
