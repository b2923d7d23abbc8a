package io.paperrun.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.attribution.AttributionStore;
import io.paperrun.support.DatabaseTest;
import io.paperrun.support.InjectedFailure;
import io.paperrun.support.Snapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * order-sync runs its partitions side by side and leaves the re-queueing of the attributions their
 * changes affect to its requeue step: recorded by the partitions, applied once they have all committed,
 * and, when a sync stops before it and is not restarted, applied by the next attribution-processing.
 * The jobs that write attributions run one at a time.
 * <p>
 * winback-2024: sent 5 January, a window of 1 to 60 days from 6 January. r1's order c (20 April) is past
 * the window; once the earlier order b (20 January) is synced, c is r1's second order and passes as a
 * repeat order.
 */
class OrderSyncRequeueTest extends DatabaseTest {

    private static final String RECIPIENTS = "campaign,external_id,email,status,created_at,sent_at\n"
            + "winback-2024,r1,r1@example.com,sent,2024-01-02T00:00:00Z,2024-01-05T00:00:00Z\n";
    private static final String HEADER = "order_id,created_at,email,total\n";
    private static final String LATER = HEADER + "c,2024-04-20T00:00:00Z,r1@example.com,40.00\n";
    private static final String EARLIER = HEADER + "b,2024-01-20T00:00:00Z,r1@example.com,20.00\n";

    @Autowired
    DataSource dataSource;

    @TempDir
    Path dir;

    @BeforeEach
    void laterOrderDecided() throws IOException {
        applySample();
        run(0, "import", "recipients", "--org", "acme", "--file", write("recipients.csv", RECIPIENTS));
        run(0, "import", "orders", "--org", "acme", "--file", write("later.csv", LATER));
        run(0, "run", "attribution-processing");
        assertThat(attributions()).containsExactly("c r1 processed=true passes=false count=1");
    }

    @AfterEach
    void dropInjectedFailures() {
        InjectedFailure.dropAll(jdbc);
    }

    @Test
    void anEarlierOrderQueuesTheRecipientsDecidedLaterOrderAgainOnceThePartitionsHaveCommitted() throws IOException {
        run(0, "import", "orders", "--org", "acme", "--file", write("earlier.csv", EARLIER));
        assertThat(attributions())
                .containsExactly("b r1 processed=false passes=- count=-", "c r1 processed=false passes=false count=1");
        assertThat(count("attribution_requeue")).as("applied and forgotten").isZero();
        assertThat(requeueStepWrites()).isEqualTo(1);
        run(0, "run", "attribution-processing");
        assertThat(attributions())
                .containsExactly("b r1 processed=true passes=true count=1", "c r1 processed=true passes=true count=2");
    }

    @Test
    void aWriterAsksOnceWhetherTheOrganizationHasDecidedAttributionsOnlyItsOwnCounting() {
        AttributionStore store = context.getBean(AttributionStore.class);
        long acme = jdbc.sql("SELECT id FROM organization WHERE slug = 'acme'")
                .query(Long.class)
                .single();
        assertThat(store.anyDecided(acme)).isTrue();
        assertThat(store.anyDecided(acme + 1000)).as("another organization's").isFalse();
        jdbc.sql("UPDATE attribution SET processed = false").update();
        assertThat(store.anyDecided(acme))
                .as("none decided, as in a first sync")
                .isFalse();
    }

    @Test
    void aFirstSyncOfTheEarlierOrderTogetherWithTheLaterOneCountsBothWithoutRequeueing() throws IOException {
        emptyTables();
        applySample();
        run(0, "import", "recipients", "--org", "acme", "--file", write("recipients.csv", RECIPIENTS));
        run(
                0,
                "import",
                "orders",
                "--org",
                "acme",
                "--file",
                write("both.csv", LATER + EARLIER.substring(HEADER.length())));
        assertThat(requeueStepWrites()).isZero();
        run(0, "run", "attribution-processing");
        assertThat(attributions())
                .containsExactly("b r1 processed=true passes=true count=1", "c r1 processed=true passes=true count=2");
    }

    @Test
    void aSyncThatStopsBeforeItsRequeueStepLeavesItToTheNextAttributionProcessing() throws IOException {
        List<String> expected = syncEarlierThenProcess();

        emptyTables();
        laterOrderDecided();
        String earlier = write("earlier.csv", EARLIER);
        try (InjectedFailure ignored =
                InjectedFailure.on(jdbc, "attribution", "UPDATE", "OLD.processed AND NOT NEW.processed")) {
            assertThat(run(1, "import", "orders", "--org", "acme", "--file", earlier)
                            .err())
                    .contains(InjectedFailure.MESSAGE);
        }
        assertThat(count("attribution_requeue"))
                .as("recorded by the partition, kept by the failed step")
                .isEqualTo(1);
        assertThat(attributions()).contains("c r1 processed=true passes=false count=1");

        // Not restarted: attribution-processing applies what the sync recorded before deciding.
        run(0, "run", "attribution-processing");
        assertThat(Snapshot.of(jdbc)).isEqualTo(expected);
        assertThat(attributions())
                .containsExactly("b r1 processed=true passes=true count=1", "c r1 processed=true passes=true count=2");
        // Restarted later, the sync has nothing left to change.
        run(0, "import", "orders", "--org", "acme", "--file", earlier);
        run(0, "run", "attribution-processing");
        assertThat(Snapshot.of(jdbc)).isEqualTo(expected);
    }

    @Test
    void theJobsThatWriteAttributionsRunOneAtATime() throws Exception {
        String earlier = write("earlier.csv", EARLIER);
        long executions = count("batch_job_execution");
        try (Connection other = dataSource.getConnection();
                Statement st = other.createStatement()) {
            // What a running order-sync, attribution-processing or attribution-rerun holds.
            st.execute("SELECT pg_advisory_lock(hashtext('paperrun.job'), hashtext('attribution-writers'))");
            String refused = "cannot start while another job that writes attributions is running "
                    + "(attribution-processing, attribution-rerun, order-sync run one at a time)";
            assertThat(run(3, "import", "orders", "--org", "acme", "--file", earlier)
                            .err())
                    .contains("order-sync " + refused);
            assertThat(run(3, "run", "attribution-processing").err()).contains("attribution-processing " + refused);
            assertThat(run(3, "run", "attribution-rerun", "from=2024-01-01", "to=2025-01-01")
                            .err())
                    .contains("attribution-rerun " + refused);
            // Other jobs are not held up.
            run(
                    0,
                    "import",
                    "recipients",
                    "--org",
                    "acme",
                    "--file",
                    write("more.csv", RECIPIENTS.replace("r1", "r9")));
            assertThat(count("batch_job_execution")).isEqualTo(executions + 1);
        }
        run(0, "import", "orders", "--org", "acme", "--file", earlier);
    }

    private List<String> syncEarlierThenProcess() throws IOException {
        run(0, "import", "orders", "--org", "acme", "--file", write("earlier.csv", EARLIER));
        run(0, "run", "attribution-processing");
        return Snapshot.of(jdbc);
    }

    private long requeueStepWrites() {
        return jdbc.sql("SELECT write_count FROM batch_step_execution WHERE step_name = 'order-sync-requeue' "
                        + "ORDER BY step_execution_id DESC LIMIT 1")
                .query(Long.class)
                .single();
    }

    private List<String> attributions() {
        return jdbc.sql("""
                SELECT o.provider_order_id || ' ' || coalesce(r.natural_key, '-') || ' processed=' || a.processed
                       || ' passes=' || coalesce(a.passes_rules::text, '-')
                       || ' count=' || coalesce(a.order_count::text, '-')
                FROM attribution a JOIN customer_order o ON o.id = a.order_id
                LEFT JOIN recipient r ON r.id = a.recipient_id
                ORDER BY 1
                """).query(String.class).list();
    }

    private String write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content).toString();
    }
}
