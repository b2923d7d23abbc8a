package io.paperrun.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.ScenarioTest;
import io.paperrun.support.Snapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Stage B's queue, {@code attribution_pending}, holds exactly the unprocessed attributions, whichever
 * statement wrote them: a sync, stage B, a re-imported order matched differently or no longer matched,
 * a campaign setting changed by apply, a re-run.
 */
class AttributionPendingQueueTest extends ScenarioTest {

    @Test
    void theQueueHoldsTheUnprocessedAttributionsThroughEveryKindOfWrite() throws IOException {
        applySample();
        importSampleRecipients();
        importSampleOrders();
        Snapshot.assertQueueInStep(jdbc);
        long unprocessed = unprocessed();
        assertThat(unprocessed).as("the sample leaves work for stage B").isPositive();
        assertThat(queued()).isEqualTo(unprocessed);
        assertThat(queuedHoldouts())
                .as("holdout attributions are decided by the sync itself")
                .isZero();

        run(0, "run", "attribution-processing");
        assertThat(queued()).isZero();
        Snapshot.assertQueueInStep(jdbc);

        // A campaign setting that stage B depends on: its attributions are queued again.
        apply(sampleApplyText().replace("status: completed", "status: archived"));
        assertThat(queued()).isPositive().isEqualTo(unprocessed());
        Snapshot.assertQueueInStep(jdbc);
        run(0, "run", "attribution-processing");
        assertThat(queued()).isZero();

        // A re-imported order whose email changed: matched to nobody, its attribution is deleted and leaves
        // nothing in the queue; another, matched differently, is queued.
        String orders = Files.readString(Path.of(EXAMPLES + "orders.csv"));
        String firstMatched = jdbc.sql("""
                SELECT o.provider_order_id FROM attribution a JOIN customer_order o ON o.id = a.order_id
                WHERE a.method = 'email' AND NOT a.holdout ORDER BY o.id LIMIT 1
                """).query(String.class).single();
        String email = jdbc.sql("SELECT email FROM customer_order WHERE provider_order_id = ?")
                .param(firstMatched)
                .query(String.class)
                .single();
        importOrders("acme", orders.replace(email, "someone.else@example.net"));
        Snapshot.assertQueueInStep(jdbc);
        run(0, "run", "attribution-processing");
        assertThat(queued()).isZero();

        run(0, "run", "attribution-rerun", "from=2024-01-01", "to=2025-01-01", "org=acme");
        assertThat(queued()).as("a re-run decides what it re-matched").isZero();
        Snapshot.assertQueueInStep(jdbc);
    }

    @Test
    void anAttributionThatBecomesAHoldoutOneIsQueuedAsSuch() {
        applySample();
        importSampleRecipients();
        importSampleOrders();
        long id = jdbc.sql("SELECT id FROM attribution WHERE NOT processed ORDER BY id LIMIT 1")
                .query(Long.class)
                .single();
        jdbc.sql("UPDATE attribution SET holdout = true WHERE id = ?").param(id).update();
        assertThat(jdbc.sql("SELECT holdout FROM attribution_pending WHERE attribution_id = ?")
                        .param(id)
                        .query(Boolean.class)
                        .single())
                .isTrue();
        jdbc.sql("UPDATE attribution SET processed = true WHERE id = ?")
                .param(id)
                .update();
        assertThat(jdbc.sql("SELECT count(*) FROM attribution_pending WHERE attribution_id = ?")
                        .param(id)
                        .query(Long.class)
                        .single())
                .isZero();
        jdbc.sql("DELETE FROM attribution WHERE processed").update();
        jdbc.sql("UPDATE attribution SET processed = false").update();
        Snapshot.assertQueueInStep(jdbc);
        jdbc.sql("DELETE FROM attribution").update();
        assertThat(queued()).isZero();
    }

    private long unprocessed() {
        return jdbc.sql("SELECT count(*) FROM attribution WHERE NOT processed")
                .query(Long.class)
                .single();
    }

    private long queued() {
        return count("attribution_pending");
    }

    private long queuedHoldouts() {
        return jdbc.sql("SELECT count(*) FROM attribution_pending WHERE holdout")
                .query(Long.class)
                .single();
    }
}
