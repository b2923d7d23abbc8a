package io.paperrun.recipient;

import io.paperrun.attribution.AttributionWriters;
import io.paperrun.batch.JobRunGuard;
import io.paperrun.batch.TextArray;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

@Repository
public class RecipientRepository {

    private final JdbcClient jdbc;
    private final JobRunGuard guard;

    public RecipientRepository(JdbcClient jdbc, JobRunGuard guard) {
        this.jdbc = jdbc;
        this.guard = guard;
    }

    /**
     * Before a chunk is upserted: queues for stage B again the decided attributions of each campaign whose first
     * send (the earliest {@code sent_at}, where its window starts unless it sets {@code first_send_date}) the chunk
     * makes earlier, as {@code apply} does when a campaign's settings change.
     *
     * @param requeued what this step has queued again (a map the caller keeps for the step), filled when the
     *                 chunk commits
     * @return how many attributions were queued again
     */
    public int requeueWhereFirstSendMoves(List<IncomingRecipient> rows, Map<Long, Long> requeued) {
        // It first waits for any job that decides attributions to end, and keeps them from starting until the
        // chunk commits (JobRunGuard.waitForGroupSql), so that no decision made on the old first send commits
        // after it. The re-queueing scans the attributions (none of their indexes leads with the campaign): a
        // campaign queued again by this step (requeued: campaign, and the newest execution of a job that decides
        // attributions then) is not scanned again while no such job has run since, its attributions being all
        // undecided still; in a file sorted newest first every chunk moves the first send. The file's sent_at is
        // compared, although a recipient keeps the one it was stored with: a file that contradicts a stored
        // sent_at queues decisions again that come out the same. A campaign with no recipient stored yet has no
        // attribution that depends on it.
        Map<Long, Instant> earliest = new HashMap<>();
        for (IncomingRecipient r : rows) {
            if (r.sentAt() != null) {
                earliest.merge(r.campaignId(), r.sentAt(), (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        return requeueWhereFirstSendMoves(earliest, requeued);
    }

    /**
     * As {@link #requeueWhereFirstSendMoves(List, Map)}, for campaigns about to have sends at these times (the
     * earliest per campaign): mailing's, before it commits {@code sent}.
     */
    public int requeueWhereFirstSendMoves(Map<Long, Instant> earliest, Map<Long, Long> requeued) {
        if (earliest.isEmpty()) {
            return 0;
        }
        List<Long> campaigns = List.copyOf(earliest.keySet());
        String[] sent = campaigns.stream().map(c -> earliest.get(c).toString()).toArray(String[]::new);
        List<Long> moved = jdbc.sql("""
                SELECT t.campaign_id FROM unnest(:campaigns::bigint[], :sent::timestamptz[]) AS t(campaign_id, sent_at)
                JOIN campaign c ON c.id = t.campaign_id AND c.first_send_date IS NULL
                WHERE EXISTS (SELECT 1 FROM recipient r WHERE r.campaign_id = t.campaign_id)
                  AND NOT EXISTS (SELECT 1 FROM recipient r
                                  WHERE r.campaign_id = t.campaign_id AND r.sent_at IS NOT NULL
                                    AND r.sent_at <= t.sent_at)
                """)
                .param(
                        "campaigns",
                        campaigns.stream().mapToLong(Long::longValue).toArray())
                .param("sent", TextArray.of(sent))
                .query(Long.class)
                .list();
        if (moved.isEmpty()) {
            return 0;
        }
        jdbc.sql(JobRunGuard.waitForGroupSql(AttributionWriters.GROUP))
                .query(Object.class)
                .list();
        long watermark = jdbc.sql(guard.lastExecutionOfGroupSql(AttributionWriters.GROUP))
                .query(Long.class)
                .single();
        long[] scan = moved.stream()
                .filter(c -> !Long.valueOf(watermark).equals(requeued.get(c)))
                .mapToLong(Long::longValue)
                .toArray();
        if (scan.length == 0) {
            return 0;
        }
        int count = jdbc.sql("UPDATE attribution SET processed = false, updated_at = now() "
                        + "WHERE campaign_id = ANY(?) AND processed")
                .param(scan)
                .update();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                for (long c : scan) {
                    requeued.put(c, watermark);
                }
            }
        });
        return count;
    }

    /** How many rows of an upsert were created and how many changed. */
    public record Upserted(int created, int updated) {}

    /**
     * Upserts a chunk by {@code (campaign, natural key)} in one statement. {@code created_at} is set
     * when the recipient is created, and {@code sent_at} once: neither changes afterwards, and a
     * recipient that was sent keeps its status. Natural keys must be unique within the chunk.
     */
    public Upserted upsert(long organizationId, List<IncomingRecipient> rows) {
        List<Boolean> inserted = RecipientColumns.bind(jdbc.sql("""
                INSERT INTO recipient AS r (campaign_id, organization_id, natural_key, external_id, status,
                    created_at, sent_at, email, email_lower, first_name, last_name, address1, address2, city, region,
                    zip, country, address_key, discount_code, discount_code_upper)
                SELECT t.campaign_id, :org, t.natural_key, t.external_id, t.status, t.created_at, t.sent_at, t.email,
                    t.email_lower, t.first_name, t.last_name, t.address1, t.address2, t.city, t.region, t.zip,
                    t.country, t.address_key, t.code, t.code_upper
                FROM unnest(:campaigns::bigint[], :keys::text[], :externalIds::text[], :statuses::text[],
                    :created::timestamptz[], :sent::timestamptz[], :emails::text[], :emailsLower::text[],
                    :first::text[], :last::text[], :a1::text[], :a2::text[], :city::text[], :region::text[],
                    :zip::text[], :country::text[], :addressKeys::text[], :codes::text[], :codesUpper::text[])
                    AS t(campaign_id, natural_key, external_id, status, created_at, sent_at, email, email_lower,
                         first_name, last_name, address1, address2, city, region, zip, country, address_key, code,
                         code_upper)
                ON CONFLICT (campaign_id, natural_key) DO UPDATE SET
                    external_id = EXCLUDED.external_id,
                    status = CASE WHEN r.sent_at IS NOT NULL THEN r.status ELSE EXCLUDED.status END,
                    sent_at = COALESCE(r.sent_at, EXCLUDED.sent_at), email = EXCLUDED.email,
                    email_lower = EXCLUDED.email_lower, first_name = EXCLUDED.first_name,
                    last_name = EXCLUDED.last_name, address1 = EXCLUDED.address1, address2 = EXCLUDED.address2,
                    city = EXCLUDED.city, region = EXCLUDED.region, zip = EXCLUDED.zip, country = EXCLUDED.country,
                    address_key = EXCLUDED.address_key, discount_code = EXCLUDED.discount_code,
                    discount_code_upper = EXCLUDED.discount_code_upper, updated_at = now()
                WHERE (r.external_id, r.status, r.sent_at, r.email, r.first_name, r.last_name, r.address1,
                       r.address2, r.city, r.region, r.zip, r.country, r.discount_code)
                  IS DISTINCT FROM
                      (EXCLUDED.external_id, CASE WHEN r.sent_at IS NOT NULL THEN r.status ELSE EXCLUDED.status END,
                       COALESCE(r.sent_at, EXCLUDED.sent_at), EXCLUDED.email,
                       EXCLUDED.first_name, EXCLUDED.last_name, EXCLUDED.address1, EXCLUDED.address2, EXCLUDED.city,
                       EXCLUDED.region, EXCLUDED.zip, EXCLUDED.country, EXCLUDED.discount_code)
                RETURNING (r.xmax = 0)
                """), rows)
                .param("org", organizationId)
                .param("statuses", RecipientColumns.text(rows, IncomingRecipient::status))
                .param(
                        "sent",
                        RecipientColumns.text(
                                rows,
                                r -> r.sentAt() == null ? null : r.sentAt().toString()))
                .query(Boolean.class)
                .list();
        int createdCount = (int) inserted.stream().filter(Boolean::booleanValue).count();
        return new Upserted(createdCount, inserted.size() - createdCount);
    }
}
