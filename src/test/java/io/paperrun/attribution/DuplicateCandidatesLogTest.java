package io.paperrun.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.paperrun.support.ScenarioTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * "When several recipients qualify in a step, the most recently created wins; the others are counted on
 * the attribution as duplicate candidates and logged as such."
 */
class DuplicateCandidatesLogTest extends ScenarioTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(AttributionStore.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private Level levelBefore;

    @BeforeEach
    void captureInfo() {
        levelBefore = logger.getLevel();
        logger.setLevel(Level.INFO);
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void release() {
        logger.detachAppender(logged);
        logger.setLevel(levelBefore);
    }

    @Test
    void duplicateCandidatesAreCountedAndLogged() {
        applySample();
        importRecipients("acme", """
                campaign,external_id,email,status,created_at,sent_at
                winback-2024,older,pat@example.com,sent,2024-01-02T00:00:00Z,2024-01-05T00:00:00Z
                welcome-2024,newer,pat@example.com,sent,2024-01-03T00:00:00Z,2024-01-05T00:00:00Z
                winback-2024,alone,sam@example.com,sent,2024-01-02T00:00:00Z,2024-01-05T00:00:00Z
                """);
        importOrders("acme", """
                order_id,created_at,email,total
                shared-1,2024-01-20T00:00:00Z,Pat@Example.com,20.00
                single-1,2024-01-20T00:00:00Z,sam@example.com,20.00
                """);
        assertThat(jdbc.sql("""
                SELECT o.provider_order_id || ' ' || r.external_id || ' dup=' || a.duplicate_candidates
                FROM attribution a JOIN customer_order o ON o.id = a.order_id JOIN recipient r ON r.id = a.recipient_id
                ORDER BY 1
                """).query(String.class).list())
                .containsExactly("shared-1 newer dup=1", "single-1 alone dup=0");
        assertThat(logged.list).hasSize(1);
        assertThat(logged.list.get(0).getFormattedMessage())
                .startsWith("order shared-1: attributed to recipient ")
                .contains("by email; 1 other recipient qualified too (duplicate candidates");

        // Importing the same orders again changes nothing, and logs nothing again.
        importOrders("acme", """
                order_id,created_at,email,total
                shared-1,2024-01-20T00:00:00Z,Pat@Example.com,20.00
                """);
        assertThat(logged.list).hasSize(1);
    }

    @Test
    void aReRunThatFindsANewDuplicateLogsItOnceWhenItRewritesTheAttribution() {
        applySample();
        importRecipients("acme", """
                campaign,external_id,email,status,created_at,sent_at
                winback-2024,older,pat@example.com,sent,2024-01-02T00:00:00Z,2024-01-05T00:00:00Z
                """);
        importOrders("acme", """
                order_id,created_at,email,total
                shared-1,2024-01-20T00:00:00Z,pat@example.com,20.00
                """);
        assertThat(logged.list).isEmpty();
        // A second recipient with the same email, created later, arrives after the order was matched.
        importRecipients("acme", """
                campaign,external_id,email,status,created_at,sent_at
                welcome-2024,newer,pat@example.com,sent,2024-01-03T00:00:00Z,2024-01-05T00:00:00Z
                """);

        run(0, "run", "attribution-rerun", "from=2024-01-01", "to=2024-02-01", "org=acme");
        assertThat(attributions())
                .containsExactly("acme/shared-1 -> acme/welcome-2024 newer email holdout=false dup=1");
        assertThat(logged.list)
                .singleElement()
                .extracting(ILoggingEvent::getFormattedMessage)
                .asString()
                .startsWith("order shared-1: attributed to recipient ")
                .contains("of campaign ")
                .contains("by email; 1 other recipient qualified too");

        // The same re-run again finds the same match: nothing is written, nothing logged again.
        run(0, "run", "attribution-rerun", "from=2024-01-01", "to=2024-02-01", "org=acme");
        assertThat(logged.list).hasSize(1);
    }
}
