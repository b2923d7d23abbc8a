package io.paperrun.attribution;

import io.paperrun.batch.IdKeysetReader;
import io.paperrun.batch.JobLifecycleListener;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
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
                                          @Value("${paperrun.batch.chunk-size}") int chunkSize,
                                          @Value("${paperrun.batch.partitions}") int partitions) {
        return processingStep("attribution-processing-decide", jobRepository, transactionManager,
                unprocessedAttributionReader, processor, chunkSize, partitions);
    }

    /**
     * Stage B in {@code partitions} partitions by recipient, run side by side, each a chunk step of its own
     * (restartable from its own step metadata: a restart runs again only the partitions that did not
     * complete). A decision reads the recipient's other attributions but no other decision, so the
     * partitions never wait on each other; by recipient, each reads a history no other one reads.
     */
    static Step processingStep(String name, JobRepository jobRepository, PlatformTransactionManager transactionManager,
                               JdbcPagingItemReader<Long> reader, AttributionProcessor processor, int chunkSize,
                               int partitions) {
        Step worker = new StepBuilder(name, jobRepository) // its executions: name:partitionN
                .<Long, Long>chunk(chunkSize)
                .transactionManager(transactionManager)
                .reader(reader)
                .writer(chunk -> processor.process(new java.util.ArrayList<>(chunk.getItems())))
                .build();
        SimpleAsyncTaskExecutor threads = new SimpleAsyncTaskExecutor(name + "-");
        threads.setConcurrencyLimit(partitions);
        return new StepBuilder(name, jobRepository)
                .partitioner(name, byRecipient())
                .step(worker)
                .gridSize(partitions)
                .taskExecutor(threads)
                .build();
    }

    /** Partition {@code i} of {@code n}: the attributions whose recipient (or, without one, own id) is i mod n. */
    static Partitioner byRecipient() {
        return gridSize -> {
            Map<String, ExecutionContext> out = new java.util.LinkedHashMap<>();
            for (int i = 0; i < gridSize; i++) {
                ExecutionContext context = new ExecutionContext();
                context.putInt(PARTITION, i);
                context.putInt(PARTITIONS, gridSize);
                out.put("partition" + i, context);
            }
            return out;
        };
    }

    static final String PARTITION = "partition";
    static final String PARTITIONS = "partitions";

    @Bean
    @StepScope
    public JdbcPagingItemReader<Long> unprocessedAttributionReader(
            DataSource dataSource, @Value("#{jobParameters['org']}") String org,
            @Value("#{stepExecutionContext['partition']}") Integer partition,
            @Value("#{stepExecutionContext['partitions']}") Integer partitions,
            @Value("${paperrun.batch.chunk-size}") int chunkSize) throws Exception {
        return unprocessedReader("unprocessedAttributionReader", dataSource, org, partition, partitions, chunkSize);
    }

    /** Unprocessed attributions, of one organization (by slug) or all, of one partition (or all), by id. */
    static JdbcPagingItemReader<Long> unprocessedReader(String name, DataSource dataSource, String org,
                                                        Integer partition, Integer partitions, int chunkSize)
            throws Exception {
        Map<String, Object> parameters = new HashMap<>();
        String where = "WHERE NOT processed";
        if (partition != null && partitions != null && partitions > 1) {
            where += " AND mod(COALESCE(recipient_id, id), :partitions) = :partition";
            parameters.put("partitions", partitions);
            parameters.put("partition", partition);
        }
        if (org != null && !org.isBlank()) {
            where += " AND organization_id = (SELECT o.id FROM organization o WHERE o.slug = :org)";
            parameters.put("org", org);
        }
        return IdKeysetReader.of(name, dataSource, "id", "FROM attribution", where, parameters, chunkSize);
    }
}
