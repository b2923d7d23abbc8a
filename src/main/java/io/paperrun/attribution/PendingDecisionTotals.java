package io.paperrun.attribution;

import io.paperrun.batch.StepTotals;
import java.util.OptionalLong;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The total of attribution-processing's decide step: the unprocessed attributions (of its org) as it starts. */
@Component
public class PendingDecisionTotals implements StepTotals {

    private final JdbcClient jdbc;

    public PendingDecisionTotals(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public OptionalLong of(StepExecution step) {
        if (!AttributionProcessingJobConfig.DECIDE_STEP.equals(step.getStepName())) {
            return OptionalLong.empty();
        }
        String org = step.getJobExecution().getJobParameters().getString("org");
        return OptionalLong.of(jdbc.sql("""
                        SELECT count(*) FROM attribution_pending
                        WHERE CAST(:org AS text) IS NULL
                           OR organization_id = (SELECT o.id FROM organization o WHERE o.slug = :org)
                        """)
                .param("org", org == null || org.isBlank() ? null : org)
                .query(Long.class)
                .single());
    }
}
