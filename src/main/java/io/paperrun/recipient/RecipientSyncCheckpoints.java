package io.paperrun.recipient;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Where each campaign's segment sync stands and what each run did, as order sync keeps them for orders: the newest
 * {@code joined_group_at} synced, else the newest recipient's; per run, where it started and ended, profiles read,
 * recipients new, profiles skipped, recipients suppressed and held out. The checkpoint advances with each chunk.
 */
@Repository
public class RecipientSyncCheckpoints {

    private final JdbcClient jdbc;

    public RecipientSyncCheckpoints(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** What one chunk added to a run. */
    public record ChunkCounts(long read, long created, long skipped, long suppressed, long heldOut, Instant latest) {}

    public record Run(
            long jobExecutionId,
            long campaignId,
            Instant checkpointBefore,
            Instant checkpointAfter,
            long read,
            long created,
            long skipped,
            long suppressed,
            long heldOut) {}

    /** The stored checkpoint, else the newest joined time of the campaign's recipients, else none. */
    public Instant startingPoint(long campaignId) {
        return jdbc.sql("""
                        SELECT coalesce(
                            (SELECT last_joined_at FROM recipient_sync_checkpoint WHERE campaign_id = :c),
                            (SELECT max(joined_group_at) FROM recipient WHERE campaign_id = :c))
                        """)
                .param("c", campaignId)
                .query((rs, i) -> instant(rs.getTimestamp(1)))
                .optional()
                .orElse(null);
    }

    /** Where the earlier executions of a restarted instance started for the campaign, and the latest they got to. */
    public Optional<Instant[]> resumed(List<Long> earlierExecutionIds, long campaignId) {
        if (earlierExecutionIds.isEmpty()) {
            return Optional.empty();
        }
        return jdbc.sql("""
                        SELECT (array_agg(checkpoint_before ORDER BY job_execution_id))[1], max(checkpoint_after)
                        FROM recipient_sync_run WHERE job_execution_id = ANY(?) AND campaign_id = ?
                        HAVING count(*) > 0
                        """)
                .param(earlierExecutionIds.stream().mapToLong(Long::longValue).toArray())
                .param(campaignId)
                .query((rs, i) -> new Instant[] {instant(rs.getTimestamp(1)), instant(rs.getTimestamp(2))})
                .optional();
    }

    /** Records that a campaign's run starts (idempotent for the same execution). */
    public void startRun(long jobExecutionId, long campaignId, Instant before, Instant after) {
        jdbc.sql("""
                        INSERT INTO recipient_sync_run (job_execution_id, campaign_id, checkpoint_before, checkpoint_after)
                        VALUES (?, ?, ?, ?) ON CONFLICT (job_execution_id, campaign_id) DO NOTHING
                        """)
                .params(jobExecutionId, campaignId, timestamp(before), timestamp(after))
                .update();
    }

    /** Adds a chunk's counts to its run and advances the checkpoint, in the chunk's transaction. */
    public void addChunk(long jobExecutionId, long campaignId, ChunkCounts c) {
        jdbc.sql("""
                        UPDATE recipient_sync_run SET profiles_read = profiles_read + :read,
                            recipients_new = recipients_new + :created, profiles_skipped = profiles_skipped + :skipped,
                            recipients_suppressed = recipients_suppressed + :suppressed,
                            recipients_held_out = recipients_held_out + :held,
                            checkpoint_after = GREATEST(checkpoint_after, :latest)
                        WHERE job_execution_id = :execution AND campaign_id = :campaign
                        """)
                .param("read", c.read())
                .param("created", c.created())
                .param("skipped", c.skipped())
                .param("suppressed", c.suppressed())
                .param("held", c.heldOut())
                .param("latest", timestamp(c.latest()))
                .param("execution", jobExecutionId)
                .param("campaign", campaignId)
                .update();
        if (c.latest() != null) {
            jdbc.sql("""
                            INSERT INTO recipient_sync_checkpoint (campaign_id, last_joined_at) VALUES (?, ?)
                            ON CONFLICT (campaign_id) DO UPDATE
                                SET last_joined_at = GREATEST(recipient_sync_checkpoint.last_joined_at,
                                                              EXCLUDED.last_joined_at),
                                    updated_at = now()
                            """).params(campaignId, timestamp(c.latest())).update();
        }
    }

    /** A campaign's run completed. */
    public void completeRun(long jobExecutionId, long campaignId) {
        jdbc.sql("UPDATE recipient_sync_run SET finished_at = now() WHERE job_execution_id = ? AND campaign_id = ?")
                .params(jobExecutionId, campaignId)
                .update();
    }

    public Optional<Run> run(long jobExecutionId, long campaignId) {
        return jdbc.sql("SELECT * FROM recipient_sync_run WHERE job_execution_id = ? AND campaign_id = ?")
                .params(jobExecutionId, campaignId)
                .query(RecipientSyncCheckpoints::run)
                .optional();
    }

    private static Run run(ResultSet rs, int row) throws SQLException {
        return new Run(
                rs.getLong("job_execution_id"),
                rs.getLong("campaign_id"),
                instant(rs.getTimestamp("checkpoint_before")),
                instant(rs.getTimestamp("checkpoint_after")),
                rs.getLong("profiles_read"),
                rs.getLong("recipients_new"),
                rs.getLong("profiles_skipped"),
                rs.getLong("recipients_suppressed"),
                rs.getLong("recipients_held_out"));
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }
}
