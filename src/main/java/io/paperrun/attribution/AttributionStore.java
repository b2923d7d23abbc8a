package io.paperrun.attribution;

import io.paperrun.batch.CopyRows;
import io.paperrun.batch.TextArray;
import java.math.BigDecimal;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Stores stage A's results: one attribution per order, written only where the
 * match changed. Whatever changes queues stage B for the attribution and, once
 * the step's chunks have committed ({@link #requeuePending}), for the same
 * recipient's later decided attributions in the campaign, whose repeat-order
 * rule and order_count depend on it.
 */
@Repository
public class AttributionStore {

    private static final Logger log = LoggerFactory.getLogger(AttributionStore.class);

    private final JdbcClient jdbc;
    private final DataSource dataSource;

    public AttributionStore(JdbcClient jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
    }

    /** An order of the chunk and what stage A decided for it. */
    public record Matched(
            long orderId,
            String providerOrderId,
            Instant orderedAt,
            BigDecimal orderValue,
            MatchResult result,
            boolean orderIsNew,
            boolean reprocess) {}

    private record Existing(
            long campaignId,
            Long recipientId,
            String method,
            boolean holdout,
            Instant orderedAt,
            BigDecimal orderValue,
            int duplicates) {}

    /**
     * Whether any attribution of the organization is decided (processed). Within a step that stores
     * attributions none becomes decided (stage B and the holdout step run after it, and the jobs that write
     * attributions run one at a time), so a writer asks once, when its step starts: with none decided (an
     * organization's first sync, typically its largest), there is nothing that a change could queue again.
     */
    public boolean anyDecided(long organizationId) {
        return Boolean.TRUE.equals(
                jdbc.sql("SELECT EXISTS (SELECT 1 FROM attribution WHERE organization_id = ? AND processed)")
                        .param(organizationId)
                        .query(Boolean.class)
                        .single());
    }

    /**
     * Writes a chunk's attributions, and records the re-queueing of the decided attributions its changes
     * affect ({@code attribution_requeue}), for {@link #requeuePending} once the chunks of the step have all
     * committed: writers running side by side then neither wait on nor miss each other's attributions. With
     * {@code anyDecided} false ({@link #anyDecided} at the start of the step) the lookup of those is skipped:
     * nothing can depend on the changes.
     */
    public void store(long organizationId, List<Matched> chunk, boolean anyDecided) {
        store(organizationId, chunk, anyDecided, null);
    }

    /**
     * {@link #store(long, List, boolean)} for attribution-rerun's instance {@code rerunInstance}: the dependents
     * it records are its own ({@link #requeueForRerun}).
     */
    public void store(long organizationId, List<Matched> chunk, boolean anyDecided, Long rerunInstance) {
        long[] known = chunk.stream()
                .filter(m -> !m.orderIsNew())
                .mapToLong(Matched::orderId)
                .toArray();
        Map<Long, Existing> existing = new HashMap<>();
        if (known.length > 0) {
            jdbc.sql("""
                    SELECT order_id, campaign_id, recipient_id, method, holdout, ordered_at, order_value,
                           duplicate_candidates
                    FROM attribution WHERE order_id = ANY(?)
                    """)
                    .param(known)
                    .query((rs, i) -> existing.put(
                            rs.getLong(1),
                            new Existing(
                                    rs.getLong(2),
                                    (Long) rs.getObject(3),
                                    rs.getString(4),
                                    rs.getBoolean(5),
                                    rs.getTimestamp(6).toInstant(),
                                    rs.getBigDecimal(7),
                                    rs.getInt(8))))
                    .list();
        }
        List<Long> deletes = new ArrayList<>();
        List<Matched> writes = new ArrayList<>();
        List<Long> requeue = new ArrayList<>();
        Affected dependents = new Affected();
        for (Matched m : chunk) {
            Existing old = existing.get(m.orderId());
            MatchResult r = m.result();
            Existing now = r.isAttributed()
                    ? new Existing(
                            r.campaignId(),
                            r.recipientId(),
                            r.method().code(),
                            r.holdout(),
                            m.orderedAt(),
                            m.orderValue(),
                            r.duplicateCandidates())
                    : null;
            if (Objects.equals(old, now)) {
                if (now != null && m.reprocess()) {
                    requeue.add(m.orderId());
                    dependents.add(now);
                }
                continue;
            }
            if (now == null) {
                deletes.add(m.orderId());
            } else {
                writes.add(m);
                dependents.add(now);
            }
            if (old != null) {
                dependents.add(old);
            }
        }
        if (!deletes.isEmpty()) {
            jdbc.sql("DELETE FROM attribution WHERE order_id = ANY(?)")
                    .param(deletes.stream().mapToLong(Long::longValue).toArray())
                    .update();
        }
        if (!writes.isEmpty()) {
            List<Matched> ofNewOrders =
                    writes.stream().filter(Matched::orderIsNew).toList();
            if (!ofNewOrders.isEmpty()) {
                insertOfNewOrders(organizationId, ofNewOrders);
            }
            if (ofNewOrders.size() < writes.size()) {
                upsert(
                        organizationId,
                        writes.stream().filter(m -> !m.orderIsNew()).toList());
            }
            logDuplicateCandidates(writes);
        }
        if (!requeue.isEmpty()) {
            jdbc.sql("UPDATE attribution SET processed = false, updated_at = now() WHERE order_id = ANY(?)")
                    .param(requeue.stream().mapToLong(Long::longValue).toArray())
                    .update();
        }
        if (anyDecided) {
            dependents.record(jdbc, organizationId, rerunInstance);
        }
    }

    /**
     * When several recipients qualified in the step that matched, the most recently created won and the others
     * are counted on the attribution and logged (at INFO: {@code PAPERRUN_LOG_LEVEL=INFO}), once, when the
     * attribution is written.
     */
    private static void logDuplicateCandidates(List<Matched> writes) {
        if (!log.isInfoEnabled()) {
            return;
        }
        for (Matched m : writes) {
            MatchResult r = m.result();
            if (r.duplicateCandidates() > 0) {
                log.info(
                        "order {}: attributed to recipient {} of campaign {} by {}{}; {} other recipient{} qualified "
                                + "too (duplicate candidates, the most recently created wins)",
                        m.providerOrderId(),
                        r.recipientId(),
                        r.campaignId(),
                        r.method().code(),
                        r.holdout() ? " (holdout)" : "",
                        r.duplicateCandidates(),
                        r.duplicateCandidates() == 1 ? "" : "s");
            }
        }
    }

    /**
     * Inserts the attributions of orders this chunk's transaction stored: none of them has one yet, so they are
     * plain new rows, written with {@code COPY} ({@link CopyRows}). The queue's insert trigger sees them as it
     * sees an {@code INSERT}'s.
     */
    private void insertOfNewOrders(long organizationId, List<Matched> writes) {
        CopyRows copy = new CopyRows("attribution (order_id, organization_id, campaign_id, recipient_id, method, "
                + "holdout, ordered_at, order_value, duplicate_candidates)");
        for (Matched m : writes) {
            MatchResult r = m.result();
            copy.number(m.orderId())
                    .number(organizationId)
                    .number(r.campaignId())
                    .number(r.recipientId())
                    .text(r.method().code())
                    .bool(r.holdout())
                    .instant(m.orderedAt())
                    .decimal(m.orderValue())
                    .integer(r.duplicateCandidates())
                    .end();
        }
        copy.copy(dataSource);
    }

    private void upsert(long organizationId, List<Matched> writes) {
        int n = writes.size();
        long[] orders = new long[n], campaigns = new long[n];
        Long[] recipients = new Long[n];
        String[] methods = new String[n], values = new String[n];
        Instant[] times = new Instant[n];
        boolean[] holdouts = new boolean[n];
        int[] duplicates = new int[n];
        for (int i = 0; i < n; i++) {
            Matched m = writes.get(i);
            orders[i] = m.orderId();
            campaigns[i] = m.result().campaignId();
            recipients[i] = m.result().recipientId();
            methods[i] = m.result().method().code();
            holdouts[i] = m.result().holdout();
            times[i] = m.orderedAt();
            values[i] = m.orderValue().toPlainString();
            duplicates[i] = m.result().duplicateCandidates();
        }
        jdbc.sql("""
                INSERT INTO attribution (order_id, organization_id, campaign_id, recipient_id, method, holdout,
                    ordered_at, order_value, duplicate_candidates, processed, passes_rules, order_count, archived)
                SELECT t.order_id, :org, t.campaign_id, t.recipient_id, t.method, t.holdout, t.ordered_at,
                    t.order_value, t.duplicates, false, NULL, NULL, false
                FROM unnest(:orders::bigint[], :campaigns::bigint[], :recipients::bigint[], :methods::text[],
                    :holdouts::boolean[], :times::timestamptz[], :values::numeric[], :duplicates::int[])
                    AS t(order_id, campaign_id, recipient_id, method, holdout, ordered_at, order_value, duplicates)
                ON CONFLICT (order_id) DO UPDATE SET campaign_id = EXCLUDED.campaign_id,
                    recipient_id = EXCLUDED.recipient_id, method = EXCLUDED.method, holdout = EXCLUDED.holdout,
                    ordered_at = EXCLUDED.ordered_at, order_value = EXCLUDED.order_value,
                    duplicate_candidates = EXCLUDED.duplicate_candidates,
                    processed = false, passes_rules = NULL, order_count = NULL, archived = false,
                    updated_at = now()
                """)
                .param("org", organizationId)
                .param("orders", orders)
                .param("campaigns", campaigns)
                .param("recipients", recipients)
                .param("methods", TextArray.of(methods))
                .param("holdouts", holdouts)
                .param("times", TextArray.of(times))
                .param("values", TextArray.of(values))
                .param("duplicates", duplicates)
                .update();
    }

    /**
     * The (recipient, campaign) pairs a chunk touched, from the earliest order time touched: their
     * attributions from then on depend on the change.
     */
    private static final class Affected {
        private final Map<List<Long>, Instant> from = new HashMap<>();

        void add(Existing a) {
            if (a.recipientId() != null) {
                from.merge(List.of(a.recipientId(), a.campaignId()), a.orderedAt(), (x, y) -> x.isBefore(y) ? x : y);
            }
        }

        void record(JdbcClient jdbc, long organizationId, Long rerunInstance) {
            if (from.isEmpty()) {
                return;
            }
            // Only where a decided attribution depends on the change: an undecided one waits for stage B
            // already, and none is decided before the requeue step (the holdout step comes after it, and
            // no other job that writes attributions runs meanwhile).
            // One probe of the recipient's attributions per pair (LATERAL ... LIMIT 1), whatever the planner's
            // statistics say: with none yet (a first large sync), a semi-join scanned every attribution per chunk.
            jdbc.sql("""
                    INSERT INTO attribution_requeue (organization_id, recipient_id, campaign_id, from_time,
                                                     rerun_instance_id)
                    SELECT :org, d.r, d.c, d.t, :rerun
                    FROM unnest(:recipients::bigint[], :campaigns::bigint[], :times::timestamptz[]) AS d(r, c, t)
                    CROSS JOIN LATERAL (SELECT 1 FROM attribution a
                                        WHERE a.recipient_id = d.r AND a.campaign_id = d.c AND a.ordered_at >= d.t
                                          AND a.processed
                                        LIMIT 1) AS decided
                    """)
                    .param("org", organizationId)
                    .param("recipients", recipients())
                    .param("campaigns", campaigns())
                    .param("times", TextArray.of(times()))
                    .param("rerun", rerunInstance, Types.BIGINT)
                    .update();
        }

        private long[] recipients() {
            return from.keySet().stream().mapToLong(k -> k.get(0)).toArray();
        }

        private long[] campaigns() {
            return from.keySet().stream().mapToLong(k -> k.get(1)).toArray();
        }

        private Instant[] times() {
            return from.values().toArray(Instant[]::new);
        }
    }

    /**
     * Queues again, for stage B, the attributions that the recorded changes affect (deferred by
     * writers that ran side by side), and forgets the records, in one statement. Only decided
     * attributions need it: the others wait for stage B already, and no stage B runs meanwhile
     * (the jobs that write attributions run one at a time).
     *
     * @param organizationId one organization's, or null for all
     * @return how many attributions were queued again
     */
    public int requeuePending(Long organizationId) {
        return jdbc.sql("""
                WITH pending AS (
                    DELETE FROM attribution_requeue
                    WHERE CAST(:org AS bigint) IS NULL OR organization_id = :org
                    RETURNING recipient_id, campaign_id, from_time),
                affected AS (
                    SELECT recipient_id, campaign_id, min(from_time) AS from_time FROM pending GROUP BY 1, 2)
                UPDATE attribution a SET processed = false, updated_at = now()
                FROM affected d
                WHERE a.recipient_id = d.recipient_id AND a.campaign_id = d.campaign_id
                  AND a.ordered_at >= d.from_time AND a.processed
                """).param("org", organizationId).update();
    }

    /**
     * attribution-rerun's requeue: queues again, for stage B, the decided attributions that the re-run's own
     * changes affect (the records it made, none other), forgets those records, and adds the attributions' orders
     * to the re-run's selection ({@code attribution_rerun_order}), which is what its decide step decides.
     *
     * @return how many attributions were queued again
     */
    public int requeueForRerun(long rerunInstance) {
        return jdbc.sql("""
                WITH pending AS (
                    DELETE FROM attribution_requeue WHERE rerun_instance_id = :instance
                    RETURNING recipient_id, campaign_id, from_time),
                affected AS (
                    SELECT recipient_id, campaign_id, min(from_time) AS from_time FROM pending GROUP BY 1, 2),
                requeued AS (
                    UPDATE attribution a SET processed = false, updated_at = now()
                    FROM affected d
                    WHERE a.recipient_id = d.recipient_id AND a.campaign_id = d.campaign_id
                      AND a.ordered_at >= d.from_time AND a.processed
                    RETURNING a.order_id)
                INSERT INTO attribution_rerun_order (job_instance_id, order_id)
                SELECT :instance, order_id FROM requeued
                ON CONFLICT DO NOTHING
                """).param("instance", rerunInstance).update();
    }
}
