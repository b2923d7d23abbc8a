package io.paperrun.mailing;

import io.paperrun.batch.BatchSettings;
import io.paperrun.batch.Cadence;
import io.paperrun.batch.JobDefinition;
import io.paperrun.batch.JobLifecycleListener;
import io.paperrun.batch.KeysetPagingReader;
import io.paperrun.batch.Partitions;
import io.paperrun.batch.RunSummary;
import io.paperrun.batch.StepCounts;
import io.paperrun.campaign.CampaignRepository;
import io.paperrun.organization.OrganizationRepository;
import io.paperrun.recipient.RecipientRepository;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.partition.StepExecutionAggregator;
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
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * mailing (optional parameters {@code org} and {@code campaign}): first settles every piece left in
 * {@code sending} by an interrupted run, then sends the proofed recipients of the active campaigns, one partition
 * per campaign, each piece exactly once (pipeline-rules.md §4), then writes the print file runs not written yet.
 */
@Configuration
public class MailingJobConfig {

    private static final Logger log = LoggerFactory.getLogger(MailingJobConfig.class);

    public static final String JOB = "mailing";

    /** Settles the pieces an interrupted run left in {@code sending}; it runs at every launch and restart. */
    public static final String SETTLE_STEP = "mailing-settle";

    /** Sends the proofed recipients; its partitions are the campaigns, and its counts are the job's. */
    public static final String SEND_STEP = "mailing-send";

    /** Writes the print file runs whose pieces are committed; it runs at every launch and restart. */
    public static final String PRINT_FILES_STEP = "mailing-print-files";

    /** The most pieces to a chunk: the printer calls are made between its two commits. */
    static final int MAX_CHUNK = 100;

    /**
     * The pieces a writer sends at once unless {@code paperrun.mailing.concurrency} says: enough to keep Lob's 150
     * requests per 5 s in use while each create takes a few hundred milliseconds, across a chunk's last answers.
     */
    public static final int CONCURRENCY = 16;

    /** A partition's execution-context key: its campaign (id). */
    static final String CAMPAIGN = "campaign";

    public static final JobDefinition DEFINITION = JobDefinition.job(JOB, "send proofed postcards, exactly once")
            .taking(
                    JobDefinition.Parameter.optional("org", "SLUG"),
                    JobDefinition.Parameter.optional("campaign", "KEY"))
            .syncing()
            .countedBy(SEND_STEP)
            .scheduled(new Cadence.Jittered(Duration.ofSeconds(7), Duration.ofSeconds(15)));

    @Bean
    public Job mailingJob(
            JobRepository jobRepository,
            Step mailingSettleStep,
            Step mailingSendStep,
            Step mailingPrintFilesStep,
            JobLifecycleListener lifecycle) {
        return new JobBuilder(JOB, jobRepository)
                .start(mailingSettleStep)
                .next(mailingSendStep)
                .next(mailingPrintFilesStep)
                .listener(lifecycle)
                .build();
    }

    @Bean
    public Step mailingSettleStep(
            JobRepository jobRepository,
            PlatformTransactionManager transactionManager,
            JdbcPagingItemReader<PieceToMail> piecesToSettleReader,
            MailingWriter mailingSettleWriter,
            BatchSettings settings) {
        return new StepBuilder(SETTLE_STEP, jobRepository)
                .<PieceToMail, PieceToMail>chunk(chunkSize(settings))
                .transactionManager(transactionManager)
                .reader(piecesToSettleReader)
                .writer(mailingSettleWriter)
                .listener(mailingSettleWriter)
                .allowStartIfComplete(true)
                .build();
    }

    /**
     * The campaigns side by side, at most {@code paperrun.batch.partitions} at a time; a campaign whose printer
     * fails fails alone, and a restart runs again only the campaigns that did not complete.
     */
    @Bean
    public Step mailingSendStep(
            JobRepository jobRepository,
            PlatformTransactionManager transactionManager,
            JdbcPagingItemReader<PieceToMail> piecesToSendReader,
            MailingWriter mailingSendWriter,
            Partitioner campaignsToMail,
            BatchSettings settings) {
        Step worker = new StepBuilder(SEND_STEP, jobRepository)
                .<PieceToMail, PieceToMail>chunk(chunkSize(settings))
                .transactionManager(transactionManager)
                .reader(piecesToSendReader)
                .writer(mailingSendWriter)
                .listener(mailingSendWriter)
                .build();
        return Partitions.of(
                SEND_STEP, jobRepository, worker, campaignsToMail, settings.partitions(), new CountsAggregator());
    }

    @Bean
    public Step mailingPrintFilesStep(
            JobRepository jobRepository, PlatformTransactionManager transactionManager, Tasklet printFilesTasklet) {
        return new StepBuilder(PRINT_FILES_STEP, jobRepository)
                .tasklet(printFilesTasklet, transactionManager)
                .allowStartIfComplete(true)
                .build();
    }

    /** One partition per active campaign with proofed recipients (of {@code org} and {@code campaign} if given). */
    @Bean
    @JobScope
    public Partitioner campaignsToMail(
            @Value("#{jobParameters['org']}") String org,
            @Value("#{jobParameters['campaign']}") String campaign,
            MailingRepository recipients) {
        return gridSize -> {
            Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
            for (long id : recipients.campaignsToSend(org, campaign)) {
                ExecutionContext context = new ExecutionContext();
                context.putLong(CAMPAIGN, id);
                partitions.put(Partitions.name(partitions.size()), context);
            }
            return partitions;
        };
    }

    /** The partition's campaign's proofed recipients, by id. */
    @Bean
    @StepScope
    public JdbcPagingItemReader<PieceToMail> piecesToSendReader(
            @Value("#{stepExecutionContext['campaign']}") Long campaign, DataSource dataSource, BatchSettings settings)
            throws Exception {
        return reader(
                "piecesToSendReader",
                "WHERE campaign_id = :campaign AND status = 'proofed'",
                Map.of("campaign", campaign),
                dataSource,
                settings);
    }

    /** The recipients left in {@code sending_staged} or {@code sending}, of {@code org} and {@code campaign} if given. */
    @Bean
    @StepScope
    public JdbcPagingItemReader<PieceToMail> piecesToSettleReader(
            @Value("#{jobParameters['org']}") String org,
            @Value("#{jobParameters['campaign']}") String campaign,
            DataSource dataSource,
            BatchSettings settings)
            throws Exception {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("org", org == null ? "" : org);
        parameters.put("campaign", campaign == null ? "" : campaign);
        return reader(
                "piecesToSettleReader",
                "WHERE " + MailingRepository.TO_SETTLE
                        + " AND (:org = '' OR organization_id IN (SELECT id FROM organization WHERE slug = :org))"
                        + " AND (:campaign = '' OR campaign_id IN (SELECT id FROM campaign WHERE key = :campaign))",
                parameters,
                dataSource,
                settings);
    }

    private static JdbcPagingItemReader<PieceToMail> reader(
            String name, String where, Map<String, Object> parameters, DataSource dataSource, BatchSettings settings)
            throws Exception {
        PostgresPagingQueryProvider query = new PostgresPagingQueryProvider();
        query.setSelectClause("SELECT " + MailingRepository.COLUMNS);
        query.setFromClause("FROM recipient");
        query.setWhereClause(where);
        query.setSortKeys(Map.of("id", Order.ASCENDING));
        return new KeysetPagingReader.Builder<PieceToMail>()
                .name(name)
                .dataSource(dataSource)
                .queryProvider(query)
                .parameterValues(parameters)
                .pageSize(chunkSize(settings))
                .rowMapper(MailingRepository::map)
                .build();
    }

    @Bean
    @StepScope
    public MailingWriter mailingSendWriter(
            @Value("#{stepExecution.jobExecutionId}") Long jobExecutionId,
            MailingWriter.Services services,
            @Value("${paperrun.mailing.concurrency:" + CONCURRENCY + "}") int concurrency) {
        return new MailingWriter(MailingWriter.Mode.SEND, jobExecutionId, services, concurrency);
    }

    @Bean
    @StepScope
    public MailingWriter mailingSettleWriter(
            @Value("#{stepExecution.jobExecutionId}") Long jobExecutionId,
            MailingWriter.Services services,
            @Value("${paperrun.mailing.concurrency:" + CONCURRENCY + "}") int concurrency) {
        return new MailingWriter(MailingWriter.Mode.SETTLE, jobExecutionId, services, concurrency);
    }

    @Bean
    public MailingWriter.Services mailingServices(
            MailingRepository recipients,
            RecipientRepository requeue,
            OrganizationRepository organizations,
            CampaignRepository campaigns,
            Printers printers,
            ProofFiles proofs,
            PlatformTransactionManager transactionManager) {
        TransactionTemplate own = new TransactionTemplate(transactionManager);
        own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        return new MailingWriter.Services(recipients, requeue, organizations, campaigns, printers, proofs, own);
    }

    /** Writes the print runs not written yet (of {@code org} and {@code campaign} if given) and says where. */
    @Bean
    @StepScope
    public Tasklet printFilesTasklet(
            @Value("#{jobParameters['org']}") String org,
            @Value("#{jobParameters['campaign']}") String campaign,
            PrintFiles printFiles) {
        return (contribution, chunkContext) -> {
            List<PrintFiles.WrittenRun> written = printFiles.writeUnwritten(org, campaign);
            StringBuilder summary = new StringBuilder();
            for (PrintFiles.WrittenRun run : written) {
                log.info(
                        "{}/{}: {} postcards in print file {}",
                        run.organization(),
                        run.campaign(),
                        run.pieces(),
                        run.directory());
                summary.append(run.organization())
                        .append('/')
                        .append(run.campaign())
                        .append(": ")
                        .append(run.pieces())
                        .append(" postcards in ")
                        .append(run.directory().resolve("postcards.pdf"))
                        .append('\n');
            }
            contribution.incrementWriteCount(written.size());
            chunkContext
                    .getStepContext()
                    .getStepExecution()
                    .getExecutionContext()
                    .putString(RunSummary.KEY, summary.toString());
            return RepeatStatus.FINISHED;
        };
    }

    private static int chunkSize(BatchSettings settings) {
        return Math.min(settings.chunkSize(), MAX_CHUNK);
    }

    /** The partitions' counts, the sums of what they mailed, and the run's line saying so. */
    static final class CountsAggregator implements StepExecutionAggregator {

        private final StepExecutionAggregator counts = StepCounts.aggregator(MailingCounts::new);

        @Override
        public void aggregate(StepExecution result, Collection<StepExecution> executions) {
            counts.aggregate(result, executions);
            result.getExecutionContext()
                    .putString(RunSummary.KEY, "postcards: " + StepCounts.of(List.of(result), MailingCounts::new));
        }
    }
}
