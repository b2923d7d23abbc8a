package io.paperrun.mailing;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The print file's records: a campaign's print run per mailing execution, and each piece in exactly one run. */
@Repository
public class PrintRuns {

    private final JdbcClient jdbc;

    public PrintRuns(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records the recipient's piece into the campaign's run of this execution, committed at once; a piece recorded
     * before (in this run or an earlier one) is answered as it was recorded.
     */
    public SentPiece record(long campaignId, long jobExecutionId, long recipientId) {
        long run = jdbc.sql("""
                INSERT INTO print_run (campaign_id, job_execution_id) VALUES (?, ?)
                ON CONFLICT (campaign_id, job_execution_id) DO UPDATE SET campaign_id = EXCLUDED.campaign_id
                RETURNING id
                """)
                .param(campaignId)
                .param(jobExecutionId)
                .query(Long.class)
                .single();
        jdbc.sql("""
                INSERT INTO print_piece (recipient_id, print_run_id, piece_id) VALUES (?, ?, ?)
                ON CONFLICT (recipient_id) DO NOTHING
                """).param(recipientId).param(run).param(pieceId(recipientId)).update();
        return jdbc.sql("SELECT piece_id, created_at FROM print_piece WHERE recipient_id = ?")
                .param(recipientId)
                .query((rs, i) ->
                        new SentPiece(rs.getString(1), rs.getTimestamp(2).toInstant(), null))
                .single();
    }

    /** The manifest's {@code piece_id} of a recipient's piece. */
    static String pieceId(long recipientId) {
        return "pf-" + recipientId;
    }

    /** A print run not written yet: its campaign, and when it began. */
    public record Unwritten(long id, long campaignId, String organization, String campaign, Instant createdAt) {}

    /** The runs with pieces not written yet, of the organization and campaign when given, oldest first. */
    public List<Unwritten> unwritten(String org, String campaign) {
        return jdbc.sql("""
                SELECT pr.id, pr.campaign_id, o.slug, c.key, pr.created_at
                FROM print_run pr JOIN campaign c ON c.id = pr.campaign_id
                JOIN organization o ON o.id = c.organization_id
                WHERE pr.written_at IS NULL
                  AND EXISTS (SELECT 1 FROM print_piece p WHERE p.print_run_id = pr.id)
                  AND (CAST(:org AS text) IS NULL OR o.slug = :org)
                  AND (CAST(:campaign AS text) IS NULL OR c.key = :campaign)
                ORDER BY pr.id
                """)
                .param("org", org)
                .param("campaign", campaign)
                .query((rs, i) -> new Unwritten(
                        rs.getLong(1),
                        rs.getLong(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getTimestamp(5).toInstant()))
                .list();
    }

    /** A run's piece as its manifest row says it, with its proof. */
    public record PrintedPiece(
            String pieceId,
            String externalId,
            String name,
            String address1,
            String address2,
            String city,
            String region,
            String zip,
            String country,
            String proof) {}

    /** The run's pieces, in recipient order. */
    public List<PrintedPiece> pieces(long runId) {
        return jdbc.sql("""
                SELECT p.piece_id, r.external_id, btrim(coalesce(r.first_name, '') || ' ' || coalesce(r.last_name, '')),
                       r.address1, r.address2, r.city, r.region, r.zip, r.country, r.proof_front
                FROM print_piece p JOIN recipient r ON r.id = p.recipient_id
                WHERE p.print_run_id = ? ORDER BY p.recipient_id
                """)
                .param(runId)
                .query((rs, i) -> new PrintedPiece(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3).isEmpty() ? "Current Resident" : rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getString(8),
                        rs.getString(9),
                        rs.getString(10)))
                .list();
    }

    /** Marks the run written, into {@code directory}, with its pieces' count. */
    public void written(long runId, String directory, int pieces) {
        jdbc.sql("UPDATE print_run SET written_at = ?, directory = ?, pieces = ? WHERE id = ?")
                .param(Timestamp.from(Instant.now()))
                .param(directory)
                .param(pieces)
                .param(runId)
                .update();
    }
}
