package io.paperrun.order;

import io.paperrun.attribution.AttributionProcessor;
import io.paperrun.attribution.AttributionStore;
import io.paperrun.attribution.OrderMatching;
import io.paperrun.batch.ImportLine;
import io.paperrun.batch.JobLifecycleListener;
import io.paperrun.batch.RejectedRows;
import io.paperrun.organization.Organization;
import io.paperrun.organization.OrganizationRepository;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

import java.nio.file.Path;

/**
 * order-sync: reads an organization's orders from its order source, stores
 * them and matches them (stage A), chunk by chunk, recording the run's
 * checkpoint. Today the source is a CSV file ({@code import orders}):
 * parameters {@code org}, {@code file} and {@code sha256} make the identity.
 */
@Configuration
public class OrderSyncJobConfig {

    public static final String JOB = "order-sync";

    @Bean
    public Job orderSyncJob(JobRepository jobRepository, Step orderSyncStep, JobLifecycleListener lifecycle,
                            OrderSyncRunListener orderSyncRunListener) {
        return new JobBuilder(JOB, jobRepository).start(orderSyncStep)
                .listener(lifecycle).listener(orderSyncRunListener).build();
    }

    @Bean
    public Step orderSyncStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
                              ItemStreamReader<ImportLine<IncomingOrder>> orderSyncReader,
                              OrderSyncWriter orderSyncWriter, @Value("${paperrun.batch.chunk-size}") int chunkSize) {
        return new StepBuilder("order-sync-orders", jobRepository)
                .<ImportLine<IncomingOrder>, ImportLine<IncomingOrder>>chunk(chunkSize)
                .transactionManager(transactionManager)
                .reader(orderSyncReader)
                .writer(orderSyncWriter)
                .listener(orderSyncWriter)
                .build();
    }

    @Bean
    @StepScope
    public ItemStreamReader<ImportLine<IncomingOrder>> orderSyncReader(
            @Value("#{jobParameters['file']}") String file,
            @Value("#{jobExecutionContext['checkpoint.before']}") Long since) {
        return source(file).reader(since == null ? null : java.time.Instant.ofEpochMilli(since));
    }

    @Bean
    @StepScope
    public OrderSyncWriter orderSyncWriter(@Value("#{jobParameters['org']}") String org,
                                           @Value("#{jobParameters['file']}") String file,
                                           OrganizationRepository organizations, OrderRepository orders,
                                           OrderMatching matching, AttributionStore attributions,
                                           AttributionProcessor processor, OrderSyncCheckpoints checkpoints,
                                           RejectedRows rejectedRows) {
        return new OrderSyncWriter(organization(organizations, org), source(file), orders, matching, attributions,
                processor, checkpoints, rejectedRows);
    }

    static OrderSource source(String file) {
        if (file == null) {
            throw new IllegalStateException("order-sync needs a file=... parameter: the only order source of this "
                    + "version is a CSV file");
        }
        return new CsvOrderSource(Path.of(file));
    }

    static Organization organization(OrganizationRepository organizations, String org) {
        if (org == null) {
            throw new IllegalStateException("order-sync needs an org=... parameter");
        }
        return organizations.findBySlug(org)
                .orElseThrow(() -> new IllegalStateException("unknown organization '" + org + "'"));
    }

    /** Opens the run's record with the checkpoint it starts from; advances the checkpoint when it completes. */
    @org.springframework.stereotype.Component
    public static class OrderSyncRunListener implements JobExecutionListener {
        private final OrganizationRepository organizations;
        private final OrderSyncCheckpoints checkpoints;
        private final JobRepository jobRepository;

        public OrderSyncRunListener(OrganizationRepository organizations, OrderSyncCheckpoints checkpoints,
                                    JobRepository jobRepository) {
            this.organizations = organizations;
            this.checkpoints = checkpoints;
            this.jobRepository = jobRepository;
        }

        @Override
        public void beforeJob(JobExecution execution) {
            Organization organization = organization(organizations, execution.getJobParameters().getString("org"));
            String provider = source(execution.getJobParameters().getString("file")).provider();
            // A restart carries on from where its instance's first execution started and what the failed ones
            // committed, so that it ends at the checkpoint an uninterrupted run would have reached.
            java.util.List<Long> earlier = jobRepository.getJobExecutions(execution.getJobInstance()).stream()
                    .map(JobExecution::getId).filter(id -> id.longValue() != execution.getId()).toList();
            java.util.Optional<OrderSyncCheckpoints.Resumed> resumed = checkpoints.resumed(earlier, organization.id());
            java.time.Instant before = resumed.isPresent() ? resumed.get().checkpointBefore()
                    : checkpoints.startingPoint(organization.id(), provider);
            java.time.Instant after = resumed.isPresent() ? resumed.get().checkpointAfter() : before;
            if (before != null) {
                execution.getExecutionContext().putLong("checkpoint.before", before.toEpochMilli());
            }
            checkpoints.startRun(execution.getId(), organization.id(), provider, before, after);
        }

        @Override
        public void afterJob(JobExecution execution) {
            if (execution.getStatus() == BatchStatus.COMPLETED) {
                Organization organization = organization(organizations,
                        execution.getJobParameters().getString("org"));
                checkpoints.completeRun(execution.getId(), organization.id());
            }
        }
    }
}
