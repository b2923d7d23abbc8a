package io.paperrun.mailing;

import io.paperrun.batch.TextArray;
import io.paperrun.recipient.DoNotMailList;
import io.paperrun.recipient.RecipientCreation;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The recipients mailing sends, each status change conditional on the status before it. */
@Repository
public class MailingRepository {

    /** The columns of a {@link PieceToMail}, as {@link #map} reads them. */
    static final String COLUMNS = "id, campaign_id, organization_id, natural_key, external_id, status, first_name, "
            + "last_name, address1, address2, city, region, zip, country, email_lower, address_key, proof_front, "
            + "provider, idempotency_key";

    /** The pieces to settle: their sending may or may not have reached the printer. */
    static final String TO_SETTLE = "status IN ('sending_staged','sending')";

    private final JdbcClient jdbc;
    private final DoNotMailList doNotMail;

    public MailingRepository(JdbcClient jdbc, DoNotMailList doNotMail) {
        this.jdbc = jdbc;
        this.doNotMail = doNotMail;
    }

    static PieceToMail map(ResultSet rs, int row) throws SQLException {
        return new PieceToMail(
                rs.getLong("id"),
                rs.getLong("campaign_id"),
                rs.getLong("organization_id"),
                rs.getString("natural_key"),
                rs.getString("external_id"),
                rs.getString("status"),
                rs.getString("first_name"),
                rs.getString("last_name"),
                rs.getString("address1"),
                rs.getString("address2"),
                rs.getString("city"),
                rs.getString("region"),
                rs.getString("zip"),
                rs.getString("country"),
                rs.getString("email_lower"),
                rs.getString("address_key"),
                rs.getString("proof_front"),
                rs.getString("provider"),
                rs.getString("idempotency_key"));
    }

    /**
     * The active campaigns with a design and proofed recipients, of the organization {@code org} and the campaign
     * {@code campaign} when given, by organization then key.
     */
    public List<Long> campaignsToSend(String org, String campaign) {
        return jdbc.sql("""
                SELECT c.id FROM campaign c JOIN organization o ON o.id = c.organization_id
                WHERE c.status = 'active' AND c.postcard IS NOT NULL
                  AND (CAST(:org AS text) IS NULL OR o.slug = :org)
                  AND (CAST(:campaign AS text) IS NULL OR c.key = :campaign)
                  AND EXISTS (SELECT 1 FROM recipient r WHERE r.campaign_id = c.id AND r.status = 'proofed')
                ORDER BY o.slug, c.key
                """)
                .param("org", org)
                .param("campaign", campaign)
                .query(Long.class)
                .list();
    }

    /** The recipients the do-not-mail list names now, among {@code pieces}: they become {@code suppressed}. */
    public Set<Long> suppressListed(long organizationId, Collection<PieceToMail> pieces) {
        Set<DoNotMailList.Entry> listed = doNotMail.matching(
                organizationId,
                pieces.stream()
                        .map(PieceToMail::emailLower)
                        .filter(Objects::nonNull)
                        .collect(Collectors.toSet()),
                pieces.stream()
                        .map(PieceToMail::addressKey)
                        .filter(Objects::nonNull)
                        .collect(Collectors.toSet()));
        if (listed.isEmpty()) {
            return Set.of();
        }
        long[] ids = pieces.stream()
                .filter(p -> (p.emailLower() != null && listed.contains(DoNotMailList.Entry.email(p.emailLower())))
                        || (p.addressKey() != null && listed.contains(DoNotMailList.Entry.address(p.addressKey()))))
                .mapToLong(PieceToMail::id)
                .toArray();
        return Set.copyOf(jdbc.sql("""
                UPDATE recipient SET status = 'suppressed', suppression_reason = :reason, updated_at = now()
                WHERE id = ANY(:ids) AND status = 'proofed' RETURNING id
                """)
                .param("reason", RecipientCreation.DO_NOT_MAIL)
                .param("ids", ids)
                .query(Long.class)
                .list());
    }

    /** Takes {@code ids} from {@code proofed} to {@code sending_staged}; the ids taken (no other run has them). */
    public List<Long> stage(long[] ids) {
        return jdbc.sql("UPDATE recipient SET status = 'sending_staged', updated_at = now() "
                        + "WHERE id = ANY(:ids) AND status = 'proofed' RETURNING id")
                .param("ids", ids)
                .query(Long.class)
                .list();
    }

    /** A staged piece about to be sent: its printer and idempotency key. */
    public record Sending(long id, String printer, String idempotencyKey) {}

    /** Takes staged pieces to {@code sending}, with the printer and the key they will be sent with. */
    public int markSending(List<Sending> pieces) {
        return jdbc.sql("""
                UPDATE recipient r SET status = 'sending', provider = t.printer, idempotency_key = t.key,
                       updated_at = now()
                FROM unnest(:ids::bigint[], :printers::text[], :keys::text[]) AS t(id, printer, key)
                WHERE r.id = t.id AND r.status = 'sending_staged'
                """)
                .param("ids", pieces.stream().mapToLong(Sending::id).toArray())
                .param(
                        "printers",
                        TextArray.of(pieces.stream().map(Sending::printer).toList()))
                .param(
                        "keys",
                        TextArray.of(
                                pieces.stream().map(Sending::idempotencyKey).toList()))
                .update();
    }

    /** A piece the printer accepted. */
    public record Sent(long id, String providerPieceId, Instant sentAt, BigDecimal cost) {}

    /**
     * Takes {@code sending} pieces to {@code sent}: when the printer accepted them, its id, and its cost, else the
     * campaign's {@code cost_per_piece}.
     */
    public int markSent(List<Sent> pieces) {
        if (pieces.isEmpty()) {
            return 0;
        }
        return jdbc.sql("""
                UPDATE recipient r SET status = 'sent', sent_at = t.sent_at, provider_piece_id = t.piece,
                       cost = COALESCE(t.cost, c.cost_per_piece), suppression_reason = NULL, updated_at = now()
                FROM unnest(:ids::bigint[], :pieces::text[], :sent::timestamptz[], :costs::numeric[])
                         AS t(id, piece, sent_at, cost),
                     campaign c
                WHERE r.id = t.id AND r.status = 'sending' AND c.id = r.campaign_id
                """)
                .param("ids", pieces.stream().mapToLong(Sent::id).toArray())
                .param(
                        "pieces",
                        TextArray.of(pieces.stream().map(Sent::providerPieceId).toList()))
                .param(
                        "sent",
                        TextArray.of(
                                pieces.stream().map(p -> p.sentAt().toString()).toList()))
                .param(
                        "costs",
                        TextArray.of(pieces.stream()
                                .map(p -> p.cost() == null ? null : p.cost().toPlainString())
                                .toList()))
                .update();
    }

    /** A piece the printer refused for good, and its message. */
    public record Refused(long id, String reason) {}

    /** Takes refused {@code sending} pieces to {@code failed}, with the printer's message. */
    public int markFailed(List<Refused> pieces) {
        if (pieces.isEmpty()) {
            return 0;
        }
        return jdbc.sql("""
                UPDATE recipient r SET status = 'failed', suppression_reason = t.reason, updated_at = now()
                FROM unnest(:ids::bigint[], :reasons::text[]) AS t(id, reason)
                WHERE r.id = t.id AND r.status = 'sending'
                """)
                .param("ids", pieces.stream().mapToLong(Refused::id).toArray())
                .param(
                        "reasons",
                        TextArray.of(pieces.stream().map(Refused::reason).toList()))
                .update();
    }
}
