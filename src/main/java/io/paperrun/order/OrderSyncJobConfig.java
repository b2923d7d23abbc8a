package io.paperrun.order;

import io.paperrun.attribution.AttributionStore;
import io.paperrun.attribution.AttributionWriters;
import io.paperrun.attribution.DecisionSteps;
import io.paperrun.attribution.OrderMatching;
import io.paperrun.batch.BatchSettings;
import io.paperrun.batch.ByProvider;
import io.paperrun.batch.Cadence;
import io.paperrun.batch.ImportLine;
import io.paperrun.batch.JobDefinition;
import io.paperrun.batch.JobLifecycleListener;
import io.paperrun.batch.PartitionedSteps;
import io.paperrun.batch.Partitions;
import io.paperrun.batch.RejectedRows;
import io.paperrun.batch.SourcePages;
import io.paperrun.batch.SourceReader;
import io.paperrun.organization.Organization;
import io.paperrun.organization.OrganizationRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * order-sync: reads orders from each organization's order source, stores them and matches them (stage A), chunk by
 * chunk in partitions side by side, recording each organization's run and checkpoint; then queues again for stage B
 * the attributions the changes affect, and decides the holdout ones. Without {@code file}: one partition per
 * organization that syncs from a provider ({@code sync_orders}, {@code order_source}), each from its checkpoint;
 * with {@code file} (as {@code import orders}): that CSV file for {@code org}, in partitions by order id.
 */
@Configuration
public class OrderSyncJobConfig {

    private static final Logger log = LoggerFactory.getLogger(OrderSyncJobConfig.class);

    public static final String JOB = "order-sync";

    /** The step that reads the orders; its partitions count the lines, and its counts are the job's. */
    public static final String ORDERS_STEP = "order-sync-orders";

    /** A partition's execution-context keys: its organization (slug), provider, checkpoint and what it asks for. */
    static final String ORG = "org", PROVIDER = "provider", CHECKPOINT = "checkpoint", SINCE = "since";

    public static final JobDefinition DEFINITION = JobDefinition.job(JOB, "orders from providers, or from a CSV file")
            .taking(
                    JobDefinition.Parameter.optional("org", "SLUG"),
                    JobDefinition.Parameter.optionalFile("file", "orders"))
            .syncing()
            .oneAtATimeIn(AttributionWriters.GROUP)
            .countedBy(ORDERS_STEP)
            .scheduled(new Cadence.Every(Duration.ofMinutes(5)));

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
     * The orders, in partitions run side by side, at most {@code paperrun.batch.partitions} at a time: each reads
     * its orders from its source, and stores and matches them chunk by chunk. Partitions write disjoint orders and
     * attributions, and only append the re-queueing their changes call for. A restart runs again only the
     * partitions that did not complete, from their last committed chunk.
     */
    @Bean
    public Step orderSyncStep(
            JobRepository jobRepository,
            PlatformTransactionManager transactionManager,
            ItemStreamReader<ImportLine<IncomingOrder>> orderSyncReader,
            OrderSyncWriter orderSyncWriter,
            OrderSyncRunListener orderSyncRunListener,
            Partitioner orderSyncPartitioner,
            PartitionedSteps partitionedSteps,
            BatchSettings settings) {
        Step worker = new StepBuilder(ORDERS_STEP, jobRepository) // its executions: order-sync-orders:partitionN
                .<ImportLine<IncomingOrder>, ImportLine<IncomingOrder>>chunk(settings.chunkSize())
                .transactionManager(transactionManager)
                .reader(orderSyncReader)
                .writer(orderSyncWriter)
                .listener(orderSyncWriter)
                .listener((StepExecutionListener) orderSyncRunListener)
                .build();
        return partitionedSteps.of(ORDERS_STEP, worker, orderSyncPartitioner, settings.partitions());
    }

    /**
     * A file's partitions by order id, or one partition per organization syncing from a provider (the one named
     * by {@code org}, else all); each holds its organization, provider, checkpoint and what it asks for from when.
     */
    @Bean
    @JobScope
    public Partitioner orderSyncPartitioner(
            @Value("#{jobParameters}") Map<String, Object> parameters,
            OrganizationRepository organizations,
            OrderSyncCheckpoints checkpoints,
            OrderSyncSettings settings) {
        String org = (String) parameters.get("org");
        if (parameters.get("file") != null) {
            Organization organization = organization(organizations, org);
            Instant checkpoint = checkpoints.startingPoint(organization.id(), OrderSourceFactory.DEFAULT_PROVIDER);
            return gridSize -> {
                Map<String, ExecutionContext> partitions = Partitions.byHash().partition(gridSize);
                partitions
                        .values()
                        .forEach(context -> describe(
                                context,
                                organization.slug(),
                                OrderSourceFactory.DEFAULT_PROVIDER,
                                checkpoint,
                                checkpoint));
                return partitions;
            };
        }
        List<Organization> syncing = org == null ? organizations.syncingFromProviders() : named(organizations, org);
        return gridSize -> {
            Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
            for (Organization organization : syncing) {
                String provider = organization.orderSource();
                Instant checkpoint = checkpoints.startingPoint(organization.id(), provider);
                ExecutionContext context = new ExecutionContext();
                describe(
                        context,
                        organization.slug(),
                        provider,
                        checkpoint,
                        checkpoint == null ? null : checkpoint.minus(settings.overlap()));
                partitions.put(Partitions.name(partitions.size()), context);
            }
            return partitions;
        };
    }

    /** The organization {@code org}, when it syncs from a provider; else none (the command says why). */
    private static List<Organization> named(OrganizationRepository organizations, String org) {
        Organization organization = organization(organizations, org);
        Optional<String> notSynced = whyNotSynced(organization);
        notSynced.ifPresent(why -> log.info("{}", why));
        return notSynced.isPresent() ? List.of() : List.of(organization);
    }

    /** Why a sync from providers leaves {@code organization} out, if it does. */
    public static Optional<String> whyNotSynced(Organization organization) {
        if (!organization.syncOrders()) {
            return Optional.of(organization.slug() + ": sync_orders is false in its apply file; no orders synced");
        }
        if (OrderSourceFactory.DEFAULT_PROVIDER.equals(organization.orderSource())) {
            return Optional.of(organization.slug() + ": its orders come from CSV files (order_source csv): import "
                    + "them with paperrun import orders");
        }
        return Optional.empty();
    }

    private static void describe(
            ExecutionContext context, String org, String provider, Instant checkpoint, Instant since) {
        context.putString(ORG, org);
        context.putString(PROVIDER, provider);
        if (checkpoint != null) {
            context.putString(CHECKPOINT, checkpoint.toString());
        }
        if (since != null) {
            context.putString(SINCE, since.toString());
        }
    }

    /** Once every partition has committed: the attributions their changes affect are queued for stage B again. */
    @Bean
    public Step orderSyncRequeueStep(DecisionSteps steps) {
        return steps.requeue("order-sync-requeue");
    }

    /**
     * Then stage B for the holdout attributions (of {@code org}, else of every organization), which the rules
     * decide at once, in partitions by ranges of attribution ids like {@code attribution-processing}'s.
     */
    @Bean
    public Step orderSyncHoldoutsStep(
            DecisionSteps steps,
            JdbcPagingItemReader<Long> unprocessedHoldoutReader,
            Partitioner unprocessedHoldoutRanges) {
        return steps.decideInPartitions("order-sync-holdouts", unprocessedHoldoutReader, unprocessedHoldoutRanges);
    }

    /** The unprocessed holdout attributions' ids, split in equal spans. */
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

    /** The partition's organization's order source, as pages for its reader and its writer. */
    @Bean
    @StepScope
    public SourcePages<OrderSource, IncomingOrder> orderSourcePages(
            @Value("#{jobParameters}") Map<String, Object> parameters,
            @Value("#{stepExecutionContext}") Map<String, Object> partition,
            @Value("#{stepExecution.jobExecutionId}") Long jobExecutionId,
            List<OrderSourceFactory> sources,
            OrganizationRepository organizations) {
        Map<String, String> values = new HashMap<>();
        parameters.forEach((name, value) -> values.put(name, String.valueOf(value)));
        Organization organization = organization(organizations, (String) partition.get(ORG));
        String provider = (String) partition.get(PROVIDER);
        OrderReading reading = new OrderReading(
                organization.slug(),
                values,
                Partitions.Slice.of(
                        (Integer) partition.get(Partitions.PARTITION), (Integer) partition.get(Partitions.PARTITIONS)),
                String.valueOf(jobExecutionId),
                organization.integration(provider));
        Object since = partition.get(SINCE);
        Instant from = since == null ? null : Instant.parse((String) since);
        OrderSourceFactory factory =
                new ByProvider<>("order source", sources, OrderSourceFactory::provider).get(provider);
        return new SourcePages<>(
                organization.slug(),
                provider,
                OrderSourceFactory.DEFAULT_PROVIDER.equals(provider),
                () -> factory.open(reading),
                (source, cursor) -> source.fetch(from, cursor),
                OrderSource::location);
    }

    @Bean
    @StepScope
    public ItemStreamReader<ImportLine<IncomingOrder>> orderSyncReader(
            SourcePages<OrderSource, IncomingOrder> orderSourcePages) {
        return new SourceReader<>("orderCsvReader", orderSourcePages, orderSourcePages);
    }

    @Bean
    @StepScope
    public OrderSyncWriter orderSyncWriter(
            @Value("#{stepExecutionContext['org']}") String org,
            @Value("#{stepExecutionContext['provider']}") String provider,
            SourcePages<OrderSource, IncomingOrder> orderSourcePages,
            OrganizationRepository organizations,
            OrderRepository orders,
            OrderMatching matching,
            AttributionStore attributions,
            OrderSyncCheckpoints checkpoints,
            RejectedRows rejectedRows) {
        return new OrderSyncWriter(
                organization(organizations, org),
                provider,
                orderSourcePages::location,
                orders,
                matching,
                attributions,
                checkpoints,
                rejectedRows);
    }

    static Organization organization(OrganizationRepository organizations, String org) {
        if (org == null) {
            throw new IllegalStateException("order-sync needs an org=... parameter");
        }
        return organizations
                .findBySlug(org)
                .orElseThrow(() -> new IllegalStateException("unknown organization '" + org + "'"));
    }

    /**
     * Records each organization's run as its partition starts, from its checkpoint and, on a restart, from what
     * the failed executions committed; ends it when it completes (a file's, when the whole import completes).
     */
    @Component
    public static class OrderSyncRunListener implements JobExecutionListener, StepExecutionListener {
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
        public void beforeStep(StepExecution step) {
            ExecutionContext partition = step.getExecutionContext();
            Organization organization = organization(organizations, partition.getString(ORG));
            JobExecution execution = step.getJobExecution();
            // A restart carries on from where its instance's first execution started and what the failed ones
            // committed, so that it ends at the checkpoint an uninterrupted run would have reached.
            List<Long> earlier = jobRepository.getJobExecutions(execution.getJobInstance()).stream()
                    .map(JobExecution::getId)
                    .filter(id -> id.longValue() != execution.getId())
                    .toList();
            Optional<OrderSyncCheckpoints.Resumed> resumed = checkpoints.resumed(earlier, organization.id());
            Instant checkpoint =
                    partition.containsKey(CHECKPOINT) ? Instant.parse(partition.getString(CHECKPOINT)) : null;
            Instant before =
                    resumed.map(OrderSyncCheckpoints.Resumed::checkpointBefore).orElse(checkpoint);
            Instant after =
                    resumed.map(OrderSyncCheckpoints.Resumed::checkpointAfter).orElse(before);
            checkpoints.startRun(execution.getId(), organization.id(), partition.getString(PROVIDER), before, after);
        }

        @Override
        public ExitStatus afterStep(StepExecution step) {
            ExecutionContext partition = step.getExecutionContext();
            if (step.getStatus() == BatchStatus.COMPLETED
                    && !OrderSourceFactory.DEFAULT_PROVIDER.equals(partition.getString(PROVIDER))) {
                Organization organization = organization(organizations, partition.getString(ORG));
                checkpoints.completeRun(step.getJobExecutionId(), organization.id());
            }
            return step.getExitStatus();
        }

        @Override
        public void afterJob(JobExecution execution) {
            if (execution.getStatus() == BatchStatus.COMPLETED) {
                for (OrderSyncCheckpoints.Run run : checkpoints.runs(execution.getId())) {
                    checkpoints.completeRun(execution.getId(), run.organizationId());
                }
            }
        }
    }
}
