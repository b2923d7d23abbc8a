package io.paperrun.order;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Where each organization's order sync stands, per provider, and what each run
 * did: where it started, where it ended, orders read, new, updated, matched and
 * skipped. A run starts from the stored checkpoint, or from the latest stored
 * order when there is none. A provider's checkpoint advances with each chunk
 * that commits; a file's when its import completes.
 */
@Repository
public class OrderSyncCheckpoints {

    private final JdbcClient jdbc;
    private final OrderRepository orders;

    public OrderSyncCheckpoints(JdbcClient jdbc, OrderRepository orders) {
        this.jdbc = jdbc;
        this.orders = orders;
    }

    /** What one chunk added to a run. */
    public record ChunkCounts(
            long read,
            long created,
            long updated,
            long matched,
            long internal,
            long blacklisted,
            long skipped,
            Instant latestOrderTime) {}

    public record Run(
            long jobExecutionId,
            long organizationId,
            String provider,
            Instant checkpointBefore,
            Instant checkpointAfter,
            long read,
            long created,
            long updated,
            long matched,
            long internal,
            long blacklisted,
            long skipped) {}

    public Optional<Instant> stored(long organizationId, String provider) {
        return jdbc.sql("SELECT last_order_at FROM order_sync_checkpoint WHERE organization_id = ? AND provider = ?")
                .param(organizationId)
                .param(provider)
                .query((rs, i) -> rs.getTimestamp(1).toInstant())
                .optional();
    }

    /** The stored checkpoint, else the time of the latest stored order, else none. */
    public Instant startingPoint(long organizationId, String provider) {
        return stored(organizationId, provider)
                .or(() -> orders.latestOrderTime(organizationId, provider))
                .orElse(null);
    }

    /** Where the earlier executions of a restarted job instance started, and the latest order they committed. */
    public record Resumed(Instant checkpointBefore, Instant checkpointAfter) {}

    /** The run records of the given earlier executions (of the same job instance), if any. */
    public Optional<Resumed> resumed(List<Long> earlierExecutionIds, long organizationId) {
        if (earlierExecutionIds.isEmpty()) {
            return Optional.empty();
        }
        return jdbc.sql("""
                SELECT (array_agg(checkpoint_before ORDER BY job_execution_id))[1], max(checkpoint_after)
                FROM order_sync_run WHERE job_execution_id = ANY(?) AND organization_id = ?
                HAVING count(*) > 0
                """)
                .param(earlierExecutionIds.stream().mapToLong(Long::longValue).toArray())
                .param(organizationId)
                .query((rs, i) -> new Resumed(instant(rs.getTimestamp(1)), instant(rs.getTimestamp(2))))
                .optional();
    }

    /**
     * Records that a run starts (idempotent for the same execution): from {@code checkpointBefore}, having got
     * to {@code checkpointAfter} already (a restart carries on from its failed executions' committed chunks).
     */
    public void startRun(
            long jobExecutionId,
            long organizationId,
            String provider,
            Instant checkpointBefore,
            Instant checkpointAfter) {
        jdbc.sql("""
                INSERT INTO order_sync_run (job_execution_id, organization_id, provider, checkpoint_before,
                    checkpoint_after)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (job_execution_id, organization_id) DO NOTHING
                """)
                .params(
                        jobExecutionId,
                        organizationId,
                        provider,
                        timestamp(checkpointBefore),
                        timestamp(checkpointAfter))
                .update();
    }

    /** Adds a chunk's counts to its run, in the chunk's transaction. */
    public void addChunk(long jobExecutionId, long organizationId, ChunkCounts c) {
        jdbc.sql("""
                UPDATE order_sync_run SET orders_read = orders_read + :read, orders_new = orders_new + :created,
                    orders_updated = orders_updated + :updated, orders_matched = orders_matched + :matched,
                    orders_internal = orders_internal + :internal,
                    orders_blacklisted = orders_blacklisted + :blacklisted,
                    orders_skipped = orders_skipped + :skipped,
                    checkpoint_after = CASE WHEN checkpoint_after IS NULL OR checkpoint_after < :latest
                                            THEN :latest ELSE checkpoint_after END
                WHERE job_execution_id = :execution AND organization_id = :org
                """)
                .param("read", c.read())
                .param("created", c.created())
                .param("updated", c.updated())
                .param("matched", c.matched())
                .param("internal", c.internal())
                .param("blacklisted", c.blacklisted())
                .param("skipped", c.skipped())
                .param("latest", timestamp(c.latestOrderTime()))
                .param("execution", jobExecutionId)
                .param("org", organizationId)
                .update();
    }

    /**
     * Moves the checkpoint to {@code latest} (never backwards), in the transaction of the chunk that stored the
     * orders up to it.
     */
    public void advance(long organizationId, String provider, Instant latest) {
        jdbc.sql("""
                INSERT INTO order_sync_checkpoint (organization_id, provider, last_order_at) VALUES (?, ?, ?)
                ON CONFLICT (organization_id, provider) DO UPDATE
                    SET last_order_at = GREATEST(order_sync_checkpoint.last_order_at, EXCLUDED.last_order_at),
                        updated_at = now()
                """).params(organizationId, provider, timestamp(latest)).update();
    }

    /** The runs of one execution, one per organization it synced. */
    public List<Run> runs(long jobExecutionId) {
        return jdbc.sql("SELECT * FROM order_sync_run WHERE job_execution_id = ? ORDER BY organization_id")
                .param(jobExecutionId)
                .query(OrderSyncCheckpoints::run)
                .list();
    }

    /** A run completed: it ends now, and the checkpoint moves to where it ended (never backwards). */
    public void completeRun(long jobExecutionId, long organizationId) {
        jdbc.sql("UPDATE order_sync_run SET finished_at = now() WHERE job_execution_id = ? AND organization_id = ?")
                .params(jobExecutionId, organizationId)
                .update();
        jdbc.sql("""
                INSERT INTO order_sync_checkpoint (organization_id, provider, last_order_at)
                SELECT organization_id, provider, checkpoint_after FROM order_sync_run
                WHERE job_execution_id = ? AND organization_id = ? AND checkpoint_after IS NOT NULL
                ON CONFLICT (organization_id, provider) DO UPDATE
                    SET last_order_at = GREATEST(order_sync_checkpoint.last_order_at, EXCLUDED.last_order_at),
                        updated_at = now()
                """).params(jobExecutionId, organizationId).update();
    }

    public Optional<Run> run(long jobExecutionId, long organizationId) {
        return jdbc.sql("SELECT * FROM order_sync_run WHERE job_execution_id = ? AND organization_id = ?")
                .params(jobExecutionId, organizationId)
                .query(OrderSyncCheckpoints::run)
                .optional();
    }

    private static Run run(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Run(
                rs.getLong("job_execution_id"),
                rs.getLong("organization_id"),
                rs.getString("provider"),
                instant(rs.getTimestamp("checkpoint_before")),
                instant(rs.getTimestamp("checkpoint_after")),
                rs.getLong("orders_read"),
                rs.getLong("orders_new"),
                rs.getLong("orders_updated"),
                rs.getLong("orders_matched"),
                rs.getLong("orders_internal"),
                rs.getLong("orders_blacklisted"),
                rs.getLong("orders_skipped"));
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }
}
