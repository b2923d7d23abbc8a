package io.paperrun.mailing;

import io.paperrun.batch.StepTotals;
import java.util.OptionalLong;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The total of mailing's send step: the proofed recipients of the active campaigns with a design (of its
 * {@code org} and {@code campaign}) as it starts.
 */
@Component
public class MailingTotals implements StepTotals {

    private final JdbcClient jdbc;

    public MailingTotals(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public OptionalLong of(StepExecution step) {
        if (!MailingJobConfig.SEND_STEP.equals(step.getStepName())) {
            return OptionalLong.empty();
        }
        JobParameters parameters = step.getJobExecution().getJobParameters();
        return OptionalLong.of(jdbc.sql("""
                        SELECT count(*) FROM recipient r
                        JOIN campaign c ON c.id = r.campaign_id JOIN organization o ON o.id = c.organization_id
                        WHERE r.status = 'proofed' AND c.status = 'active' AND c.postcard IS NOT NULL
                          AND (CAST(:org AS text) IS NULL OR o.slug = :org)
                          AND (CAST(:campaign AS text) IS NULL OR c.key = :campaign)
                        """)
                .param("org", parameters.getString("org"))
                .param("campaign", parameters.getString("campaign"))
                .query(Long.class)
                .single());
    }
}
