package io.paperrun.enrichment;

import io.paperrun.batch.TextArray;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The recipients address enrichment reads and writes: those not enriched yet, of the pending and holdout groups. */
@Repository
public class EnrichmentRepository {

    /** Which recipients are to enrich: the predicate of the index {@code recipient_to_enrich_idx}. */
    public static final String TO_ENRICH = "enriched_at IS NULL AND status IN ('pending','holdout')";

    /** The columns a {@link RecipientToEnrich} is read from, for a reader's select clause. */
    public static final String COLUMNS =
            "id, status, email_lower, first_name, last_name, address1, address2, city, region, zip, country, "
                    + "address_source";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;

    public EnrichmentRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The slugs of the organizations with recipients to enrich (only {@code org} when given), by slug. */
    public List<String> organizationsToEnrich(String org) {
        return jdbc.sql("""
                SELECT o.slug FROM organization o
                WHERE (CAST(:org AS text) IS NULL OR o.slug = :org)
                  AND EXISTS (SELECT 1 FROM recipient r WHERE r.organization_id = o.id
                              AND r.enriched_at IS NULL AND r.status IN ('pending','holdout'))
                ORDER BY o.slug
                """).param("org", org).query(String.class).list();
    }

    /** A row of {@link #COLUMNS} as a recipient to enrich. */
    public static RecipientToEnrich map(ResultSet rs, int row) throws SQLException {
        return new RecipientToEnrich(
                rs.getLong("id"),
                rs.getString("status"),
                rs.getString("email_lower"),
                rs.getString("first_name"),
                rs.getString("last_name"),
                new PostalAddress(
                        rs.getString("address1"),
                        rs.getString("address2"),
                        rs.getString("city"),
                        rs.getString("region"),
                        rs.getString("zip"),
                        rs.getString("country")),
                rs.getString("address_source"));
    }

    /**
     * Writes a chunk of enriched recipients in one statement, each only if it is still to enrich (a recipient is
     * enriched once): its address and key, source, address as received (the first kept), coordinates (when
     * appended), verdict, {@code enriched_at}, and its status and reason when it is suppressed or undeliverable.
     *
     * @return the status each written recipient was left in, by id
     */
    public Map<Long, String> write(List<? extends EnrichedRecipient> chunk) {
        int n = chunk.size();
        long[] ids = new long[n];
        String[] a1 = new String[n],
                a2 = new String[n],
                city = new String[n],
                region = new String[n],
                zip = new String[n],
                country = new String[n],
                keys = new String[n],
                sources = new String[n],
                originals = new String[n],
                latitudes = new String[n],
                longitudes = new String[n],
                verdicts = new String[n],
                statuses = new String[n],
                reasons = new String[n];
        for (int i = 0; i < n; i++) {
            EnrichedRecipient r = chunk.get(i);
            ids[i] = r.id();
            a1[i] = r.address().address1();
            a2[i] = r.address().address2();
            city[i] = r.address().city();
            region[i] = r.address().region();
            zip[i] = r.address().zip();
            country[i] = r.address().country();
            keys[i] = r.addressKey();
            sources[i] = r.addressSource();
            originals[i] = json(r.original());
            latitudes[i] = r.latitude() == null ? null : r.latitude().toString();
            longitudes[i] = r.longitude() == null ? null : r.longitude().toString();
            verdicts[i] = r.deliverability();
            statuses[i] = r.outcome().status();
            reasons[i] = r.outcome().reason();
        }
        record Written(long id, String status) {}
        List<Written> written = jdbc.sql("""
                UPDATE recipient r SET address1 = t.address1, address2 = t.address2, city = t.city,
                    region = t.region, zip = t.zip, country = t.country, address_key = t.address_key,
                    address_source = t.address_source,
                    original_address = COALESCE(r.original_address, t.original_address::jsonb),
                    latitude = COALESCE(t.latitude, r.latitude), longitude = COALESCE(t.longitude, r.longitude),
                    deliverability = t.deliverability,
                    status = CASE WHEN t.status IN ('suppressed','undeliverable') THEN t.status ELSE r.status END,
                    suppression_reason = CASE WHEN t.status IN ('suppressed','undeliverable') THEN t.reason
                                              ELSE r.suppression_reason END,
                    enriched_at = now(), updated_at = now()
                FROM unnest(:ids::bigint[], :a1::text[], :a2::text[], :city::text[], :region::text[], :zip::text[],
                    :country::text[], :keys::text[], :sources::text[], :originals::text[], :latitudes::float8[],
                    :longitudes::float8[], :verdicts::text[], :statuses::text[], :reasons::text[])
                    AS t(id, address1, address2, city, region, zip, country, address_key, address_source,
                         original_address, latitude, longitude, deliverability, status, reason)
                WHERE r.id = t.id AND r.enriched_at IS NULL AND r.status IN ('pending','holdout')
                RETURNING r.id, r.status
                """)
                .param("ids", ids)
                .param("a1", TextArray.of(a1))
                .param("a2", TextArray.of(a2))
                .param("city", TextArray.of(city))
                .param("region", TextArray.of(region))
                .param("zip", TextArray.of(zip))
                .param("country", TextArray.of(country))
                .param("keys", TextArray.of(keys))
                .param("sources", TextArray.of(sources))
                .param("originals", TextArray.of(originals))
                .param("latitudes", TextArray.of(latitudes))
                .param("longitudes", TextArray.of(longitudes))
                .param("verdicts", TextArray.of(verdicts))
                .param("statuses", TextArray.of(statuses))
                .param("reasons", TextArray.of(reasons))
                .query((rs, i) -> new Written(rs.getLong(1), rs.getString(2)))
                .list();
        Map<Long, String> byId = new HashMap<>();
        written.forEach(w -> byId.put(w.id(), w.status()));
        return byId;
    }

    /** The address as received, {@code {"address1": ..., "country": ...}}, its missing parts null. */
    private static String json(PostalAddress address) {
        ObjectNode json = JSON.createObjectNode();
        json.put("address1", address.address1());
        json.put("address2", address.address2());
        json.put("city", address.city());
        json.put("region", address.region());
        json.put("zip", address.zip());
        json.put("country", address.country());
        return JSON.writeValueAsString(json);
    }
}
