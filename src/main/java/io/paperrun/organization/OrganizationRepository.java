package io.paperrun.organization;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

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
                                o.blacklistCodeSubstrings()))) {
            return "unchanged";
        }
        jdbc.sql("""
                INSERT INTO organization (slug, name, email_domain, sync_orders, blacklist_code_substrings)
                VALUES (:slug, :name, :domain, :sync, :blacklist)
                ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name, email_domain = EXCLUDED.email_domain,
                    sync_orders = EXCLUDED.sync_orders,
                    blacklist_code_substrings = EXCLUDED.blacklist_code_substrings, updated_at = now()
                """)
                .param("slug", o.slug())
                .param("name", o.name())
                .param("domain", o.emailDomain())
                .param("sync", o.syncOrders())
                .param("blacklist", o.blacklistCodeSubstrings().toArray(String[]::new))
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
                List.copyOf(substrings));
    }
}
