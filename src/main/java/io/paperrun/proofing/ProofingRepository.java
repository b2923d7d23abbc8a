package io.paperrun.proofing;

import io.paperrun.batch.TextArray;
import io.paperrun.campaign.Campaign;
import io.paperrun.campaign.PostcardTemplate;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The recipients proofing reads and moves, {@code pending → proofing_staged → proofing → proofed} (or
 * {@code failed}), each move a conditional update of a chunk in the chunk's transaction, so that two runs never
 * take the same recipient.
 */
@Repository
public class ProofingRepository {

    /**
     * Which of a campaign's recipients are to proof: the pending ones whose address was enriched (so that both
     * experiment groups are filtered alike, pipeline-rules §1.5), and those an interrupted run left staged or
     * proofing. Within the index {@code recipient_to_proof_idx}.
     */
    public static final String TO_PROOF =
            "(status IN ('proofing_staged','proofing') OR (status = 'pending' AND enriched_at IS NOT NULL))";

    /** The columns a {@link RecipientToProof} is read from, for a reader's select clause. */
    public static final String COLUMNS = "id, status, discount_code IS NOT NULL AS has_discount_code";

    private final JdbcClient jdbc;

    public ProofingRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A row of {@link #COLUMNS}. */
    public static RecipientToProof map(ResultSet rs, int row) throws SQLException {
        return new RecipientToProof(rs.getLong("id"), rs.getString("status"), rs.getBoolean("has_discount_code"));
    }

    /**
     * The active campaigns with a design and recipients to proof, of the organization {@code org} and the campaign
     * {@code campaign} when given, by organization and key.
     */
    public List<Long> campaignsToProof(String org, String campaign) {
        return jdbc.sql("""
                SELECT c.id FROM campaign c JOIN organization o ON o.id = c.organization_id
                WHERE c.status = 'active' AND c.postcard IS NOT NULL
                  AND (CAST(:org AS text) IS NULL OR o.slug = :org)
                  AND (CAST(:campaign AS text) IS NULL OR c.key = :campaign)
                  AND EXISTS (SELECT 1 FROM recipient r
                              WHERE r.campaign_id = c.id
                                AND (r.status IN ('proofing_staged','proofing')
                                     OR (r.status = 'pending' AND r.enriched_at IS NOT NULL)))
                ORDER BY o.slug, c.key
                """)
                .param("org", org)
                .param("campaign", campaign)
                .query(Long.class)
                .list();
    }

    /** A campaign in a run's scope, and how many of its pending recipients wait for address-enrichment. */
    public record Waiting(long campaignId, long recipients) {}

    /**
     * The active campaigns with a design (of {@code org} and {@code campaign} when given) whose pending recipients
     * wait for address-enrichment, with how many, by organization and key.
     */
    public List<Waiting> waitingForEnrichment(String org, String campaign) {
        return jdbc.sql("""
                SELECT c.id, count(*) FROM campaign c
                JOIN organization o ON o.id = c.organization_id
                JOIN recipient r ON r.campaign_id = c.id AND r.status = 'pending' AND r.enriched_at IS NULL
                WHERE c.status = 'active' AND c.postcard IS NOT NULL
                  AND (CAST(:org AS text) IS NULL OR o.slug = :org)
                  AND (CAST(:campaign AS text) IS NULL OR c.key = :campaign)
                GROUP BY o.slug, c.key, c.id
                ORDER BY o.slug, c.key
                """)
                .param("org", org)
                .param("campaign", campaign)
                .query((rs, i) -> new Waiting(rs.getLong(1), rs.getLong(2)))
                .list();
    }

    /**
     * Stages those of {@code ids} still to proof ({@code pending → proofing_staged}; those a crashed run left staged
     * or proofing are taken as they are), locking them for the chunk's transaction.
     *
     * @return the recipients taken, with whether each has a discount code
     */
    public List<RecipientToProof> stage(long campaignId, List<Long> ids) {
        return jdbc.sql("""
                UPDATE recipient SET status = 'proofing_staged', updated_at = now()
                WHERE id = ANY(:ids) AND campaign_id = :campaign
                  AND (status IN ('proofing_staged','proofing') OR (status = 'pending' AND enriched_at IS NOT NULL))
                RETURNING id, status, discount_code IS NOT NULL AS has_discount_code
                """)
                .param("ids", longs(ids))
                .param("campaign", campaignId)
                .query(ProofingRepository::map)
                .list();
    }

    /**
     * Takes the staged ones of {@code ids} into {@code proofing}.
     *
     * @return their merge fields, the code each proof shows being its own, else the campaign's
     */
    public List<RecipientToProof.Fields> take(Campaign campaign, List<Long> ids) {
        return jdbc.sql("""
                UPDATE recipient SET status = 'proofing', updated_at = now()
                WHERE id = ANY(:ids) AND status = 'proofing_staged'
                RETURNING id, external_id, email, first_name, last_name, address1, address2, city, region, zip,
                          country, created_at, sent_at, discount_code
                """)
                .param("ids", longs(ids))
                .query((rs, i) -> fields(campaign, rs))
                .list();
    }

    private static RecipientToProof.Fields fields(Campaign campaign, ResultSet rs) throws SQLException {
        Map<String, String> values = new HashMap<>();
        values.put("campaign", campaign.key());
        for (String column : PostcardTemplate.RECIPIENT_FIELDS) {
            switch (column) {
                case "campaign", "discount_code" -> {}
                case "status" -> values.put(column, "pending");
                case "created_at", "sent_at" -> values.put(column, instant(rs, column));
                default -> values.put(column, rs.getString(column));
            }
        }
        String code = rs.getString("discount_code");
        String shown = code != null ? code : campaign.discountCode();
        values.put("discount_code", shown);
        return new RecipientToProof.Fields(rs.getLong("id"), values, shown);
    }

    private static String instant(ResultSet rs, String column) throws SQLException {
        Timestamp at = rs.getTimestamp(column);
        return at == null ? null : at.toInstant().toString();
    }

    /** A recipient's proof, stored. */
    public record Proofed(long id, StoredProof proof) {}

    /** A recipient that could not be proofed, and why. */
    public record Failed(long id, String reason) {}

    /**
     * Settles a chunk: {@code proofing → proofed} with where each proof is and {@code proofed_at}, and
     * {@code proofing_staged} or {@code proofing → failed} with the reason.
     *
     * @return how many were proofed and how many failed
     */
    public Settled settle(List<Proofed> proofed, List<Failed> failed) {
        int done = 0;
        if (!proofed.isEmpty()) {
            int n = proofed.size();
            long[] ids = new long[n];
            String[] fronts = new String[n], backs = new String[n], previews = new String[n];
            for (int i = 0; i < n; i++) {
                Proofed p = proofed.get(i);
                ids[i] = p.id();
                fronts[i] = p.proof().front();
                backs[i] = p.proof().back();
                previews[i] = p.proof().preview();
            }
            done = jdbc.sql("""
                    UPDATE recipient r SET status = 'proofed', proof_front = t.front, proof_back = t.back,
                        preview = t.preview, proofed_at = now(), updated_at = now()
                    FROM unnest(:ids::bigint[], :fronts::text[], :backs::text[], :previews::text[])
                        AS t(id, front, back, preview)
                    WHERE r.id = t.id AND r.status = 'proofing'
                    """)
                    .param("ids", ids)
                    .param("fronts", TextArray.of(fronts))
                    .param("backs", TextArray.of(backs))
                    .param("previews", TextArray.of(previews))
                    .update();
        }
        int refused = 0;
        if (!failed.isEmpty()) {
            refused = jdbc.sql("""
                    UPDATE recipient r SET status = 'failed', suppression_reason = t.reason, updated_at = now()
                    FROM unnest(:ids::bigint[], :reasons::text[]) AS t(id, reason)
                    WHERE r.id = t.id AND r.status IN ('proofing_staged','proofing')
                    """)
                    .param("ids", longs(failed.stream().map(Failed::id).toList()))
                    .param(
                            "reasons",
                            TextArray.of(failed.stream().map(Failed::reason).toList()))
                    .update();
        }
        return new Settled(done, refused);
    }

    /** How many recipients a chunk proofed and failed. */
    public record Settled(int proofed, int failed) {}

    private static long[] longs(List<Long> ids) {
        return ids.stream().mapToLong(Long::longValue).toArray();
    }
}
