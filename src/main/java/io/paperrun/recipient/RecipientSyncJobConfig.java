package io.paperrun.recipient;

import io.paperrun.batch.BatchSettings;
import io.paperrun.batch.ByProvider;
import io.paperrun.batch.Cadence;
import io.paperrun.batch.ImportLine;
import io.paperrun.batch.JobDefinition;
import io.paperrun.batch.JobLifecycleListener;
import io.paperrun.batch.Partitions;
import io.paperrun.batch.RejectedRows;
import io.paperrun.batch.SourcePages;
import io.paperrun.batch.SourceReader;
import io.paperrun.campaign.Campaign;
import io.paperrun.campaign.CampaignRepository;
import io.paperrun.organization.Organization;
import io.paperrun.organization.OrganizationRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * recipient-sync: fills campaigns with recipients. Without {@code file}: one partition per active campaign whose
 * audience is a Klaviyo segment (of {@code org}, {@code campaign}, else all), each reading the members who joined
 * since its checkpoint less an overlap and creating them by pipeline-rules §1. With {@code file} (as
 * {@code import recipients}): that CSV file, for {@code org}'s campaigns.
 */
@Configuration
public class RecipientSyncJobConfig {

    public static final String JOB = "recipient-sync";

    /** The step that reads the recipients; its partitions count the lines, and its counts are the job's. */
    public static final String RECIPIENTS_STEP = "recipient-sync-recipients";

    /** A partition's execution-context keys. */
    static final String ORG = "org", CAMPAIGN = "campaign", CHECKPOINT = "checkpoint", SINCE = "since";

    public static final JobDefinition DEFINITION = JobDefinition.job(JOB, "recipients from segments, or a CSV file")
            .taking(
                    JobDefinition.Parameter.optional("org", "SLUG"),
                    JobDefinition.Parameter.optional("campaign", "KEY"),
                    JobDefinition.Parameter.optionalFile("file", "recipients"))
            .syncing()
            .countedBy(RECIPIENTS_STEP)
            .scheduled(new Cadence.Every(Duration.ofMinutes(15)));

    @Bean
    public Job recipientSyncJob(
            JobRepository jobRepository,
            Step recipientSyncStep,
            Step recipientStatisticsStep,
            JobLifecycleListener lifecycle) {
        return new JobBuilder(JOB, jobRepository)
                .start(recipientSyncStep)
                .next(recipientStatisticsStep)
                .listener(lifecycle)
                .build();
    }

    /**
     * Then the planner's statistics of the recipients, which stage A's lookups are planned on (before autovacuum
     * refreshes them; docs/performance.md).
     */
    @Bean
    public Step recipientStatisticsStep(
            JobRepository jobRepository, PlatformTransactionManager transactionManager, JdbcClient jdbc) {
        return new StepBuilder("recipient-sync-statistics", jobRepository)
                .tasklet(
                        (contribution, chunkContext) -> {
                            jdbc.sql("ANALYZE recipient").update();
                            return RepeatStatus.FINISHED;
                        },
                        transactionManager)
                .build();
    }

    /** The recipients, a partition per campaign (a file: one), at most {@code paperrun.batch.partitions} at a time. */
    @Bean
    public Step recipientSyncStep(
            JobRepository jobRepository,
            PlatformTransactionManager transactionManager,
            ItemStreamReader<ImportLine<IncomingRecipient>> recipientSyncReader,
            RecipientSyncWriter recipientSyncWriter,
            RecipientSyncRunListener recipientSyncRunListener,
            Partitioner recipientSyncPartitioner,
            BatchSettings settings) {
        Step worker = new StepBuilder(RECIPIENTS_STEP, jobRepository)
                .<ImportLine<IncomingRecipient>, ImportLine<IncomingRecipient>>chunk(settings.chunkSize())
                .transactionManager(transactionManager)
                .reader(recipientSyncReader)
                .writer(recipientSyncWriter)
                .listener(recipientSyncWriter)
                .listener(recipientSyncRunListener)
                .build();
        return Partitions.of(RECIPIENTS_STEP, jobRepository, worker, recipientSyncPartitioner, settings.partitions());
    }

    /** The file's one partition, or one per campaign filling from a segment, with its checkpoint. */
    @Bean
    @JobScope
    public Partitioner recipientSyncPartitioner(
            @Value("#{jobParameters}") Map<String, Object> parameters,
            OrganizationRepository organizations,
            CampaignRepository campaigns,
            RecipientSyncCheckpoints checkpoints,
            RecipientSyncSettings settings) {
        String org = (String) parameters.get("org");
        String campaign = (String) parameters.get("campaign");
        if (parameters.get("file") != null) {
            Organization organization = organization(organizations, org);
            return gridSize -> {
                ExecutionContext context = new ExecutionContext();
                context.putString(ORG, organization.slug());
                return Map.of(Partitions.name(0), context);
            };
        }
        Long organizationId =
                org == null ? null : organization(organizations, org).id();
        List<Campaign> filling = campaigns.fillingFromSegments().stream()
                .filter(c -> organizationId == null || organizationId == c.organizationId())
                .filter(c -> campaign == null || campaign.equals(c.key()))
                .toList();
        return gridSize -> {
            Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
            for (Campaign c : filling) {
                Instant checkpoint = checkpoints.startingPoint(c.id());
                ExecutionContext context = new ExecutionContext();
                context.putString(
                        ORG,
                        organizations.findById(c.organizationId()).orElseThrow().slug());
                context.putLong(CAMPAIGN, c.id());
                if (checkpoint != null) {
                    context.putString(CHECKPOINT, checkpoint.toString());
                    context.putString(
                            SINCE, checkpoint.minus(settings.overlap()).toString());
                }
                partitions.put(Partitions.name(partitions.size()), context);
            }
            return partitions;
        };
    }

    /** The partition's source: the file's, or its campaign's segment. */
    @Bean
    @StepScope
    public SourcePages<AudienceSource, IncomingRecipient> audienceSourcePages(
            @Value("#{jobParameters}") Map<String, Object> parameters,
            @Value("#{stepExecutionContext}") Map<String, Object> partition,
            @Value("#{stepExecution}") StepExecution stepExecution,
            JobRepository jobRepository,
            OrganizationRepository organizations,
            CampaignRepository campaigns,
            List<AudienceSourceFactory> sources) {
        Map<String, String> values = new HashMap<>();
        parameters.forEach((name, value) -> values.put(name, String.valueOf(value)));
        Organization organization = organization(organizations, (String) partition.get(ORG));
        Instant importTime = JobLifecycleListener.firstLaunch(jobRepository, stepExecution.getJobExecution());
        ByProvider<AudienceSourceFactory> byProvider =
                new ByProvider<>("audience source", sources, AudienceSourceFactory::provider);
        if (partition.get(CAMPAIGN) == null) {
            Map<String, Long> campaignIds = new HashMap<>();
            for (Campaign c : campaigns.findByOrganization(organization.id())) {
                campaignIds.put(c.key(), c.id());
            }
            AudienceReading reading = new AudienceReading(organization.slug(), values, campaignIds, importTime);
            AudienceSourceFactory factory = byProvider.get(AudienceSourceFactory.DEFAULT_PROVIDER);
            return new SourcePages<>(
                    organization.slug(),
                    AudienceSourceFactory.DEFAULT_PROVIDER,
                    true,
                    () -> factory.open(reading),
                    (source, cursor) -> source.fetch(null, cursor),
                    AudienceSource::location);
        }
        Campaign campaign = campaigns.findById((Long) partition.get(CAMPAIGN)).orElseThrow();
        String provider = campaign.audience().source();
        AudienceReading reading = new AudienceReading(
                organization.slug(),
                values,
                Map.of(campaign.key(), campaign.id()),
                importTime,
                campaign.id(),
                campaign.audience().segmentId(),
                organization.integration(provider));
        Object since = partition.get(SINCE);
        Instant from = since == null ? null : Instant.parse((String) since);
        AudienceSourceFactory factory = byProvider.get(provider);
        return new SourcePages<>(
                organization.slug() + "/" + campaign.key(),
                provider,
                false,
                () -> factory.open(reading),
                (source, cursor) -> source.fetch(from, cursor),
                AudienceSource::location);
    }

    @Bean
    @StepScope
    public ItemStreamReader<ImportLine<IncomingRecipient>> recipientSyncReader(
            SourcePages<AudienceSource, IncomingRecipient> audienceSourcePages) {
        return new SourceReader<>("recipientCsvReader", audienceSourcePages, audienceSourcePages);
    }

    @Bean
    @StepScope
    public RecipientSyncWriter recipientSyncWriter(
            @Value("#{stepExecutionContext}") Map<String, Object> partition,
            SourcePages<AudienceSource, IncomingRecipient> audienceSourcePages,
            OrganizationRepository organizations,
            RecipientRepository recipients,
            RecipientCreation creation,
            RecipientSyncCheckpoints checkpoints,
            RejectedRows rejectedRows) {
        Organization organization = organization(organizations, (String) partition.get(ORG));
        Long campaign = (Long) partition.get(CAMPAIGN);
        return new RecipientSyncWriter(
                organization,
                audienceSourcePages::location,
                recipients,
                creation,
                rejectedRows,
                campaign == null ? null : new RecipientSyncWriter.SegmentRun(campaign, checkpoints));
    }

    static Organization organization(OrganizationRepository organizations, String org) {
        if (org == null) {
            throw new IllegalStateException("recipient-sync needs an org=... parameter to import a file");
        }
        return organizations
                .findBySlug(org)
                .orElseThrow(() -> new IllegalStateException("unknown organization '" + org + "'"));
    }

    /** Records each campaign's run as its partition starts, and ends it when the partition completes. */
    @Component
    public static class RecipientSyncRunListener implements StepExecutionListener {
        private final RecipientSyncCheckpoints checkpoints;
        private final JobRepository jobRepository;

        public RecipientSyncRunListener(RecipientSyncCheckpoints checkpoints, JobRepository jobRepository) {
            this.checkpoints = checkpoints;
            this.jobRepository = jobRepository;
        }

        @Override
        public void beforeStep(StepExecution step) {
            ExecutionContext partition = step.getExecutionContext();
            if (!partition.containsKey(CAMPAIGN)) {
                return;
            }
            long campaign = partition.getLong(CAMPAIGN);
            JobExecution execution = step.getJobExecution();
            List<Long> earlier = jobRepository.getJobExecutions(execution.getJobInstance()).stream()
                    .map(JobExecution::getId)
                    .filter(id -> id.longValue() != execution.getId())
                    .toList();
            Instant checkpoint =
                    partition.containsKey(CHECKPOINT) ? Instant.parse(partition.getString(CHECKPOINT)) : null;
            Optional<Instant[]> resumed = checkpoints.resumed(earlier, campaign);
            Instant before = resumed.map(r -> r[0]).orElse(checkpoint);
            Instant after = resumed.map(r -> r[1]).orElse(before);
            checkpoints.startRun(execution.getId(), campaign, before, after);
        }

        @Override
        public ExitStatus afterStep(StepExecution step) {
            if (step.getStatus() == BatchStatus.COMPLETED
                    && step.getExecutionContext().containsKey(CAMPAIGN)) {
                checkpoints.completeRun(
                        step.getJobExecutionId(), step.getExecutionContext().getLong(CAMPAIGN));
            }
            return step.getExitStatus();
        }
    }
}
