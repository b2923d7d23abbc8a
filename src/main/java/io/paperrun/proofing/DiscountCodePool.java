package io.paperrun.proofing;

import io.paperrun.batch.TextArray;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The unique discount codes of the organizations: each campaign's pool ({@code discount_code_pool}, filled by
 * {@code import codes}) and the codes recipients hold ({@code recipient.discount_code}). Codes compare in their
 * upper-case, trimmed form. A pool's code goes to at most one recipient, and a recipient gets at most one code.
 */
@Repository
public class DiscountCodePool {

    private final JdbcClient jdbc;

    public DiscountCodePool(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Why an imported code is not added to a campaign's pool. */
    public enum Conflict {
        /** Already in this campaign's pool: nothing to add. */
        IN_THIS_POOL,
        /** A recipient of the organization holds it already. */
        HELD_BY_A_RECIPIENT,
        /** In another campaign's pool of the organization. */
        IN_ANOTHER_POOL
    }

    /**
     * The conflicts of these codes (upper case) with the campaign's pool and the organization's codes, by code; the
     * first that applies, in the order of {@link Conflict}. One query.
     */
    public Map<String, Conflict> conflicts(long organizationId, long campaignId, Collection<String> codesUpper) {
        Map<String, Conflict> found = new HashMap<>();
        if (codesUpper.isEmpty()) {
            return found;
        }
        jdbc.sql("""
                SELECT t.code,
                       CASE WHEN EXISTS (SELECT 1 FROM discount_code_pool p
                                         WHERE p.campaign_id = :campaign AND p.code_upper = t.code)
                                 THEN 'IN_THIS_POOL'
                            WHEN EXISTS (SELECT 1 FROM recipient r
                                         WHERE r.organization_id = :org AND r.discount_code_upper = t.code)
                                 THEN 'HELD_BY_A_RECIPIENT'
                            WHEN EXISTS (SELECT 1 FROM discount_code_pool p JOIN campaign c ON c.id = p.campaign_id
                                         WHERE c.organization_id = :org AND p.code_upper = t.code)
                                 THEN 'IN_ANOTHER_POOL'
                       END
                FROM unnest(:codes::text[]) AS t(code)
                """)
                .param("campaign", campaignId)
                .param("org", organizationId)
                .param("codes", TextArray.of(codesUpper))
                .query((rs, i) -> {
                    if (rs.getString(2) != null) {
                        found.put(rs.getString(1), Conflict.valueOf(rs.getString(2)));
                    }
                    return null;
                })
                .list();
        return found;
    }

    /** Adds codes (as given) to the campaign's pool; those already in it are left. */
    public int add(long campaignId, Collection<String> codes) {
        if (codes.isEmpty()) {
            return 0;
        }
        return jdbc.sql("""
                INSERT INTO discount_code_pool (campaign_id, code, code_upper)
                SELECT :campaign, t.code, upper(btrim(t.code)) FROM unnest(:codes::text[]) AS t(code)
                ON CONFLICT (campaign_id, code_upper) DO NOTHING
                """)
                .param("campaign", campaignId)
                .param("codes", TextArray.of(codes))
                .update();
    }

    /** How many codes of the campaign's pool no recipient has yet. */
    public long left(long campaignId) {
        return jdbc.sql("SELECT count(*) FROM discount_code_pool WHERE campaign_id = ? AND recipient_id IS NULL")
                .param(campaignId)
                .query(Long.class)
                .single();
    }

    /**
     * Gives each of these recipients of the campaign that has no code yet the next unused code of the pool, in id
     * order, in the caller's transaction: the codes are taken with {@code FOR UPDATE SKIP LOCKED}, so that two
     * chunks never take the same one.
     *
     * @return the codes given, by recipient id (those without a code left are absent)
     */
    public Map<Long, String> claim(long campaignId, List<Long> recipientIds) {
        Map<Long, String> given = new HashMap<>();
        if (recipientIds.isEmpty()) {
            return given;
        }
        jdbc.sql("""
                WITH wanting AS (
                    SELECT r.id, row_number() OVER (ORDER BY r.id) AS n
                    FROM recipient r
                    WHERE r.id = ANY(:ids) AND r.campaign_id = :campaign AND r.discount_code IS NULL
                      AND NOT EXISTS (SELECT 1 FROM discount_code_pool p WHERE p.recipient_id = r.id)
                ), free AS (
                    SELECT f.id, f.code, row_number() OVER (ORDER BY f.id) AS n
                    FROM (SELECT id, code FROM discount_code_pool
                          WHERE campaign_id = :campaign AND recipient_id IS NULL
                          ORDER BY id LIMIT :wanted FOR UPDATE SKIP LOCKED) f
                ), claimed AS (
                    UPDATE discount_code_pool p SET recipient_id = wanting.id, assigned_at = now()
                    FROM wanting JOIN free USING (n)
                    WHERE p.id = free.id
                    RETURNING p.recipient_id, p.code
                )
                UPDATE recipient r SET discount_code = claimed.code, discount_code_upper = upper(btrim(claimed.code)),
                    updated_at = now()
                FROM claimed
                WHERE r.id = claimed.recipient_id
                RETURNING r.id, r.discount_code
                """)
                .param("ids", recipientIds.stream().mapToLong(Long::longValue).toArray())
                .param("campaign", campaignId)
                .param("wanted", recipientIds.size())
                .query((rs, i) -> given.put(rs.getLong(1), rs.getString(2)))
                .list();
        return given;
    }

    /** Which of these codes (upper case) a recipient, or a pool, of the organization holds already. One query. */
    public List<String> taken(long organizationId, Collection<String> codesUpper) {
        return jdbc.sql("""
                SELECT t.code FROM unnest(:codes::text[]) AS t(code)
                WHERE EXISTS (SELECT 1 FROM recipient r
                              WHERE r.organization_id = :org AND r.discount_code_upper = t.code)
                   OR EXISTS (SELECT 1 FROM discount_code_pool p JOIN campaign c ON c.id = p.campaign_id
                              WHERE c.organization_id = :org AND p.code_upper = t.code)
                """)
                .param("org", organizationId)
                .param("codes", TextArray.of(codesUpper))
                .query(String.class)
                .list();
    }

    /**
     * Gives these recipients their generated codes, each only if it has none yet, in the caller's transaction.
     *
     * @return the recipients that took their code
     */
    public List<Long> give(Map<Long, String> codes) {
        if (codes.isEmpty()) {
            return List.of();
        }
        long[] ids = codes.keySet().stream().mapToLong(Long::longValue).toArray();
        String[] values = new String[ids.length];
        for (int i = 0; i < ids.length; i++) {
            values[i] = codes.get(ids[i]);
        }
        return jdbc.sql("""
                UPDATE recipient r SET discount_code = t.code, discount_code_upper = upper(btrim(t.code)),
                    updated_at = now()
                FROM unnest(:ids::bigint[], :codes::text[]) AS t(id, code)
                WHERE r.id = t.id AND r.discount_code IS NULL
                RETURNING r.id
                """)
                .param("ids", ids)
                .param("codes", TextArray.of(values))
                .query(Long.class)
                .list();
    }
}
