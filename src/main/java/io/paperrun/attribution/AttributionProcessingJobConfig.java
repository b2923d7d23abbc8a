package io.paperrun.attribution;

import io.paperrun.batch.Cadence;
import io.paperrun.batch.JobDefinition;
import io.paperrun.batch.JobLifecycleListener;
import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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

    public static final JobDefinition DEFINITION = JobDefinition.job(
                    JOB, "decide every unprocessed attribution (stage B)")
            .taking(JobDefinition.Parameter.optional("org", "SLUG"))
            .repeatable()
            .oneAtATimeIn(AttributionWriters.GROUP)
            .countedBy(DECIDE_STEP)
            .scheduled(new Cadence.After("order-sync"));

    @Bean
    public Job attributionProcessingJob(
            JobRepository jobRepository,
            Step attributionRequeueStep,
            Step attributionProcessingStep,
            JobLifecycleListener lifecycle) {
        return new JobBuilder(JOB, jobRepository)
                .start(attributionRequeueStep)
                .next(attributionProcessingStep)
                .listener(lifecycle)
                .build();
    }

    /**
     * First, the re-queueing an order sync recorded and did not get to apply (it stopped before its
     * requeue step and was not restarted): nothing it recorded is lost.
     */
    @Bean
    public Step attributionRequeueStep(DecisionSteps steps) {
        return steps.requeue("attribution-processing-requeue");
    }

    @Bean
    public Step attributionProcessingStep(
            DecisionSteps steps,
            JdbcPagingItemReader<Long> unprocessedAttributionReader,
            Partitioner unprocessedRanges) {
        return steps.decideInPartitions(DECIDE_STEP, unprocessedAttributionReader, unprocessedRanges);
    }

    /** The unprocessed attributions' ids (of the job's organization, if it has one), split in equal spans. */
    @Bean
    @JobScope
    public Partitioner unprocessedRanges(DecisionSteps steps, @Value("#{jobParameters['org']}") String org) {
        return steps.pendingRanges(org, false);
    }

    @Bean
    @StepScope
    public JdbcPagingItemReader<Long> unprocessedAttributionReader(
            DecisionSteps steps,
            @Value("#{jobParameters['org']}") String org,
            @Value("#{stepExecutionContext['from']}") Long from,
            @Value("#{stepExecutionContext['to']}") Long to)
            throws Exception {
        return steps.pendingReader("unprocessedAttributionReader", org, false, from, to, null);
    }
}
