package io.paperrun.attribution;

import io.paperrun.organization.Organization;
import io.paperrun.organization.OrganizationRepository;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Stage A again for a chunk of stored orders (attribution-rerun): matches them
 * against today's recipients, campaigns and settings, updates their internal
 * and blacklisted flags and their attributions, and queues every attribution of
 * the chunk for stage B (the job's requeue step then queues the ones they affect).
 */
public class RerunMatchWriter implements ItemWriter<Long> {

    private final JdbcClient jdbc;
    private final OrganizationRepository organizations;
    private final OrderMatching matching;
    private final AttributionStore attributions;
    private final long rerunInstance;
    private final Map<Long, Organization> organizationCache = new HashMap<>();

    /** @param rerunInstance the re-run's job instance, whose selection and records these are */
    public RerunMatchWriter(
            JdbcClient jdbc,
            OrganizationRepository organizations,
            OrderMatching matching,
            AttributionStore attributions,
            long rerunInstance) {
        this.jdbc = jdbc;
        this.rerunInstance = rerunInstance;
        this.organizations = organizations;
        this.matching = matching;
        this.attributions = attributions;
    }

    private record StoredFacts(long orderId, String providerOrderId, long organizationId, OrderFacts facts) {}

    @Override
    public void write(Chunk<? extends Long> chunk) {
        long[] ids = chunk.getItems().stream().mapToLong(Long::longValue).toArray();
        Map<Long, List<StoredFacts>> byOrganization = new LinkedHashMap<>();
        jdbc.sql("""
                SELECT id, organization_id, ordered_at, email, email_lower, address_key, discount_codes, total,
                       active_subscription_start, provider_order_id
                FROM customer_order WHERE id = ANY(?) ORDER BY id
                """)
                .param(ids)
                .query((rs, i) -> {
                    List<String> upper = OrderFacts.codesUpper(
                            Arrays.asList((String[]) rs.getArray(7).getArray()));
                    Timestamp sub = rs.getTimestamp(9);
                    StoredFacts f = new StoredFacts(
                            rs.getLong(1),
                            rs.getString(10),
                            rs.getLong(2),
                            new OrderFacts(
                                    rs.getTimestamp(3).toInstant(),
                                    rs.getString(4),
                                    rs.getString(5),
                                    rs.getString(6),
                                    upper,
                                    rs.getBigDecimal(8),
                                    sub == null ? null : sub.toInstant()));
                    byOrganization
                            .computeIfAbsent(f.organizationId(), k -> new ArrayList<>())
                            .add(f);
                    return f;
                })
                .list();
        for (Map.Entry<Long, List<StoredFacts>> e : byOrganization.entrySet()) {
            Organization organization = organizationCache.computeIfAbsent(
                    e.getKey(), id -> organizations.findById(id).orElseThrow());
            List<StoredFacts> orders = e.getValue();
            List<MatchResult> results = matching.match(
                    organization.id(),
                    OrganizationRules.of(organization),
                    orders.stream().map(StoredFacts::facts).toList());
            int n = orders.size();
            long[] orderIds = new long[n];
            boolean[] internal = new boolean[n], blacklisted = new boolean[n];
            List<AttributionStore.Matched> matched = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                MatchResult r = results.get(i);
                orderIds[i] = orders.get(i).orderId();
                internal[i] = r.outcome() == MatchResult.Outcome.INTERNAL;
                blacklisted[i] = r.outcome() == MatchResult.Outcome.BLACKLISTED;
                StoredFacts o = orders.get(i);
                matched.add(new AttributionStore.Matched(
                        o.orderId(),
                        o.providerOrderId(),
                        o.facts().orderedAt(),
                        o.facts().total(),
                        r,
                        false,
                        true));
            }
            jdbc.sql("""
                    UPDATE customer_order o SET internal = d.internal, blacklisted = d.blacklisted, updated_at = now()
                    FROM unnest(:ids::bigint[], :internal::boolean[], :blacklisted::boolean[])
                        AS d(id, internal, blacklisted)
                    WHERE o.id = d.id AND (o.internal, o.blacklisted) IS DISTINCT FROM (d.internal, d.blacklisted)
                    """)
                    .param("ids", orderIds)
                    .param("internal", internal)
                    .param("blacklisted", blacklisted)
                    .update();
            // Whether a decided attribution depends on a change is looked up (a re-run spans organizations
            // and mostly changes what was decided before).
            attributions.store(organization.id(), matched, true, rerunInstance);
        }
    }
}
