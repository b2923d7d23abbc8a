package io.paperrun.mailing;

import io.paperrun.batch.TextArray;
import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Sent pieces and what their printers say of them: the delivery status, the in-home date, the events. */
@Repository
public class DeliveryRepository {

    /** The sent pieces the printers may still say more of. */
    static final String TO_TRACK =
            "status = 'sent' AND provider IN ('lob','stannp','intelliprint') AND NOT tracking_done";

    private final JdbcClient jdbc;

    public DeliveryRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The organizations with pieces to track (the one {@code org} names, else all), by slug. */
    public List<String> organizationsToTrack(String org) {
        return jdbc.sql("""
                SELECT o.slug FROM organization o
                WHERE (CAST(:org AS text) IS NULL OR o.slug = :org)
                  AND EXISTS (SELECT 1 FROM recipient r
                              WHERE r.organization_id = o.id AND r.status = 'sent'
                                AND r.provider IN ('lob','stannp','intelliprint') AND NOT r.tracking_done)
                ORDER BY o.slug
                """).param("org", org).query(String.class).list();
    }

    /**
     * Stores the chunk's tracking: the delivery status and in-home date where the printer gave them, whether the
     * printer will say more, and each event once.
     *
     * @return how many pieces became delivered and how many returned
     */
    public int[] write(List<? extends PieceUpdate> updates) {
        List<String> ids = new ArrayList<>();
        List<String> statuses = new ArrayList<>();
        List<String> inHome = new ArrayList<>();
        List<String> done = new ArrayList<>();
        List<String> eventRecipients = new ArrayList<>();
        List<String> eventIds = new ArrayList<>();
        List<String> eventNames = new ArrayList<>();
        List<String> eventTimes = new ArrayList<>();
        int delivered = 0;
        int returned = 0;
        for (PieceUpdate update : updates) {
            PieceTracking t = update.tracking();
            ids.add(Long.toString(update.piece().id()));
            statuses.add(t.status() == null ? null : t.status().code());
            inHome.add(
                    t.inHomeDate() == null ? null : Date.valueOf(t.inHomeDate()).toString());
            done.add(Boolean.toString(t.finished()));
            delivered += t.status() == DeliveryStatus.DELIVERED ? 1 : 0;
            returned += t.status() == DeliveryStatus.RETURNED_TO_SENDER ? 1 : 0;
            for (PieceTracking.Event e : t.events()) {
                eventRecipients.add(Long.toString(update.piece().id()));
                eventIds.add(e.id());
                eventNames.add(e.name());
                eventTimes.add(e.time() == null ? null : e.time().toString());
            }
        }
        jdbc.sql("""
                UPDATE recipient r SET delivery_status = COALESCE(t.status, r.delivery_status),
                       in_home_date = COALESCE(t.in_home, r.in_home_date), tracking_done = t.done,
                       tracked_at = now(), updated_at = now()
                FROM unnest(:ids::bigint[], :statuses::text[], :inHome::date[], :done::boolean[])
                         AS t(id, status, in_home, done)
                WHERE r.id = t.id AND r.status = 'sent'
                """)
                .param("ids", TextArray.of(ids))
                .param("statuses", TextArray.of(statuses))
                .param("inHome", TextArray.of(inHome))
                .param("done", TextArray.of(done))
                .update();
        if (!eventIds.isEmpty()) {
            jdbc.sql("""
                    INSERT INTO delivery_event (recipient_id, event_id, name, occurred_at)
                    SELECT * FROM unnest(:recipients::bigint[], :ids::text[], :names::text[], :times::timestamptz[])
                    ON CONFLICT (recipient_id, event_id) DO NOTHING
                    """)
                    .param("recipients", TextArray.of(eventRecipients))
                    .param("ids", TextArray.of(eventIds))
                    .param("names", TextArray.of(eventNames))
                    .param("times", TextArray.of(eventTimes))
                    .update();
        }
        return new int[] {delivered, returned};
    }
}
