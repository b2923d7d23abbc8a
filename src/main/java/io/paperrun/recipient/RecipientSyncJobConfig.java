package io.paperrun.recipient;

import io.paperrun.batch.BatchSettings;
import io.paperrun.batch.ByProvider;
import io.paperrun.batch.ImportLine;
import io.paperrun.batch.JobDefinition;
import io.paperrun.batch.JobLifecycleListener;
import io.paperrun.batch.RejectedRows;
import io.paperrun.batch.SourceReader;
import io.paperrun.campaign.Campaign;
import io.paperrun.campaign.CampaignRepository;
import io.paperrun.organization.Organization;
import io.paperrun.organization.OrganizationRepository;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * recipient-sync: loads an organization's recipients from an audience source.
 * Today the source is a CSV file ({@code import recipients}); parameters
 * {@code org}, {@code file} and {@code sha256} make the import's identity.
 */
@Configuration
public class RecipientSyncJobConfig {

    public static final String JOB = "recipient-sync";

    /** The step that reads the file; its counts are the job's. */
    public static final String CSV_STEP = "recipient-sync-csv";

    public static final JobDefinition DEFINITION = JobDefinition.job(JOB, "as 'paperrun import recipients'")
            .taking(JobDefinition.Parameter.required("org", "SLUG"), JobDefinition.Parameter.file("file", "recipients"))
            .countedBy(CSV_STEP);

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

    @Bean
    public Step recipientSyncStep(
            JobRepository jobRepository,
            PlatformTransactionManager transactionManager,
            ItemStreamReader<ImportLine<IncomingRecipient>> recipientSyncReader,
            RecipientSyncWriter recipientSyncWriter,
            BatchSettings settings) {
        return new StepBuilder(CSV_STEP, jobRepository)
                .<ImportLine<IncomingRecipient>, ImportLine<IncomingRecipient>>chunk(settings.chunkSize())
                .transactionManager(transactionManager)
                .reader(recipientSyncReader)
                .writer(recipientSyncWriter)
                .listener(recipientSyncWriter)
                .build();
    }

    @Bean
    @StepScope
    public ItemStreamReader<ImportLine<IncomingRecipient>> recipientSyncReader(
            @Value("#{jobParameters}") Map<String, Object> parameters,
            @Value("#{stepExecution}") StepExecution stepExecution,
            JobRepository jobRepository,
            OrganizationRepository organizations,
            CampaignRepository campaigns,
            List<AudienceSourceFactory> sources) {
        String org = (String) parameters.get("org");
        Organization organization = organizations
                .findBySlug(org)
                .orElseThrow(() -> new IllegalStateException("unknown organization '" + org + "'"));
        Map<String, Long> campaignIds = new HashMap<>();
        for (Campaign c : campaigns.findByOrganization(organization.id())) {
            campaignIds.put(c.key(), c.id());
        }
        AudienceSource source = source(
                sources,
                parameters,
                campaignIds,
                JobLifecycleListener.firstLaunch(jobRepository, stepExecution.getJobExecution()));
        return new SourceReader<>("recipientCsvReader", cursor -> source.fetch(null, cursor), source);
    }

    @Bean
    @StepScope
    public RecipientSyncWriter recipientSyncWriter(
            @Value("#{jobParameters}") Map<String, Object> parameters,
            OrganizationRepository organizations,
            RecipientRepository recipients,
            RecipientCreation creation,
            RejectedRows rejectedRows,
            List<AudienceSourceFactory> sources)
            throws Exception {
        String org = (String) parameters.get("org");
        Organization organization = organizations
                .findBySlug(org)
                .orElseThrow(() -> new IllegalStateException("unknown organization '" + org + "'"));
        String location;
        try (AudienceSource source = source(sources, parameters, Map.of(), null)) {
            location = source.location();
        }
        return new RecipientSyncWriter(organization, () -> location, recipients, creation, rejectedRows);
    }

    /** The audience source the organization's campaigns name: csv, the default and this version's only one. */
    private static AudienceSource source(
            List<AudienceSourceFactory> sources,
            Map<String, Object> parameters,
            Map<String, Long> campaignIds,
            Instant importTime) {
        Map<String, String> values = new HashMap<>();
        parameters.forEach((name, value) -> values.put(name, String.valueOf(value)));
        return new ByProvider<>("audience source", sources, AudienceSourceFactory::provider)
                .get(AudienceSourceFactory.DEFAULT_PROVIDER)
                .open(new AudienceReading(values.get("org"), values, campaignIds, importTime));
    }
}
