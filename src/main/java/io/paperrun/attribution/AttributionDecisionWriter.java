package io.paperrun.attribution;

import io.paperrun.batch.TextArray;
import io.paperrun.campaign.CampaignStatus;
import io.paperrun.campaign.FlowTrigger;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Stage B's writer: decides a chunk of attributions, set-based (three reads and one update), with
 * {@link AttributionRules} deciding each in memory.
 */
@Component
public class AttributionDecisionWriter implements ItemWriter<Long> {

    private final JdbcClient jdbc;

    public AttributionDecisionWriter(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void write(Chunk<? extends Long> chunk) {
        decide(new ArrayList<>(chunk.getItems()));
    }

    private record Pending(
            long id,
            String version,
            long campaignId,
            Long recipientId,
            AttributionRules.Attributed attributed,
            AttributionRules.Recipient recipient) {}

    /**
     * Decides and stores the given attributions; returns how many passed the rules. An attribution
     * that another transaction changed since it was read here (a concurrent sync re-matched it) is
     * left unprocessed, for the next run to decide on its new state.
     */
    public int decide(List<Long> attributionIds) {
        if (attributionIds.isEmpty()) {
            return 0;
        }
        long[] ids = attributionIds.stream().mapToLong(Long::longValue).toArray();
        List<Pending> pending = jdbc.sql("""
                SELECT a.id, a.campaign_id, a.recipient_id, a.order_id, a.ordered_at, a.order_value, a.method,
                       a.holdout, r.created_at, r.sent_at, a.xmin::text
                FROM unnest(?::bigint[]) AS p(id)
                JOIN attribution a ON a.id = p.id
                LEFT JOIN recipient r ON r.id = a.recipient_id
                """)
                .param(ids)
                .query((rs, i) -> new Pending(
                        rs.getLong(1),
                        rs.getString(11),
                        rs.getLong(2),
                        (Long) rs.getObject(3),
                        new AttributionRules.Attributed(
                                rs.getLong(4),
                                rs.getTimestamp(5).toInstant(),
                                rs.getBigDecimal(6),
                                AttributionMethod.of(rs.getString(7)),
                                rs.getBoolean(8)),
                        rs.getObject(3) == null
                                ? null
                                : new AttributionRules.Recipient(
                                        instant(rs.getTimestamp(9)), instant(rs.getTimestamp(10)))))
                .list();
        Map<Long, AttributionRules.Campaign> campaigns = campaigns(
                pending.stream().mapToLong(Pending::campaignId).distinct().toArray());
        Map<List<Long>, List<AttributionRules.Attributed>> history = history(pending.stream()
                .filter(p -> p.recipientId() != null)
                .mapToLong(Pending::recipientId)
                .distinct()
                .toArray());

        int n = pending.size();
        long[] outIds = new long[n];
        String[] versions = new String[n];
        boolean[] passes = new boolean[n];
        // As bigint: the driver's long[] encoder is compiled already for the ids (docs/performance.md).
        long[] counts = new long[n];
        boolean[] archived = new boolean[n];
        int passed = 0;
        for (int i = 0; i < n; i++) {
            Pending p = pending.get(i);
            List<AttributionRules.Attributed> others = p.recipientId() == null
                    ? List.of()
                    : history.getOrDefault(List.of(p.recipientId(), p.campaignId()), List.of());
            AttributionRules.Decision d =
                    AttributionRules.decide(p.attributed(), p.recipient(), campaigns.get(p.campaignId()), others);
            outIds[i] = p.id();
            versions[i] = p.version();
            passes[i] = d.passesRules();
            counts[i] = d.orderCount();
            archived[i] = d.archived();
            passed += d.passesRules() ? 1 : 0;
        }
        jdbc.sql("""
                UPDATE attribution a SET processed = true, passes_rules = d.passes, order_count = d.order_count::int,
                    archived = d.archived, updated_at = now()
                FROM unnest(:ids::bigint[], :versions::text[], :passes::boolean[], :counts::bigint[],
                    :archived::boolean[]) AS d(id, version, passes, order_count, archived)
                WHERE a.id = d.id AND a.xmin::text = d.version
                """)
                .param("ids", outIds)
                .param("versions", TextArray.of(versions))
                .param("passes", passes)
                .param("counts", counts)
                .param("archived", archived)
                .update();
        return passed;
    }

    private Map<Long, AttributionRules.Campaign> campaigns(long[] campaignIds) {
        Map<Long, AttributionRules.Campaign> out = new HashMap<>();
        jdbc.sql("""
                SELECT c.id, c.status, c.flow_trigger, c.holdout_enabled, c.end_date,
                       COALESCE(c.first_send_date,
                                (SELECT min(r.sent_at) FROM recipient r
                                 WHERE r.campaign_id = c.id AND r.sent_at IS NOT NULL)) AS first_send
                FROM campaign c WHERE c.id = ANY(?)
                """)
                .param(campaignIds)
                .query((rs, i) -> out.put(
                        rs.getLong(1),
                        new AttributionRules.Campaign(
                                CampaignStatus.of(rs.getString(2)),
                                FlowTrigger.of(rs.getString(3)),
                                rs.getBoolean(4),
                                rs.getObject(5, LocalDate.class),
                                instant(rs.getTimestamp(6)))))
                .list();
        return out;
    }

    /** Every attribution of these recipients, by (recipient, campaign). */
    private Map<List<Long>, List<AttributionRules.Attributed>> history(long[] recipientIds) {
        Map<List<Long>, List<AttributionRules.Attributed>> out = new HashMap<>();
        if (recipientIds.length == 0) {
            return out;
        }
        jdbc.sql("""
                SELECT a.recipient_id, a.campaign_id, a.order_id, a.ordered_at, a.order_value, a.method, a.holdout
                FROM unnest(?::bigint[]) AS r(id)
                JOIN attribution a ON a.recipient_id = r.id
                """)
                .param(recipientIds)
                .query((rs, i) -> out.computeIfAbsent(List.of(rs.getLong(1), rs.getLong(2)), k -> new ArrayList<>())
                        .add(new AttributionRules.Attributed(
                                rs.getLong(3),
                                rs.getTimestamp(4).toInstant(),
                                rs.getBigDecimal(5),
                                AttributionMethod.of(rs.getString(6)),
                                rs.getBoolean(7))))
                .list();
        return out;
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }
}
