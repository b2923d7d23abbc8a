package io.paperrun.order;

import io.paperrun.attribution.AttributionStore;
import io.paperrun.attribution.AttributionWriters;
import io.paperrun.attribution.DecisionSteps;
import io.paperrun.attribution.OrderMatching;
import io.paperrun.batch.BatchSettings;
import io.paperrun.batch.ByProvider;
import io.paperrun.batch.ImportLine;
import io.paperrun.batch.JobDefinition;
import io.paperrun.batch.JobLifecycleListener;
import io.paperrun.batch.Partitions;
import io.paperrun.batch.RejectedRows;
import io.paperrun.batch.SourceReader;
import io.paperrun.organization.Organization;
import io.paperrun.organization.OrganizationRepository;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * order-sync: reads an organization's orders from its order source, stores
 * them and matches them (stage A), chunk by chunk in partitions side by side,
 * recording the run's checkpoint; then queues again for stage B the
 * attributions the changes affect, and decides the holdout ones. Today the
 * source is a CSV file ({@code import orders}): parameters {@code org},
 * {@code file} and {@code sha256} make the identity.
 */
@Configuration
public class OrderSyncJobConfig {

    public static final String JOB = "order-sync";

    /** The step that reads the orders; its partitions count the file's lines, and its counts are the job's. */
    public static final String ORDERS_STEP = "order-sync-orders";

    public static final JobDefinition DEFINITION = JobDefinition.job(JOB, "as 'paperrun import orders'")
            .taking(JobDefinition.Parameter.required("org", "SLUG"), JobDefinition.Parameter.file("file", "orders"))
            .oneAtATimeIn(AttributionWriters.GROUP)
            .countedBy(ORDERS_STEP);

    @Bean
    public Job orderSyncJob(
            JobRepository jobRepository,
            Step orderSyncStep,
            Step orderSyncRequeueStep,
            Step orderSyncHoldoutsStep,
            JobLifecycleListener lifecycle,
            OrderSyncRunListener orderSyncRunListener) {
        return new JobBuilder(JOB, jobRepository)
                .start(orderSyncStep)
                .next(orderSyncRequeueStep)
                .next(orderSyncHoldoutsStep)
                .listener(lifecycle)
                .listener(orderSyncRunListener)
                .build();
    }

    /**
     * The orders, in {@code paperrun.batch.partitions} partitions by order id run side by side
     * ({@link Partitions}): each reads its orders from the source, and stores and matches them chunk by
     * chunk. Partitions write disjoint orders and attributions, and only append the re-queueing their
     * changes call for: the one row they share is the run's counts ({@code order_sync_run}), updated last
     * in each chunk's transaction, so a partition waits at most for the other's commit.
     */
    @Bean
    public Step orderSyncStep(
            JobRepository jobRepository,
            PlatformTransactionManager transactionManager,
            ItemStreamReader<ImportLine<IncomingOrder>> orderSyncReader,
            OrderSyncWriter orderSyncWriter,
            BatchSettings settings) {
        Step worker = new StepBuilder(ORDERS_STEP, jobRepository) // its executions: order-sync-orders:partitionN
                .<ImportLine<IncomingOrder>, ImportLine<IncomingOrder>>chunk(settings.chunkSize())
                .transactionManager(transactionManager)
                .reader(orderSyncReader)
                .writer(orderSyncWriter)
                .listener(orderSyncWriter)
                .build();
        return Partitions.of(ORDERS_STEP, jobRepository, worker, Partitions.byHash(), settings.partitions());
    }

    /** Once every partition has committed: the attributions their changes affect are queued for stage B again. */
    @Bean
    public Step orderSyncRequeueStep(DecisionSteps steps) {
        return steps.requeue("order-sync-requeue");
    }

    /**
     * Then stage B for the organization's holdout attributions, which the rules decide at once, in partitions
     * by ranges of attribution ids like {@code attribution-processing}'s.
     */
    @Bean
    public Step orderSyncHoldoutsStep(
            DecisionSteps steps,
            JdbcPagingItemReader<Long> unprocessedHoldoutReader,
            Partitioner unprocessedHoldoutRanges) {
        return steps.decideInPartitions("order-sync-holdouts", unprocessedHoldoutReader, unprocessedHoldoutRanges);
    }

    /** The organization's unprocessed holdout attributions' ids, split in equal spans. */
    @Bean
    @JobScope
    public Partitioner unprocessedHoldoutRanges(DecisionSteps steps, @Value("#{jobParameters['org']}") String org) {
        return steps.pendingRanges(org, true);
    }

    @Bean
    @StepScope
    public JdbcPagingItemReader<Long> unprocessedHoldoutReader(
            DecisionSteps steps,
            @Value("#{jobParameters['org']}") String org,
            @Value("#{stepExecutionContext['from']}") Long from,
            @Value("#{stepExecutionContext['to']}") Long to)
            throws Exception {
        return steps.pendingReader("unprocessedHoldoutReader", org, true, from, to, null);
    }

    @Bean
    @StepScope
    public ItemStreamReader<ImportLine<IncomingOrder>> orderSyncReader(
            @Value("#{jobParameters}") Map<String, Object> parameters,
            @Value("#{jobExecutionContext['checkpoint.before']}") Long since,
            @Value("#{stepExecutionContext['partition']}") Integer partition,
            @Value("#{stepExecutionContext['partitions']}") Integer partitions,
            @Value("#{stepExecution.jobExecutionId}") Long jobExecutionId,
            List<OrderSourceFactory> sources) {
        OrderSource source = source(sources, parameters, Partitions.Slice.of(partition, partitions), jobExecutionId);
        Instant checkpoint = since == null ? null : Instant.ofEpochMilli(since);
        return new SourceReader<>("orderCsvReader", cursor -> source.fetch(checkpoint, cursor), source);
    }

    @Bean
    @StepScope
    public OrderSyncWriter orderSyncWriter(
            @Value("#{jobParameters}") Map<String, Object> parameters,
            @Value("#{stepExecution.jobExecutionId}") Long jobExecutionId,
            List<OrderSourceFactory> sources,
            OrganizationRepository organizations,
            OrderRepository orders,
            OrderMatching matching,
            AttributionStore attributions,
            OrderSyncCheckpoints checkpoints,
            RejectedRows rejectedRows)
            throws Exception {
        String location;
        try (OrderSource source = source(sources, parameters, Partitions.Slice.ALL, jobExecutionId)) {
            location = source.location();
        }
        return new OrderSyncWriter(
                organization(organizations, (String) parameters.get("org")),
                provider(),
                location,
                orders,
                matching,
                attributions,
                checkpoints,
                rejectedRows);
    }

    /**
     * The provider of the organization's orders: its {@code order_source}, which defaults to csv, this version's
     * only one.
     */
    static String provider() {
        return OrderSourceFactory.DEFAULT_PROVIDER;
    }

    /** The organization's order source, opened for one slice of the job execution's reading. */
    private static OrderSource source(
            List<OrderSourceFactory> sources,
            Map<String, Object> parameters,
            Partitions.Slice slice,
            Long jobExecutionId) {
        Map<String, String> values = new HashMap<>();
        parameters.forEach((name, value) -> values.put(name, String.valueOf(value)));
        OrderReading reading = new OrderReading(
                values.get("org"),
                values,
                slice,
                String.valueOf(jobExecutionId),
                io.paperrun.organization.IntegrationSettings.none(provider()));
        return new ByProvider<>("order source", sources, OrderSourceFactory::provider)
                .get(provider())
                .open(reading);
    }

    static Organization organization(OrganizationRepository organizations, String org) {
        if (org == null) {
            throw new IllegalStateException("order-sync needs an org=... parameter");
        }
        return organizations
                .findBySlug(org)
                .orElseThrow(() -> new IllegalStateException("unknown organization '" + org + "'"));
    }

    /** Opens the run's record with the checkpoint it starts from; advances the checkpoint when it completes. */
    @Component
    public static class OrderSyncRunListener implements JobExecutionListener {
        private final OrganizationRepository organizations;
        private final OrderSyncCheckpoints checkpoints;
        private final JobRepository jobRepository;

        public OrderSyncRunListener(
                OrganizationRepository organizations, OrderSyncCheckpoints checkpoints, JobRepository jobRepository) {
            this.organizations = organizations;
            this.checkpoints = checkpoints;
            this.jobRepository = jobRepository;
        }

        @Override
        public void beforeJob(JobExecution execution) {
            Organization organization =
                    organization(organizations, execution.getJobParameters().getString("org"));
            String provider = provider();
            // A restart carries on from where its instance's first execution started and what the failed ones
            // committed, so that it ends at the checkpoint an uninterrupted run would have reached.
            List<Long> earlier = jobRepository.getJobExecutions(execution.getJobInstance()).stream()
                    .map(JobExecution::getId)
                    .filter(id -> id.longValue() != execution.getId())
                    .toList();
            Optional<OrderSyncCheckpoints.Resumed> resumed = checkpoints.resumed(earlier, organization.id());
            Instant before = resumed.isPresent()
                    ? resumed.get().checkpointBefore()
                    : checkpoints.startingPoint(organization.id(), provider);
            Instant after = resumed.isPresent() ? resumed.get().checkpointAfter() : before;
            if (before != null) {
                execution.getExecutionContext().putLong("checkpoint.before", before.toEpochMilli());
            }
            checkpoints.startRun(execution.getId(), organization.id(), provider, before, after);
        }

        @Override
        public void afterJob(JobExecution execution) {
            if (execution.getStatus() == BatchStatus.COMPLETED) {
                Organization organization =
                        organization(organizations, execution.getJobParameters().getString("org"));
                checkpoints.completeRun(execution.getId(), organization.id());
            }
        }
    }
}
