package io.paperrun.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.DatabaseTest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Stage B and a concurrent sync: a decision made on a version of an attribution that changed is not stored. */
class AttributionDecisionWriterConcurrencyTest extends DatabaseTest {

    @Autowired
    AttributionDecisionWriter processor;

    @Autowired
    DataSource dataSource;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Test
    void decisionOnAnAttributionChangedMeanwhileIsDroppedAndLeftForTheNextRun() throws Exception {
        applySample();
        importSampleRecipients();
        importSampleOrders();
        long id = jdbc.sql("SELECT a.id FROM attribution a JOIN customer_order o ON o.id = a.order_id "
                        + "WHERE o.provider_order_id = '1001'")
                .query(Long.class)
                .single();
        try (Connection sync = dataSource.getConnection()) {
            sync.setAutoCommit(false);
            try (Statement st = sync.createStatement()) {
                // A sync re-matches the attribution and holds its row until it commits.
                st.executeUpdate("UPDATE attribution SET duplicate_candidates = 1, processed = false WHERE id = " + id);
            }
            CompletableFuture<Integer> processing = CompletableFuture.supplyAsync(
                    () -> new TransactionTemplate(transactionManager).execute(s -> processor.decide(List.of(id))));
            waitUntilBlockedOnALock();
            sync.commit();
            processing.get(30, TimeUnit.SECONDS);
        }
        assertThat(jdbc.sql("SELECT processed FROM attribution WHERE id = ?")
                        .param(id)
                        .query(Boolean.class)
                        .single())
                .as("the stale decision was not stored")
                .isFalse();

        processor.decide(List.of(id));
        assertThat(jdbc.sql("SELECT processed AND passes_rules FROM attribution WHERE id = ?")
                        .param(id)
                        .query(Boolean.class)
                        .single())
                .as("the next run decides it")
                .isTrue();
    }

    private void waitUntilBlockedOnALock() throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            long waiting = jdbc.sql("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                            + "AND query LIKE 'UPDATE attribution a SET processed = true%'")
                    .query(Long.class)
                    .single();
            if (waiting > 0) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the processor never waited for the sync's row lock");
    }
}
