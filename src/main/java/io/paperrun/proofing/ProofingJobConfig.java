package io.paperrun.proofing;

import io.paperrun.batch.BatchSettings;
import io.paperrun.batch.Cadence;
import io.paperrun.batch.JobDefinition;
import io.paperrun.batch.JobLifecycleListener;
import io.paperrun.batch.KeysetPagingReader;
import io.paperrun.batch.PartitionedSteps;
import io.paperrun.batch.Partitions;
import io.paperrun.batch.RunSummary;
import io.paperrun.campaign.Campaign;
import io.paperrun.campaign.CampaignRepository;
import io.paperrun.organization.Organization;
import io.paperrun.organization.OrganizationRepository;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.batch.infrastructure.item.database.Order;
import org.springframework.batch.infrastructure.item.database.support.PostgresPagingQueryProvider;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * proofing: renders the proofs of the active campaigns' pending recipients whose address was enriched (optional
 * parameters {@code org} and {@code campaign}), one partition per campaign, in id order with keyset paging; then
 * says, campaign by campaign, what it proofed, what waits for address-enrichment and how many pool codes are left.
 */
@Configuration
public class ProofingJobConfig {

    public static final String JOB = "proofing";

    /** The step that proofs; its partitions are the campaigns, and its counts are the job's. */
    public static final String PROOF_STEP = "proofing-proof";

    /** The step that says what the run did and what waits. */
    public static final String SUMMARY_STEP = "proofing-summary";

    /**
     * The most recipients to a chunk: a chunk's proofs are rendered while its transaction is open, so the chunk is
     * kept short whatever {@code paperrun.batch.chunk-size} says.
     */
    static final int MAX_CHUNK = 100;

    /** A partition's execution-context key: its campaign (id). */
    static final String CAMPAIGN = "campaign";

    public static final JobDefinition DEFINITION = JobDefinition.job(
                    JOB, "render the proofs of pending recipients' postcards")
            .taking(
                    JobDefinition.Parameter.optional("org", "SLUG"),
                    JobDefinition.Parameter.optional("campaign", "KEY"))
            .syncing()
            .countedBy(PROOF_STEP)
            .scheduled(new Cadence.Jittered(Duration.ofSeconds(7), Duration.ofSeconds(15)));

    @Bean
    public Job proofingJob(
            JobRepository jobRepository, Step proofingStep, Step proofingSummaryStep, JobLifecycleListener lifecycle) {
        return new JobBuilder(JOB, jobRepository)
                .start(proofingStep)
                .next(proofingSummaryStep)
                .listener(lifecycle)
                .build();
    }

    /**
     * The campaigns side by side, at most {@code paperrun.batch.partitions} at a time, each proofing its recipients
     * chunk by chunk. A campaign whose proofs cannot be stored fails alone; the next run, or a restart, takes its
     * recipients again.
     */
    @Bean
    public Step proofingStep(
            JobRepository jobRepository,
            PlatformTransactionManager transactionManager,
            JdbcPagingItemReader<RecipientToProof> recipientsToProofReader,
            ProofingWriter proofingWriter,
            Partitioner campaignsToProof,
            PartitionedSteps partitionedSteps,
            BatchSettings settings) {
        Step worker = new StepBuilder(PROOF_STEP, jobRepository)
                .<RecipientToProof, RecipientToProof>chunk(chunkSize(settings))
                .transactionManager(transactionManager)
                .reader(recipientsToProofReader)
                .writer(proofingWriter)
                .listener(proofingWriter)
                .build();
        return partitionedSteps.of(PROOF_STEP, worker, campaignsToProof, settings.partitions());
    }

    @Bean
    public Step proofingSummaryStep(
            JobRepository jobRepository,
            PlatformTransactionManager transactionManager,
            Tasklet proofingSummaryTasklet) {
        return new StepBuilder(SUMMARY_STEP, jobRepository)
                .tasklet(proofingSummaryTasklet, transactionManager)
                .allowStartIfComplete(true)
                .build();
    }

    /** One partition per active campaign with a design and recipients to proof (of {@code org}, {@code campaign}). */
    @Bean
    @JobScope
    public Partitioner campaignsToProof(
            @Value("#{jobParameters['org']}") String org,
            @Value("#{jobParameters['campaign']}") String campaign,
            ProofingRepository recipients) {
        return gridSize -> {
            Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
            for (long id : recipients.campaignsToProof(org, campaign)) {
                ExecutionContext context = new ExecutionContext();
                context.putLong(CAMPAIGN, id);
                partitions.put(Partitions.name(partitions.size()), context);
            }
            return partitions;
        };
    }

    /** The partition's campaign's recipients to proof, by id. */
    @Bean
    @StepScope
    public JdbcPagingItemReader<RecipientToProof> recipientsToProofReader(
            @Value("#{stepExecutionContext['campaign']}") Long campaign, DataSource dataSource, BatchSettings settings)
            throws Exception {
        PostgresPagingQueryProvider query = new PostgresPagingQueryProvider();
        query.setSelectClause("SELECT " + ProofingRepository.COLUMNS);
        query.setFromClause("FROM recipient");
        query.setWhereClause("WHERE campaign_id = :campaign AND " + ProofingRepository.TO_PROOF);
        query.setSortKeys(Map.of("id", Order.ASCENDING));
        return new KeysetPagingReader.Builder<RecipientToProof>()
                .name("recipientsToProofReader")
                .dataSource(dataSource)
                .queryProvider(query)
                .parameterValues(Map.of("campaign", campaign))
                .pageSize(chunkSize(settings))
                .rowMapper(ProofingRepository::map)
                .build();
    }

    /** The partition's campaign's writer: its organization's proof store, its design prepared once. */
    @Bean
    @StepScope
    public ProofingWriter proofingWriter(
            @Value("#{stepExecutionContext['campaign']}") Long campaignId,
            CampaignRepository campaigns,
            OrganizationRepository organizations,
            ProofingRepository recipients,
            UniqueCodeAssignment codes,
            ProofStores stores,
            ProofRendering rendering,
            ExecutorService proofingThreads) {
        Campaign campaign = campaigns
                .findById(campaignId)
                .orElseThrow(() -> new IllegalStateException("no campaign " + campaignId));
        Organization organization = organizations
                .findById(campaign.organizationId())
                .orElseThrow(() -> new IllegalStateException("no organization " + campaign.organizationId()));
        ProofRendering.Prepared design;
        try {
            design = rendering.prepare(campaign.postcards().design());
        } catch (ProofRenderingException e) {
            throw new IllegalStateException(
                    organization.slug() + "/" + campaign.key() + ": the design cannot be rendered: " + e.getMessage(),
                    e);
        }
        return new ProofingWriter(
                organization.slug(),
                campaign,
                new ProofingWriter.Services(recipients, codes, stores.open(organization), design, proofingThreads));
    }

    /**
     * The threads proofs are rendered and stored on, shared by the partitions: {@code paperrun.proofing.threads},
     * by default one per processor.
     */
    @Bean(destroyMethod = "shutdownNow")
    public ExecutorService proofingThreads(@Value("${paperrun.proofing.threads:0}") int threads) {
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        AtomicInteger count = new AtomicInteger();
        return Executors.newFixedThreadPool(n, task -> {
            Thread thread = new Thread(task, "proofing-render-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Says what this run proofed, campaign by campaign, what waits for address-enrichment, and low pools. */
    @Bean
    @StepScope
    public Tasklet proofingSummaryTasklet(
            @Value("#{jobParameters['org']}") String org,
            @Value("#{jobParameters['campaign']}") String campaign,
            ProofingSummary summary,
            JobRepository jobRepository) {
        return (contribution, chunkContext) -> {
            StepExecution step = chunkContext.getStepContext().getStepExecution();
            // As the repository has them: partitions that ran on workers are not this process's objects.
            List<StepExecution> partitions =
                    jobRepository.getJobExecution(step.getJobExecutionId()).getStepExecutions().stream()
                            .filter(s -> s.getStepName().startsWith(PROOF_STEP + ":"))
                            .toList();
            step.getExecutionContext().putString(RunSummary.KEY, summary.lines(org, campaign, partitions));
            return RepeatStatus.FINISHED;
        };
    }

    private static int chunkSize(BatchSettings settings) {
        return Math.min(settings.chunkSize(), MAX_CHUNK);
    }
}
