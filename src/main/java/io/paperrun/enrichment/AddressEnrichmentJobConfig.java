package io.paperrun.enrichment;

import io.paperrun.batch.BatchSettings;
import io.paperrun.batch.Cadence;
import io.paperrun.batch.JobDefinition;
import io.paperrun.batch.JobLifecycleListener;
import io.paperrun.batch.KeysetPagingReader;
import io.paperrun.batch.Partitions;
import io.paperrun.batch.StepCounts;
import io.paperrun.organization.Organization;
import io.paperrun.organization.OrganizationRepository;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.batch.infrastructure.item.database.Order;
import org.springframework.batch.infrastructure.item.database.support.PostgresPagingQueryProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * address-enrichment: normalises, appends (Faraday) and verifies (Lob) the addresses of the pending and holdout
 * recipients not enriched yet (optional parameter {@code org}), one partition per organization, in id order with
 * keyset paging. A recipient's changes are written in its chunk's transaction once its provider calls have
 * succeeded, so a provider's outage leaves it as it was for the next run or the restart.
 */
@Configuration
public class AddressEnrichmentJobConfig {

    public static final String JOB = "address-enrichment";

    /** The step that enriches; its partitions are the organizations, and its counts are the job's. */
    public static final String ENRICH_STEP = "address-enrichment-enrich";

    /**
     * The most recipients to a chunk: a chunk's provider calls are made while its transaction is open, one after
     * the other, so the chunk is kept short whatever {@code paperrun.batch.chunk-size} says.
     */
    static final int MAX_CHUNK = 100;

    /** A partition's execution-context key: its organization (slug). */
    static final String ORG = "org";

    public static final JobDefinition DEFINITION = JobDefinition.job(
                    JOB, "normalise, append and verify new recipients' addresses")
            .taking(JobDefinition.Parameter.optional("org", "SLUG"))
            .syncing()
            .countedBy(ENRICH_STEP)
            .scheduled(Cadence.parse("0 0 */6 * * *"));

    @Bean
    public Job addressEnrichmentJob(
            JobRepository jobRepository, Step addressEnrichmentStep, JobLifecycleListener lifecycle) {
        return new JobBuilder(JOB, jobRepository)
                .start(addressEnrichmentStep)
                .listener(lifecycle)
                .build();
    }

    /**
     * The organizations side by side, at most {@code paperrun.batch.partitions} at a time, each enriching its
     * recipients chunk by chunk. An organization whose provider fails or refuses its key fails alone; a restart
     * runs again only the organizations that did not complete, from their last committed chunk.
     */
    @Bean
    public Step addressEnrichmentStep(
            JobRepository jobRepository,
            PlatformTransactionManager transactionManager,
            JdbcPagingItemReader<RecipientToEnrich> recipientsToEnrichReader,
            ItemProcessor<RecipientToEnrich, EnrichedRecipient> addressEnrichmentProcessor,
            AddressEnrichmentWriter addressEnrichmentWriter,
            Partitioner organizationsToEnrich,
            BatchSettings settings) {
        Step worker = new StepBuilder(
                        ENRICH_STEP, jobRepository) // its executions: address-enrichment-enrich:partitionN
                .<RecipientToEnrich, EnrichedRecipient>chunk(chunkSize(settings))
                .transactionManager(transactionManager)
                .reader(recipientsToEnrichReader)
                .processor(addressEnrichmentProcessor)
                .writer(addressEnrichmentWriter)
                .listener(addressEnrichmentWriter)
                .build();
        return Partitions.of(
                ENRICH_STEP,
                jobRepository,
                worker,
                organizationsToEnrich,
                settings.partitions(),
                StepCounts.aggregator(EnrichmentCounts::new));
    }

    /** One partition per organization with recipients to enrich (the one {@code org} names, else all). */
    @Bean
    @JobScope
    public Partitioner organizationsToEnrich(
            @Value("#{jobParameters['org']}") String org, EnrichmentRepository recipients) {
        return gridSize -> {
            Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
            for (String slug : recipients.organizationsToEnrich(org)) {
                ExecutionContext context = new ExecutionContext();
                context.putString(ORG, slug);
                partitions.put(Partitions.name(partitions.size()), context);
            }
            return partitions;
        };
    }

    /** The partition's organization's recipients to enrich, by id. */
    @Bean
    @StepScope
    public JdbcPagingItemReader<RecipientToEnrich> recipientsToEnrichReader(
            @Value("#{stepExecutionContext['org']}") String org,
            OrganizationRepository organizations,
            DataSource dataSource,
            BatchSettings settings)
            throws Exception {
        PostgresPagingQueryProvider query = new PostgresPagingQueryProvider();
        query.setSelectClause("SELECT " + EnrichmentRepository.COLUMNS);
        query.setFromClause("FROM recipient");
        query.setWhereClause("WHERE organization_id = :organization AND " + EnrichmentRepository.TO_ENRICH);
        query.setSortKeys(Map.of("id", Order.ASCENDING));
        return new KeysetPagingReader.Builder<RecipientToEnrich>()
                .name("recipientsToEnrichReader")
                .dataSource(dataSource)
                .queryProvider(query)
                .parameterValues(
                        Map.of("organization", organization(organizations, org).id()))
                .pageSize(chunkSize(settings))
                .rowMapper(EnrichmentRepository::map)
                .build();
    }

    /** The partition's organization's enrichment, with the providers its apply file configures. */
    @Bean
    @StepScope
    public ItemProcessor<RecipientToEnrich, EnrichedRecipient> addressEnrichmentProcessor(
            @Value("#{stepExecutionContext['org']}") String org,
            OrganizationRepository organizations,
            AddressEnrichments enrichments) {
        return enrichments.open(organization(organizations, org))::enrich;
    }

    @Bean
    @StepScope
    public AddressEnrichmentWriter addressEnrichmentWriter(
            @Value("#{stepExecutionContext['org']}") String org, EnrichmentRepository recipients) {
        return new AddressEnrichmentWriter(org, recipients);
    }

    private static int chunkSize(BatchSettings settings) {
        return Math.min(settings.chunkSize(), MAX_CHUNK);
    }

    private static Organization organization(OrganizationRepository organizations, String org) {
        return organizations
                .findBySlug(org)
                .orElseThrow(() -> new IllegalStateException("unknown organization '" + org + "'"));
    }
}
