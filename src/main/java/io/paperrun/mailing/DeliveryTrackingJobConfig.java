package io.paperrun.mailing;

import io.paperrun.batch.BatchSettings;
import io.paperrun.batch.Cadence;
import io.paperrun.batch.JobDefinition;
import io.paperrun.batch.JobLifecycleListener;
import io.paperrun.batch.KeysetPagingReader;
import io.paperrun.batch.Partitions;
import io.paperrun.batch.RunSummary;
import io.paperrun.campaign.PostcardSettings.PrinterName;
import io.paperrun.organization.Organization;
import io.paperrun.organization.OrganizationRepository;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.partition.StepExecutionAggregator;
import org.springframework.batch.core.partition.support.DefaultStepExecutionAggregator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.batch.infrastructure.item.database.Order;
import org.springframework.batch.infrastructure.item.database.support.PostgresPagingQueryProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * delivery-tracking (optional parameter {@code org}): asks each printer where its sent pieces are, those it may
 * still say more of, one partition per organization; stores the delivery status, the in-home date and the events.
 * A piece returned to sender suppresses its address for the organization's later campaigns (pipeline-rules.md §5).
 */
@Configuration
public class DeliveryTrackingJobConfig {

    public static final String JOB = "delivery-tracking";

    /** The step that tracks; its partitions are the organizations, and its counts are the job's. */
    public static final String TRACK_STEP = "delivery-tracking-track";

    /** The most pieces to a chunk: their printer calls are made while its transaction is open. */
    static final int MAX_CHUNK = 100;

    public static final JobDefinition DEFINITION = JobDefinition.job(JOB, "follow sent postcards home")
            .taking(JobDefinition.Parameter.optional("org", "SLUG"))
            .syncing()
            .countedBy(TRACK_STEP)
            .scheduled(new Cadence.Every(Duration.ofHours(1)));

    @Bean
    public Job deliveryTrackingJob(
            JobRepository jobRepository, Step deliveryTrackingStep, JobLifecycleListener lifecycle) {
        return new JobBuilder(JOB, jobRepository)
                .start(deliveryTrackingStep)
                .listener(lifecycle)
                .build();
    }

    @Bean
    public Step deliveryTrackingStep(
            JobRepository jobRepository,
            PlatformTransactionManager transactionManager,
            JdbcPagingItemReader<TrackedPiece> piecesToTrackReader,
            ItemProcessor<TrackedPiece, PieceUpdate> deliveryTrackingProcessor,
            ItemWriter<PieceUpdate> deliveryTrackingWriter,
            Partitioner organizationsToTrack,
            BatchSettings settings) {
        Step worker = new StepBuilder(TRACK_STEP, jobRepository)
                .<TrackedPiece, PieceUpdate>chunk(Math.min(settings.chunkSize(), MAX_CHUNK))
                .transactionManager(transactionManager)
                .reader(piecesToTrackReader)
                .processor(deliveryTrackingProcessor)
                .writer(deliveryTrackingWriter)
                .build();
        return Partitions.of(
                TRACK_STEP,
                jobRepository,
                worker,
                organizationsToTrack,
                settings.partitions(),
                new SummariesAggregator());
    }

    /** The partitions' counts, and their summaries, by organization, as the step's: {@code paperrun run} prints it. */
    static final class SummariesAggregator implements StepExecutionAggregator {

        private final DefaultStepExecutionAggregator counts = new DefaultStepExecutionAggregator();

        @Override
        public void aggregate(StepExecution result, Collection<StepExecution> executions) {
            counts.aggregate(result, executions);
            result.getExecutionContext()
                    .putString(
                            RunSummary.KEY,
                            executions.stream()
                                    .map(e -> e.getExecutionContext().getString(RunSummary.KEY, ""))
                                    .filter(summary -> !summary.isBlank())
                                    .sorted()
                                    .collect(Collectors.joining("\n")));
        }
    }

    @Bean
    @JobScope
    public Partitioner organizationsToTrack(
            @Value("#{jobParameters['org']}") String org, DeliveryRepository deliveries) {
        return gridSize -> {
            Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
            for (String slug : deliveries.organizationsToTrack(org)) {
                ExecutionContext context = new ExecutionContext();
                context.putString("org", slug);
                partitions.put(Partitions.name(partitions.size()), context);
            }
            return partitions;
        };
    }

    @Bean
    @StepScope
    public JdbcPagingItemReader<TrackedPiece> piecesToTrackReader(
            @Value("#{stepExecutionContext['org']}") String org,
            OrganizationRepository organizations,
            DataSource dataSource,
            BatchSettings settings)
            throws Exception {
        PostgresPagingQueryProvider query = new PostgresPagingQueryProvider();
        query.setSelectClause("SELECT id, campaign_id, provider, provider_piece_id");
        query.setFromClause("FROM recipient");
        query.setWhereClause("WHERE organization_id = :organization AND " + DeliveryRepository.TO_TRACK);
        query.setSortKeys(Map.of("id", Order.ASCENDING));
        return new KeysetPagingReader.Builder<TrackedPiece>()
                .name("piecesToTrackReader")
                .dataSource(dataSource)
                .queryProvider(query)
                .parameterValues(
                        Map.of("organization", organization(organizations, org).id()))
                .pageSize(Math.min(settings.chunkSize(), MAX_CHUNK))
                .rowMapper((rs, i) -> new TrackedPiece(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4)))
                .build();
    }

    /** Asks the piece's printer where it is; the printers are opened once per partition. */
    @Bean
    @StepScope
    public ItemProcessor<TrackedPiece, PieceUpdate> deliveryTrackingProcessor(
            @Value("#{stepExecutionContext['org']}") String org,
            @Value("#{stepExecution.jobExecutionId}") Long jobExecutionId,
            OrganizationRepository organizations,
            Printers printers) {
        Organization organization = organization(organizations, org);
        Map<String, Printer> opened = new HashMap<>();
        return piece -> {
            Printer printer = opened.computeIfAbsent(
                    piece.printer(),
                    name -> printers.open(organization, PrinterName.of(name), piece.campaignId(), jobExecutionId));
            return new PieceUpdate(piece, printer.track(piece.providerPieceId()));
        };
    }

    @Bean
    @StepScope
    public ItemWriter<PieceUpdate> deliveryTrackingWriter(
            @Value("#{stepExecution}") StepExecution step, DeliveryRepository deliveries) {
        return chunk -> {
            int[] finals = deliveries.write(chunk.getItems());
            ExecutionContext context = step.getExecutionContext();
            context.putLong("delivered", context.getLong("delivered", 0L) + finals[0]);
            context.putLong("returned", context.getLong("returned", 0L) + finals[1]);
            context.putString(
                    RunSummary.KEY,
                    step.getExecutionContext().getString("org", "?") + ": " + context.getLong("delivered")
                            + " delivered, " + context.getLong("returned") + " returned to sender");
        };
    }

    private static Organization organization(OrganizationRepository organizations, String org) {
        return organizations
                .findBySlug(org)
                .orElseThrow(() -> new IllegalStateException("unknown organization '" + org + "'"));
    }
}
