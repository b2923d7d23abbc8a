package io.paperrun.organization;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

@Repository
public class OrganizationRepository {

    private final JdbcClient jdbc;

    public OrganizationRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Organization> findBySlug(String slug) {
        return jdbc.sql("SELECT * FROM organization WHERE slug = ?")
                .param(slug)
                .query(OrganizationRepository::map)
                .optional();
    }

    public Optional<Organization> findById(long id) {
        return jdbc.sql("SELECT * FROM organization WHERE id = ?")
                .param(id)
                .query(OrganizationRepository::map)
                .optional();
    }

    /** Creates or updates by slug; returns whether anything changed ("created", "updated", "unchanged"). */
    public String upsert(Organization o) {
        Optional<Organization> existing = findBySlug(o.slug());
        if (existing.isPresent()
                && existing.get()
                        .equals(new Organization(
                                existing.get().id(),
                                o.slug(),
                                o.name(),
                                o.emailDomain(),
                                o.syncOrders(),
                                o.blacklistCodeSubstrings(),
                                o.orderSource(),
                                o.integrations(),
                                o.minDaysBetweenMailings()))) {
            return "unchanged";
        }
        jdbc.sql("""
                INSERT INTO organization (slug, name, email_domain, sync_orders, blacklist_code_substrings,
                    order_source, integrations, min_days_between_mailings)
                VALUES (:slug, :name, :domain, :sync, :blacklist, :source, :integrations::jsonb, :minDays)
                ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name, email_domain = EXCLUDED.email_domain,
                    sync_orders = EXCLUDED.sync_orders,
                    blacklist_code_substrings = EXCLUDED.blacklist_code_substrings,
                    order_source = EXCLUDED.order_source, integrations = EXCLUDED.integrations,
                    min_days_between_mailings = EXCLUDED.min_days_between_mailings, updated_at = now()
                """)
                .param("slug", o.slug())
                .param("name", o.name())
                .param("domain", o.emailDomain())
                .param("sync", o.syncOrders())
                .param("blacklist", o.blacklistCodeSubstrings().toArray(String[]::new))
                .param("source", o.orderSource())
                .param("integrations", integrationsJson(o.integrations()))
                .param("minDays", o.minDaysBetweenMailings())
                .update();
        return existing.isPresent() ? "updated" : "created";
    }

    static Organization map(ResultSet rs, int row) throws SQLException {
        Array blacklist = rs.getArray("blacklist_code_substrings");
        List<String> substrings = blacklist == null ? List.of() : Arrays.asList((String[]) blacklist.getArray());
        return new Organization(
                rs.getLong("id"),
                rs.getString("slug"),
                rs.getString("name"),
                rs.getString("email_domain"),
                rs.getBoolean("sync_orders"),
                List.copyOf(substrings),
                rs.getString("order_source"),
                integrations(rs.getString("integrations")),
                (Integer) rs.getObject("min_days_between_mailings"));
    }

    /** Every organization that syncs its orders from a provider (not from files), by slug. */
    public List<Organization> syncingFromProviders() {
        return jdbc.sql("SELECT * FROM organization WHERE sync_orders AND order_source <> 'csv' ORDER BY slug")
                .query(OrganizationRepository::map)
                .list();
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** {@code {"shopify": {"shop": "acme-co", ...}, ...}}. */
    private static String integrationsJson(Map<String, IntegrationSettings> integrations) {
        Map<String, Map<String, String>> plain = new TreeMap<>();
        integrations.forEach((provider, settings) -> plain.put(provider, settings.values()));
        return JSON.writeValueAsString(plain);
    }

    private static Map<String, IntegrationSettings> integrations(String json) {
        if (json == null) {
            return Map.of();
        }
        Map<String, Map<String, String>> plain = JSON.readValue(json, new TypeReference<>() {});
        Map<String, IntegrationSettings> out = new TreeMap<>();
        plain.forEach((provider, values) -> out.put(provider, new IntegrationSettings(provider, values)));
        return out;
    }
}
