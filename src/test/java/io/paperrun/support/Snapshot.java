package io.paperrun.support;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The business content of the tables, as sorted lines without surrogate ids or
 * bookkeeping times: two runs that should leave the same data compare equal.
 */
public final class Snapshot {

    private Snapshot() {}

    public static List<String> of(JdbcClient jdbc) {
        assertQueueInStep(jdbc);
        return jdbc.sql("""
                SELECT 'order ' || o.provider || '/' || o.provider_order_id || ' ' || o.ordered_at || ' '
                       || o.total || ' ' || coalesce(o.email, '') || ' internal=' || o.internal
                       || ' blacklisted=' || o.blacklisted AS line
                FROM customer_order o
                UNION ALL
                SELECT 'attribution ' || o.provider_order_id || ' ' || c.key || ' '
                       || coalesce(r.natural_key, '-') || ' ' || a.method || ' holdout=' || a.holdout
                       || ' processed=' || a.processed || ' passes=' || coalesce(a.passes_rules::text, '-')
                       || ' count=' || coalesce(a.order_count::text, '-') || ' archived=' || a.archived
                       || ' dup=' || a.duplicate_candidates || ' value=' || a.order_value
                FROM attribution a JOIN customer_order o ON o.id = a.order_id
                JOIN campaign c ON c.id = a.campaign_id LEFT JOIN recipient r ON r.id = a.recipient_id
                UNION ALL
                SELECT 'recipient ' || c.key || '/' || r.natural_key || ' ' || r.status || ' ' || r.created_at
                       || ' ' || coalesce(r.sent_at::text, '-') || ' ' || coalesce(r.email_lower, '-') || ' '
                       || coalesce(r.address_key, '-') || ' ' || coalesce(r.discount_code_upper, '-')
                FROM recipient r JOIN campaign c ON c.id = r.campaign_id
                UNION ALL
                SELECT 'requeues pending ' || count(*) FROM attribution_requeue
                UNION ALL
                SELECT 'rejected ' || source || ':' || line || ' ' || reason FROM rejected_row
                ORDER BY 1
                """).query(String.class).list();
    }

    /**
     * Stage B's queue ({@code attribution_pending}) holds exactly the unprocessed attributions, with their
     * organization and holdout flag: the triggers of V5 keep it so, whatever statement wrote them.
     */
    public static void assertQueueInStep(JdbcClient jdbc) {
        List<String> outOfStep = jdbc.sql("""
                SELECT coalesce(a.id, p.attribution_id) || ' processed=' || coalesce(a.processed::text, 'no row')
                       || ' queued=' || (p.attribution_id IS NOT NULL)
                FROM attribution a FULL JOIN attribution_pending p ON p.attribution_id = a.id
                WHERE a.id IS NULL OR a.processed = (p.attribution_id IS NOT NULL)
                   OR (p.attribution_id IS NOT NULL
                       AND (p.organization_id, p.holdout) IS DISTINCT FROM (a.organization_id, a.holdout))
                ORDER BY 1
                """).query(String.class).list();
        if (!outOfStep.isEmpty()) {
            throw new AssertionError("attribution_pending is out of step with attribution.processed: " + outOfStep);
        }
    }
}
