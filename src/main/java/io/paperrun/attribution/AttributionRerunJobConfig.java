package io.paperrun.attribution;

import io.paperrun.batch.IdKeysetReader;
import io.paperrun.batch.JobLifecycleListener;
import io.paperrun.organization.OrganizationRepository;
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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

import javax.sql.DataSource;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * attribution-rerun: re-attributes the orders placed in {@code [from, to)} (UTC
 * dates; optional {@code org}), stage A then stage B, touching only those orders
 * and the same recipients' later attributions in the same campaigns. Repeatable
 * and restartable with the same result.
 */
@Configuration
public class AttributionRerunJobConfig {

    public static final String JOB = "attribution-rerun";

    @Bean
    public Job attributionRerunJob(JobRepository jobRepository, Step attributionRerunMatchStep,
                                   Step attributionRerunProcessStep, JobLifecycleListener lifecycle) {
        return new JobBuilder(JOB, jobRepository).start(attributionRerunMatchStep).next(attributionRerunProcessStep)
                .listener(lifecycle).build();
    }

    @Bean
    public Step attributionRerunMatchStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
                                          JdbcPagingItemReader<Long> rerunOrderReader, JdbcClient jdbc,
                                          OrganizationRepository organizations, OrderMatching matching,
                                          AttributionStore attributions, AttributionProcessor processor,
                                          @Value("${paperrun.batch.chunk-size}") int chunkSize) {
        return new StepBuilder("attribution-rerun-match", jobRepository)
                .<Long, Long>chunk(chunkSize)
                .transactionManager(transactionManager)
                .reader(rerunOrderReader)
                .writer(new RerunMatchWriter(jdbc, organizations, matching, attributions, processor))
                .build();
    }

    @Bean
    public Step attributionRerunProcessStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
                                            JdbcPagingItemReader<Long> rerunUnprocessedReader,
                                            AttributionProcessor processor,
                                            @Value("${paperrun.batch.chunk-size}") int chunkSize) {
        return AttributionProcessingJobConfig.processingStep("attribution-rerun-decide", jobRepository,
                transactionManager, rerunUnprocessedReader, processor, chunkSize);
    }

    @Bean
    @StepScope
    public JdbcPagingItemReader<Long> rerunUnprocessedReader(DataSource dataSource,
                                                             @Value("#{jobParameters['org']}") String org,
                                                             @Value("${paperrun.batch.chunk-size}") int chunkSize) throws Exception {
        return AttributionProcessingJobConfig.unprocessedReader("rerunUnprocessedReader", dataSource, org, chunkSize);
    }

    @Bean
    @StepScope
    public JdbcPagingItemReader<Long> rerunOrderReader(DataSource dataSource,
                                                       @Value("#{jobParameters['from']}") String from,
                                                       @Value("#{jobParameters['to']}") String to,
                                                       @Value("#{jobParameters['org']}") String org,
                                                       @Value("${paperrun.batch.chunk-size}") int chunkSize)
            throws Exception {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("from", java.sql.Timestamp.from(LocalDate.parse(from).atStartOfDay(ZoneOffset.UTC).toInstant()));
        parameters.put("to", java.sql.Timestamp.from(LocalDate.parse(to).atStartOfDay(ZoneOffset.UTC).toInstant()));
        String where = "WHERE o.ordered_at >= :from AND o.ordered_at < :to";
        if (org != null && !org.isBlank()) {
            where += " AND o.organization_id = (SELECT g.id FROM organization g WHERE g.slug = :org)";
            parameters.put("org", org);
        }
        return IdKeysetReader.of("rerunOrderReader", dataSource, "o", "FROM customer_order o", where, parameters,
                chunkSize);
    }
}
