package io.paperrun.experiment;

import io.paperrun.batch.BatchSettings;
import io.paperrun.batch.Cadence;
import io.paperrun.batch.JobDefinition;
import io.paperrun.batch.JobLifecycleListener;
import io.paperrun.batch.KeysetPagingReader;
import io.paperrun.batch.RunSummary;
import io.paperrun.campaign.Campaign;
import io.paperrun.campaign.CampaignRepository;
import io.paperrun.organization.Organization;
import io.paperrun.organization.OrganizationRepository;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.Chunk;
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
 * experiment-report (optional parameter {@code org}): writes the reports of every campaign that holds recipients
 * out (but archived ones), a campaign per chunk, under {@link ReportFiles}; run after attribution-processing, so
 * that they count every decided order. A restart goes on from the campaign after the last one written.
 */
@Configuration
public class ExperimentReportJobConfig {

    public static final String JOB = "experiment-report";

    public static final String WRITE_STEP = "experiment-report-write";

    public static final JobDefinition DEFINITION = JobDefinition.job(
                    JOB, "write every holdout campaign's reports (DATA_DIR/reports)")
            .taking(JobDefinition.Parameter.optional("org", "SLUG"))
            .repeatable()
            .countedBy(WRITE_STEP)
            .scheduled(Cadence.parse("0 0 5 * * *"));

    @Bean
    public Job experimentReportJob(
            JobRepository jobRepository, Step experimentReportStep, JobLifecycleListener lifecycle) {
        return new JobBuilder(JOB, jobRepository)
                .start(experimentReportStep)
                .listener(lifecycle)
                .build();
    }

    @Bean
    public Step experimentReportStep(
            JobRepository jobRepository,
            PlatformTransactionManager transactionManager,
            JdbcPagingItemReader<Long> holdoutCampaignReader,
            ItemProcessor<Long, ReportFiles.CampaignFiles> campaignReportRenderer,
            ReportFilesWriter reportFilesWriter) {
        return new StepBuilder(WRITE_STEP, jobRepository)
                .<Long, ReportFiles.CampaignFiles>chunk(1)
                .transactionManager(transactionManager)
                .reader(holdoutCampaignReader)
                .processor(campaignReportRenderer)
                .writer(reportFilesWriter)
                .listener(reportFilesWriter)
                .build();
    }

    /** The ids of the campaigns that hold recipients out, but archived ones, of the organization if given. */
    @Bean
    @StepScope
    public JdbcPagingItemReader<Long> holdoutCampaignReader(
            @Value("#{jobParameters['org']}") String org, DataSource dataSource, BatchSettings settings)
            throws Exception {
        PostgresPagingQueryProvider query = new PostgresPagingQueryProvider();
        query.setSelectClause("SELECT id");
        query.setFromClause("FROM (SELECT c.id FROM campaign c JOIN organization o ON o.id = c.organization_id"
                + " WHERE c.status <> 'archived' AND (o.slug = :org OR CAST(:org AS text) IS NULL)"
                + " AND (c.holdout_enabled OR EXISTS (SELECT 1 FROM recipient r"
                + " WHERE r.campaign_id = c.id AND r.status = 'holdout'))) holdout_campaign");
        query.setSortKeys(Map.of("id", Order.ASCENDING));
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("org", org);
        return new KeysetPagingReader.Builder<Long>()
                .name("holdoutCampaignReader")
                .dataSource(dataSource)
                .queryProvider(query)
                .parameterValues(parameters)
                .pageSize(1) // a chunk is a page: see KeysetPagingReader
                .rowMapper((rs, i) -> rs.getLong(1))
                .build();
    }

    /** A campaign's reports, both metrics and the campaign's own, rendered. */
    @Bean
    public ItemProcessor<Long, ReportFiles.CampaignFiles> campaignReportRenderer(
            Reports reports, CampaignRepository campaigns, OrganizationRepository organizations) {
        return campaignId -> {
            Campaign campaign = campaigns.findById(campaignId).orElse(null);
            if (campaign == null) {
                return null; // removed since it was read: nothing to report
            }
            Organization organization =
                    organizations.findById(campaign.organizationId()).orElseThrow();
            Map<ExperimentMetric, ExperimentReport> experiments = new EnumMap<>(ExperimentMetric.class);
            for (ExperimentMetric metric : ExperimentMetric.values()) {
                experiments.put(
                        metric,
                        reports.experiment(organization, campaign, metric, ExperimentInput.DEFAULT_ALPHA, true));
            }
            return ReportFiles.render(experiments, reports.campaign(organization, campaign));
        };
    }

    @Bean
    @StepScope
    public ReportFilesWriter reportFilesWriter(ReportFiles files) {
        return new ReportFilesWriter(files);
    }

    /** Writes each campaign's files and says where, in the step's summary. */
    public static class ReportFilesWriter implements ItemWriter<ReportFiles.CampaignFiles>, StepExecutionListener {

        private static final String WRITTEN = "campaigns.written";

        private final ReportFiles files;
        private StepExecution step;

        ReportFilesWriter(ReportFiles files) {
            this.files = files;
        }

        @Override
        public void beforeStep(StepExecution stepExecution) {
            this.step = stepExecution;
        }

        @Override
        public void write(Chunk<? extends ReportFiles.CampaignFiles> chunk) throws Exception {
            long written = step.getExecutionContext().getLong(WRITTEN, 0);
            for (ReportFiles.CampaignFiles campaign : chunk) {
                files.write(campaign);
                written++;
            }
            step.getExecutionContext().putLong(WRITTEN, written);
            step.getExecutionContext()
                    .putString(
                            RunSummary.KEY,
                            "reports of " + written + " campaign" + (written == 1 ? "" : "s") + " written under "
                                    + files.directory().toAbsolutePath() + " (ORG/CAMPAIGN/)");
        }
    }
}
