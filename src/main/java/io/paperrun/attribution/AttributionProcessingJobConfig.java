package io.paperrun.attribution;

import io.paperrun.batch.IdKeysetReader;
import io.paperrun.batch.JobLifecycleListener;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
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

    @Bean
    public Job attributionProcessingJob(JobRepository jobRepository, Step attributionProcessingStep,
                                        JobLifecycleListener lifecycle) {
        return new JobBuilder(JOB, jobRepository).start(attributionProcessingStep).listener(lifecycle).build();
    }

    @Bean
    public Step attributionProcessingStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
                                          JdbcPagingItemReader<Long> unprocessedAttributionReader,
                                          AttributionProcessor processor,
                                          @Value("${paperrun.batch.chunk-size}") int chunkSize) {
        return processingStep("attribution-processing-decide", jobRepository, transactionManager,
                unprocessedAttributionReader, processor, chunkSize);
    }

    static Step processingStep(String name, JobRepository jobRepository, PlatformTransactionManager transactionManager,
                               JdbcPagingItemReader<Long> reader, AttributionProcessor processor, int chunkSize) {
        return new StepBuilder(name, jobRepository)
                .<Long, Long>chunk(chunkSize)
                .transactionManager(transactionManager)
                .reader(reader)
                .writer(chunk -> processor.process(new java.util.ArrayList<>(chunk.getItems())))
                .build();
    }

    @Bean
    @StepScope
    public JdbcPagingItemReader<Long> unprocessedAttributionReader(
            DataSource dataSource, @Value("#{jobParameters['org']}") String org,
            @Value("${paperrun.batch.chunk-size}") int chunkSize) throws Exception {
        return unprocessedReader("unprocessedAttributionReader", dataSource, org, chunkSize);
    }

    /** Unprocessed attributions, of one organization (by slug) or all, by id. */
    static JdbcPagingItemReader<Long> unprocessedReader(String name, DataSource dataSource, String org,
                                                        int chunkSize) throws Exception {
        Map<String, Object> parameters = new HashMap<>();
        String where = "WHERE NOT processed";
        if (org != null && !org.isBlank()) {
            where += " AND organization_id = (SELECT o.id FROM organization o WHERE o.slug = :org)";
            parameters.put("org", org);
        }
        return IdKeysetReader.of(name, dataSource, "id", "FROM attribution", where, parameters, chunkSize);
    }
}
