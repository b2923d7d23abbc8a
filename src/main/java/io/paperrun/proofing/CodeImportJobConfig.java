package io.paperrun.proofing;

import io.paperrun.batch.BatchSettings;
import io.paperrun.batch.ImportLine;
import io.paperrun.batch.ImportWriter;
import io.paperrun.batch.JobDefinition;
import io.paperrun.batch.JobLifecycleListener;
import io.paperrun.batch.RejectedRows;
import io.paperrun.batch.SourceReader;
import io.paperrun.campaign.Campaign;
import io.paperrun.campaign.CampaignRepository;
import io.paperrun.organization.Organization;
import io.paperrun.organization.OrganizationRepository;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * code-import: adds a CSV file's codes to a campaign's pool of unique discount codes ({@code import codes}); not a
 * job of the interface's list, but the job behind that command, so that its runs are listed and restartable. A code
 * already in the pool is left as it is; one a recipient of the organization holds, or in another campaign's pool of
 * the organization, is rejected, since an order's code would then name two recipients.
 */
@Configuration
public class CodeImportJobConfig {

    public static final String JOB = "code-import";

    /** The step that reads the file; its counts are the job's. */
    public static final String CSV_STEP = "code-import-csv";

    public static final JobDefinition DEFINITION = JobDefinition.job(JOB, "as 'paperrun import codes'")
            .taking(
                    JobDefinition.Parameter.required("org", "SLUG"),
                    JobDefinition.Parameter.required("campaign", "KEY"),
                    JobDefinition.Parameter.file("file", "codes"))
            .countedBy(CSV_STEP);

    @Bean
    public Job codeImportJob(JobRepository jobRepository, Step codeImportStep, JobLifecycleListener lifecycle) {
        return new JobBuilder(JOB, jobRepository)
                .start(codeImportStep)
                .listener(lifecycle)
                .build();
    }

    @Bean
    public Step codeImportStep(
            JobRepository jobRepository,
            PlatformTransactionManager transactionManager,
            ItemStreamReader<ImportLine<String>> codeReader,
            CodeImportWriter codeImportWriter,
            BatchSettings settings) {
        return new StepBuilder(CSV_STEP, jobRepository)
                .<ImportLine<String>, ImportLine<String>>chunk(settings.chunkSize())
                .transactionManager(transactionManager)
                .reader(codeReader)
                .writer(codeImportWriter)
                .listener(codeImportWriter)
                .build();
    }

    @Bean
    @StepScope
    public ItemStreamReader<ImportLine<String>> codeReader(
            @Value("#{jobParameters}") Map<String, Object> parameters, DiscountCodeSource.Factory sources) {
        DiscountCodeSource source = sources.open(values(parameters));
        return new SourceReader<>("codeCsvReader", source::fetch, source);
    }

    @Bean
    @StepScope
    public CodeImportWriter codeImportWriter(
            @Value("#{jobParameters}") Map<String, Object> parameters,
            OrganizationRepository organizations,
            CampaignRepository campaigns,
            DiscountCodePool pool,
            RejectedRows rejectedRows,
            DiscountCodeSource.Factory sources)
            throws Exception {
        String org = (String) parameters.get("org");
        String key = (String) parameters.get("campaign");
        Organization organization = organizations
                .findBySlug(org)
                .orElseThrow(() -> new IllegalStateException("unknown organization '" + org + "'"));
        Campaign campaign = campaigns
                .find(organization.id(), key)
                .orElseThrow(() -> new IllegalStateException("unknown campaign '" + key + "' of " + org));
        String location;
        try (DiscountCodeSource source = sources.open(values(parameters))) {
            location = source.location();
        }
        return new CodeImportWriter(organization.id(), campaign.id(), location, pool, rejectedRows);
    }

    private static Map<String, String> values(Map<String, Object> parameters) {
        Map<String, String> values = new HashMap<>();
        parameters.forEach((name, value) -> values.put(name, String.valueOf(value)));
        return values;
    }

    /**
     * Adds a chunk's codes to the pool and records its rejected rows, in one transaction: codes that conflict with
     * the organization's other codes are rejected with the reason, naming the line.
     */
    public static class CodeImportWriter extends ImportWriter<String> {

        private final long organizationId;
        private final long campaignId;
        private final DiscountCodePool pool;

        public CodeImportWriter(
                long organizationId, long campaignId, String source, DiscountCodePool pool, RejectedRows rejectedRows) {
            super(source, rejectedRows, code -> code.toUpperCase(Locale.ROOT));
            this.organizationId = organizationId;
            this.campaignId = campaignId;
            this.pool = pool;
        }

        @Override
        public void write(Chunk<? extends ImportLine<String>> chunk) {
            List<String> codes = new ArrayList<>();
            for (ImportLine<String> line : chunk) {
                if (line instanceof ImportLine.Accepted<String> accepted) {
                    codes.add(accepted.value().toUpperCase(Locale.ROOT));
                }
            }
            Map<String, DiscountCodePool.Conflict> conflicts = pool.conflicts(organizationId, campaignId, codes);
            List<ImportLine<String>> checked = new ArrayList<>(chunk.size());
            for (ImportLine<String> line : chunk) {
                DiscountCodePool.Conflict conflict = line instanceof ImportLine.Accepted<String> accepted
                        ? conflicts.get(accepted.value().toUpperCase(Locale.ROOT))
                        : null;
                if (conflict == DiscountCodePool.Conflict.HELD_BY_A_RECIPIENT
                        || conflict == DiscountCodePool.Conflict.IN_ANOTHER_POOL) {
                    String code = ((ImportLine.Accepted<String>) line).value();
                    checked.add(new ImportLine.Rejected<>(line.line(), code, reason(code, conflict), code));
                } else {
                    checked.add(line);
                }
            }
            super.write(new Chunk<>(checked));
        }

        private static String reason(String code, DiscountCodePool.Conflict conflict) {
            return "code " + code
                    + (conflict == DiscountCodePool.Conflict.HELD_BY_A_RECIPIENT
                            ? " is already a recipient's code in this organization"
                            : " is already in another campaign's pool of this organization");
        }

        @Override
        protected void writeAccepted(List<String> codes, int lines, int rejected) {
            pool.add(campaignId, codes);
        }
    }
}
