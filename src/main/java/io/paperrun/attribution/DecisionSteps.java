package io.paperrun.attribution;

import io.paperrun.batch.BatchSettings;
import io.paperrun.batch.IdKeysetReader;
import io.paperrun.batch.PartitionedSteps;
import io.paperrun.batch.Partitions;
import io.paperrun.organization.OrganizationRepository;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ItemReader;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The steps that decide attributions (stage B) and queue them again, as every job that writes attributions
 * builds them: attribution-processing, attribution-rerun and order-sync.
 */
@Component
public class DecisionSteps {

    private final JobRepository jobRepository;
    private final PlatformTransactionManager transactionManager;
    private final AttributionStore attributions;
    private final OrganizationRepository organizations;
    private final AttributionDecisionWriter writer;
    private final JdbcClient jdbc;
    private final DataSource dataSource;
    private final BatchSettings settings;
    private final PartitionedSteps partitionedSteps;

    public DecisionSteps(
            JobRepository jobRepository,
            PlatformTransactionManager transactionManager,
            AttributionStore attributions,
            OrganizationRepository organizations,
            AttributionDecisionWriter writer,
            JdbcClient jdbc,
            DataSource dataSource,
            BatchSettings settings,
            PartitionedSteps partitionedSteps) {
        this.jobRepository = jobRepository;
        this.transactionManager = transactionManager;
        this.attributions = attributions;
        this.organizations = organizations;
        this.writer = writer;
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.settings = settings;
        this.partitionedSteps = partitionedSteps;
    }

    /**
     * Queues again for stage B the decided attributions that recorded changes affect (of the job's {@code org},
     * or of every organization), then refreshes the attributions' planner statistics.
     */
    public Step requeue(String name) {
        return new StepBuilder(name, jobRepository)
                .tasklet(
                        (contribution, chunkContext) -> {
                            String org = contribution
                                    .getStepExecution()
                                    .getJobExecution()
                                    .getJobParameters()
                                    .getString("org");
                            Long organizationId = org == null || org.isBlank()
                                    ? null
                                    : organizations
                                            .findBySlug(org)
                                            .orElseThrow(() ->
                                                    new IllegalStateException("unknown organization '" + org + "'"))
                                            .id();
                            contribution.getStepExecution().setWriteCount(attributions.requeuePending(organizationId));
                            jdbc.sql("ANALYZE attribution").update();
                            return RepeatStatus.FINISHED;
                        },
                        transactionManager)
                .build();
    }

    /**
     * Stage B in {@code paperrun.batch.partitions} partitions by ranges of attribution ids, run side by side or on
     * workers ({@link PartitionedSteps}):
     * a decision reads no other decision, so the partitions never wait on each other.
     */
    public Step decideInPartitions(String name, ItemReader<Long> reader, Partitioner ranges) {
        return partitionedSteps.of(name, decide(name, reader), ranges, settings.partitions());
    }

    /** Stage B, chunk by chunk, for the attribution ids {@code reader} gives. */
    public Step decide(String name, ItemReader<Long> reader) {
        return new StepBuilder(name, jobRepository)
                .<Long, Long>chunk(settings.chunkSize())
                .transactionManager(transactionManager)
                .reader(reader)
                .writer(writer)
                .build();
    }

    /**
     * The ids of the unprocessed attributions (of one organization, by slug, or all; only the holdout ones or
     * all), split in equal spans when the step starts.
     */
    public Partitioner pendingRanges(String org, boolean holdoutOnly) {
        return Partitions.byIdRange(() -> jdbc.sql("""
                        SELECT min(attribution_id), max(attribution_id) FROM attribution_pending
                        WHERE (NOT :holdoutOnly OR holdout)
                          AND (CAST(:org AS text) IS NULL
                               OR organization_id = (SELECT o.id FROM organization o WHERE o.slug = :org))
                        HAVING count(*) > 0
                        """)
                .param("org", org == null || org.isBlank() ? null : org)
                .param("holdoutOnly", holdoutOnly)
                .query((rs, i) -> new long[] {rs.getLong(1), rs.getLong(2)})
                .optional()
                .orElse(null));
    }

    /**
     * Unprocessed attributions (stage B's queue, {@code attribution_pending}) by id, of one organization (by slug)
     * or all, only the holdout ones or all, with ids in [from, to) (or all), of the orders attribution-rerun's
     * instance {@code rerunInstance} selected (or all).
     */
    public JdbcPagingItemReader<Long> pendingReader(
            String name, String org, boolean holdoutOnly, Long from, Long to, Long rerunInstance) throws Exception {
        Map<String, Object> parameters = new HashMap<>();
        List<String> conditions = new ArrayList<>();
        if (holdoutOnly) {
            conditions.add("holdout");
        }
        if (from != null && to != null) {
            conditions.add("attribution_id >= :from AND attribution_id < :to");
            parameters.put("from", from);
            parameters.put("to", to);
        }
        if (org != null && !org.isBlank()) {
            conditions.add("organization_id = (SELECT o.id FROM organization o WHERE o.slug = :org)");
            parameters.put("org", org);
        }
        if (rerunInstance != null) {
            conditions.add("""
                    EXISTS (SELECT 1 FROM attribution a
                            JOIN attribution_rerun_order s ON s.order_id = a.order_id AND s.job_instance_id = :rerun
                            WHERE a.id = attribution_pending.attribution_id)""");
            parameters.put("rerun", rerunInstance);
        }
        String where = conditions.isEmpty() ? null : "WHERE " + String.join(" AND ", conditions);
        return IdKeysetReader.of(
                name,
                dataSource,
                "attribution_id",
                "FROM attribution_pending",
                where,
                parameters,
                settings.chunkSize());
    }
}
