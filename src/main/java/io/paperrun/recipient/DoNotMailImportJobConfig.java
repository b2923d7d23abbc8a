package io.paperrun.recipient;

import io.paperrun.batch.BatchSettings;
import io.paperrun.batch.ImportLine;
import io.paperrun.batch.ImportWriter;
import io.paperrun.batch.JobDefinition;
import io.paperrun.batch.JobLifecycleListener;
import io.paperrun.batch.RejectedRows;
import io.paperrun.batch.SourceReader;
import io.paperrun.organization.OrganizationRepository;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * do-not-mail-import: adds a CSV file's rows to an organization's do-not-mail list ({@code import do-not-mail});
 * not a job of the interface's list, but the job behind that command, so that its runs are listed and restartable.
 */
@Configuration
public class DoNotMailImportJobConfig {

    public static final String JOB = "do-not-mail-import";

    /** The step that reads the file; its counts are the job's. */
    public static final String CSV_STEP = "do-not-mail-import-csv";

    public static final JobDefinition DEFINITION = JobDefinition.job(JOB, "as 'paperrun import do-not-mail'")
            .taking(
                    JobDefinition.Parameter.required("org", "SLUG"),
                    JobDefinition.Parameter.file("file", "do-not-mail"))
            .countedBy(CSV_STEP);

    @Bean
    public Job doNotMailImportJob(
            JobRepository jobRepository, Step doNotMailImportStep, JobLifecycleListener lifecycle) {
        return new JobBuilder(JOB, jobRepository)
                .start(doNotMailImportStep)
                .listener(lifecycle)
                .build();
    }

    @Bean
    public Step doNotMailImportStep(
            JobRepository jobRepository,
            PlatformTransactionManager transactionManager,
            ItemStreamReader<ImportLine<List<DoNotMailList.Entry>>> doNotMailReader,
            DoNotMailWriter doNotMailWriter,
            BatchSettings settings) {
        return new StepBuilder(CSV_STEP, jobRepository)
                .<ImportLine<List<DoNotMailList.Entry>>, ImportLine<List<DoNotMailList.Entry>>>chunk(
                        settings.chunkSize())
                .transactionManager(transactionManager)
                .reader(doNotMailReader)
                .writer(doNotMailWriter)
                .listener(doNotMailWriter)
                .build();
    }

    @Bean
    @StepScope
    public ItemStreamReader<ImportLine<List<DoNotMailList.Entry>>> doNotMailReader(
            @Value("#{jobParameters}") Map<String, Object> parameters, DoNotMailSource.Factory sources) {
        DoNotMailSource source = sources.open(values(parameters));
        return new SourceReader<>("doNotMailCsvReader", source::fetch, source);
    }

    @Bean
    @StepScope
    public DoNotMailWriter doNotMailWriter(
            @Value("#{jobParameters}") Map<String, Object> parameters,
            OrganizationRepository organizations,
            DoNotMailList list,
            RejectedRows rejectedRows,
            DoNotMailSource.Factory sources)
            throws Exception {
        String org = (String) parameters.get("org");
        long organizationId = organizations
                .findBySlug(org)
                .orElseThrow(() -> new IllegalStateException("unknown organization '" + org + "'"))
                .id();
        String location;
        try (DoNotMailSource source = sources.open(values(parameters))) {
            location = source.location();
        }
        return new DoNotMailWriter(organizationId, location, list, rejectedRows);
    }

    private static Map<String, String> values(Map<String, Object> parameters) {
        Map<String, String> values = new HashMap<>();
        parameters.forEach((name, value) -> values.put(name, String.valueOf(value)));
        return values;
    }

    /** Adds a chunk's entries to the list and records its rejected rows, in one transaction. */
    public static class DoNotMailWriter extends ImportWriter<List<DoNotMailList.Entry>> {

        private final long organizationId;
        private final DoNotMailList list;

        public DoNotMailWriter(long organizationId, String source, DoNotMailList list, RejectedRows rejectedRows) {
            super(source, rejectedRows, entries -> entries);
            this.organizationId = organizationId;
            this.list = list;
        }

        @Override
        protected void writeAccepted(List<List<DoNotMailList.Entry>> rows, int lines, int rejected) {
            List<DoNotMailList.Entry> entries = new ArrayList<>();
            rows.forEach(entries::addAll);
            list.add(organizationId, entries);
        }
    }
}
