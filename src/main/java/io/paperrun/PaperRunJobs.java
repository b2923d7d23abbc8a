package io.paperrun;

import io.paperrun.attribution.AttributionProcessingJobConfig;
import io.paperrun.attribution.AttributionRerunJobConfig;
import io.paperrun.batch.JobCatalog;
import io.paperrun.enrichment.AddressEnrichmentJobConfig;
import io.paperrun.experiment.ExperimentReportJobConfig;
import io.paperrun.mailing.DeliveryTrackingJobConfig;
import io.paperrun.mailing.MailingJobConfig;
import io.paperrun.order.OrderSyncJobConfig;
import io.paperrun.proofing.CodeImportJobConfig;
import io.paperrun.proofing.ProofingJobConfig;
import io.paperrun.recipient.DoNotMailImportJobConfig;
import io.paperrun.recipient.RecipientSyncJobConfig;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The job catalog: one entry per job of the interface, in the order of the flow, and the internal jobs that back a
 * command of the interface without being named by it ({@code do-not-mail-import}, {@code import do-not-mail}'s; {@code code-import}, {@code import codes}'s). A job of this version declares its entry in its
 * configuration; the command line reads the catalog before the application starts.
 */
@Configuration(proxyBeanMethods = false)
public class PaperRunJobs {

    public static final JobCatalog CATALOG = new JobCatalog(List.of(
            DoNotMailImportJobConfig.DEFINITION,
            CodeImportJobConfig.DEFINITION,
            RecipientSyncJobConfig.DEFINITION,
            AddressEnrichmentJobConfig.DEFINITION,
            ProofingJobConfig.DEFINITION,
            MailingJobConfig.DEFINITION,
            DeliveryTrackingJobConfig.DEFINITION,
            OrderSyncJobConfig.DEFINITION,
            AttributionProcessingJobConfig.DEFINITION,
            AttributionRerunJobConfig.DEFINITION,
            ExperimentReportJobConfig.DEFINITION));

    /** The catalog, for the beans that read it (the run guard, the launches). */
    @Bean
    public JobCatalog jobCatalog() {
        return CATALOG;
    }
}
