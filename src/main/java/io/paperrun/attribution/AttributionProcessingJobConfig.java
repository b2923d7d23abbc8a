package io.paperrun.attribution;

import io.paperrun.batch.BatchSettings;
import io.paperrun.batch.IdKeysetReader;
import io.paperrun.batch.JobDefinition;
import io.paperrun.batch.JobLifecycleListener;
import io.paperrun.batch.Partitions;
import io.paperrun.organization.OrganizationRepository;
import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ItemReader;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

import javax.sql.DataSource;
import java.util.HashMap;
import java.util.Map;

/**
 * attribution-processing: stage B over every unprocessed attribution (optional
 * parameter {@code org}), in id order with keyset paging, so that a restart
 * resumes after the last committed chunk.
 */
@Configuration
public class AttributionProcessingJobConfig {

    public static final String JOB = "attribution-processing";

    /** The step that decides; its counts are the job's. */
    public static final String DECIDE_STEP = "attribution-processing-decide";

    public static final JobDefinition DEFINITION = JobDefinition.job(JOB,
                    "decide every unprocessed attribution (stage B)")
            .taking(JobDefinition.Parameter.optional("org", "SLUG"))
            .repeatable().oneAtATimeIn(AttributionWriters.GROUP).countedBy(DECIDE_STEP);

    @Bean
    public Job attributionProcessingJob(JobRepository jobRepository, Step attributionRequeueStep,
                                        Step attributionProcessingStep, JobLifecycleListener lifecycle) {
        return new JobBuilder(JOB, jobRepository).start(attributionRequeueStep).next(attributionProcessingStep)
                .listener(lifecycle).build();
    }

    /**
     * First, the re-queueing an order sync recorded and did not get to apply (it stopped before its
     * requeue step and was not restarted): nothing it recorded is lost.
     */
    @Bean
    public Step attributionRequeueStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
                                       AttributionStore attributions, OrganizationRepository organizations,
                                       JdbcClient jdbc) {
        return requeueStep("attribution-processing-requeue", jobRepository, transactionManager, attributions,
                organizations, jdbc);
    }

    /**
     * Queues again for stage B the decided attributions that the recorded changes affect (of the job's
     * {@code org}, or of all organizations without one), once the steps that recorded them have committed;
     * then refreshes the planner's statistics of the attributions, which a large sync has just changed
     * (with stale ones it read a chunk's histories by scanning every attribution, ten times slower).
     */
    public static Step requeueStep(String name, JobRepository jobRepository,
                                   PlatformTransactionManager transactionManager, AttributionStore attributions,
                                   OrganizationRepository organizations, JdbcClient jdbc) {
        return new StepBuilder(name, jobRepository)
                .tasklet((contribution, chunkContext) -> {
                    String org = contribution.getStepExecution().getJobExecution().getJobParameters().getString("org");
                    Long organizationId = org == null || org.isBlank() ? null
                            : organizations.findBySlug(org).orElseThrow(
                                    () -> new IllegalStateException("unknown organization '" + org + "'")).id();
                    contribution.getStepExecution().setWriteCount(attributions.requeuePending(organizationId));
                    jdbc.sql("ANALYZE attribution").update();
                    return RepeatStatus.FINISHED;
                }, transactionManager)
                .build();
    }

    @Bean
    public Step attributionProcessingStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
                                          JdbcPagingItemReader<Long> unprocessedAttributionReader,
                                          AttributionProcessor processor, Partitioner unprocessedRanges,
                                          BatchSettings settings) {
        return processingStep(DECIDE_STEP, jobRepository, transactionManager,
                unprocessedAttributionReader, processor, unprocessedRanges, settings.chunkSize(), settings.partitions());
    }

    /**
     * Stage B in {@code partitions} partitions by ranges of attribution ids, run side by side
     * ({@link Partitions}). A decision reads the recipient's other attributions but no other decision, so
     * the partitions never wait on each other.
     */
    public static Step processingStep(String name, JobRepository jobRepository, PlatformTransactionManager transactionManager,
                               JdbcPagingItemReader<Long> reader, AttributionProcessor processor,
                               Partitioner ranges, int chunkSize, int partitions) {
        Step worker = decideStep(name, jobRepository, transactionManager, reader, processor, chunkSize);
        return Partitions.of(name, jobRepository, worker, ranges, partitions); // partitions: name:partitionN
    }

    /** Stage B, chunk by chunk, for the attribution ids {@code reader} gives. */
    public static Step decideStep(String name, JobRepository jobRepository,
                                  PlatformTransactionManager transactionManager, ItemReader<Long> reader,
                                  AttributionProcessor processor, int chunkSize) {
        return new StepBuilder(name, jobRepository)
                .<Long, Long>chunk(chunkSize)
                .transactionManager(transactionManager)
                .reader(reader)
                .writer(chunk -> processor.process(new java.util.ArrayList<>(chunk.getItems())))
                .build();
    }

    /** The unprocessed attributions' ids (of the job's organization, if it has one), split in equal spans. */
    @Bean
    @JobScope
    public Partitioner unprocessedRanges(JdbcClient jdbc, @Value("#{jobParameters['org']}") String org) {
        return pendingRanges(jdbc, org, false);
    }

    /**
     * The ids of the unprocessed attributions (of one organization, by slug, or all; only the holdout ones
     * or all), split in equal spans when the step starts.
     */
    public static Partitioner pendingRanges(JdbcClient jdbc, String org, boolean holdoutOnly) {
        return Partitions.byIdRange(() -> jdbc.sql("""
                        SELECT min(attribution_id), max(attribution_id) FROM attribution_pending
                        WHERE (NOT :holdoutOnly OR holdout)
                          AND (CAST(:org AS text) IS NULL
                               OR organization_id = (SELECT o.id FROM organization o WHERE o.slug = :org))
                        HAVING count(*) > 0
                        """)
                .param("org", org == null || org.isBlank() ? null : org)
                .param("holdoutOnly", holdoutOnly)
                .query((rs, i) -> new long[] {rs.getLong(1), rs.getLong(2)})
                .optional().orElse(null));
    }

    @Bean
    @StepScope
    public JdbcPagingItemReader<Long> unprocessedAttributionReader(
            DataSource dataSource, @Value("#{jobParameters['org']}") String org,
            @Value("#{stepExecutionContext['from']}") Long from, @Value("#{stepExecutionContext['to']}") Long to,
            BatchSettings settings) throws Exception {
        return unprocessedReader("unprocessedAttributionReader", dataSource, org, false, from, to, null,
                settings.chunkSize());
    }

    /**
     * Unprocessed attributions (stage B's queue, {@code attribution_pending}), of one organization (by slug)
     * or all, only the holdout ones or all, with ids in [from, to) (or all), of the orders attribution-rerun's
     * instance {@code rerunInstance} selected (or all), by id.
     */
    public static JdbcPagingItemReader<Long> unprocessedReader(String name, DataSource dataSource, String org,
                                                               boolean holdoutOnly, Long from, Long to,
                                                               Long rerunInstance, int chunkSize) throws Exception {
        Map<String, Object> parameters = new HashMap<>();
        java.util.List<String> conditions = new java.util.ArrayList<>();
        if (holdoutOnly) {
            conditions.add("holdout");
        }
        if (from != null && to != null) {
            conditions.add("attribution_id >= :from AND attribution_id < :to");
            parameters.put("from", from);
            parameters.put("to", to);
        }
        if (org != null && !org.isBlank()) {
            conditions.add("organization_id = (SELECT o.id FROM organization o WHERE o.slug = :org)");
            parameters.put("org", org);
        }
        if (rerunInstance != null) {
            conditions.add("""
                    EXISTS (SELECT 1 FROM attribution a
                            JOIN attribution_rerun_order s ON s.order_id = a.order_id AND s.job_instance_id = :rerun
                            WHERE a.id = attribution_pending.attribution_id)""");
            parameters.put("rerun", rerunInstance);
        }
        String where = conditions.isEmpty() ? null : "WHERE " + String.join(" AND ", conditions);
        return IdKeysetReader.of(name, dataSource, "attribution_id", "FROM attribution_pending", where, parameters,
                chunkSize);
    }
}
