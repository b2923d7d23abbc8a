package io.paperrun.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.DatabaseTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The order-sync job: checkpoints and run records, re-imported orders, holdouts decided at once. */
class OrderSyncTest extends DatabaseTest {

    private static final String HEADER = "order_id,created_at,email,total,discount_codes\n";

    @TempDir
    Path dir;

    @BeforeEach
    void campaignsAndRecipients() {
        run(0, "apply", "-f", EXAMPLES + "acme.yaml");
        run(0, "import", "recipients", "--org", "acme", "--file", EXAMPLES + "recipients.csv");
    }

    @Test
    void eachRunRecordsWhereItStartedAndEndedAndTheNextStartsFromTheStoredCheckpoint() throws IOException {
        importOrders("a.csv", "1,2024-01-10T00:00:00Z,ann@example.com,10.00,\n2,2024-01-12T00:00:00Z,x@y.com,5.00,\n");
        assertThat(runs()).containsExactly("null -> 2024-01-12 00:00:00+00 read=2 new=2 updated=0 matched=1 skipped=0");
        assertThat(checkpoint()).isEqualTo("2024-01-12 00:00:00+00");

        importOrders("b.csv", "3,2024-01-11T00:00:00Z,bob@example.com,10.00,\n4,2024-01-15T00:00:00Z,x@y.com,5.00,\n");
        assertThat(runs())
                .last()
                .isEqualTo(
                        "2024-01-12 00:00:00+00 -> 2024-01-15 00:00:00+00 read=2 new=2 updated=0 matched=1 skipped=0");
        assertThat(checkpoint()).isEqualTo("2024-01-15 00:00:00+00");

        // Older orders (a backfill) are imported too, and never move the checkpoint back.
        importOrders("c.csv", "5,2024-01-01T00:00:00Z,x@y.com,5.00,\n");
        assertThat(runs())
                .last()
                .isEqualTo(
                        "2024-01-15 00:00:00+00 -> 2024-01-15 00:00:00+00 read=1 new=1 updated=0 matched=0 skipped=0");
        assertThat(count("customer_order")).isEqualTo(5);
    }

    @Test
    void severalDiscountCodesSeparatedBySemicolonsAreEachMatched() throws IOException {
        // ivy's unique code is the second of two; nobody has the order's email.
        importOrders("codes.csv", "7,2024-02-10T12:00:00Z,someone@elsewhere.net,95.00,FOO; welcome-ivy\n");
        assertThat(jdbc.sql("""
                SELECT r.natural_key || ' ' || a.method FROM attribution a JOIN recipient r ON r.id = a.recipient_id
                """).query(String.class).list()).containsExactly("wl-001 discount_code");
    }

    @Test
    void withoutAStoredCheckpointARunStartsFromTheLatestStoredOrder() throws IOException {
        importOrders("a.csv", "1,2024-01-10T00:00:00Z,ann@example.com,10.00,\n2,2024-01-12T00:00:00Z,x@y.com,5.00,\n");
        jdbc.sql("DELETE FROM order_sync_checkpoint").update();
        importOrders("b.csv", "3,2024-01-11T00:00:00Z,x@y.com,5.00,\n");
        assertThat(runs()).last().asString().startsWith("2024-01-12 00:00:00+00 -> 2024-01-12 00:00:00+00");
    }

    @Test
    void aFailedRunDoesNotAdvanceTheCheckpoint() throws IOException {
        importOrders("a.csv", "1,2024-01-10T00:00:00Z,ann@example.com,10.00,\n");
        jdbc.sql("CREATE FUNCTION fail_order() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected'; END $$ "
                        + "LANGUAGE plpgsql")
                .update();
        jdbc.sql("CREATE TRIGGER fail_order BEFORE INSERT ON customer_order FOR EACH ROW "
                        + "EXECUTE FUNCTION fail_order()")
                .update();
        try {
            Path b = Files.writeString(dir.resolve("b.csv"), HEADER + "2,2024-03-01T00:00:00Z,x@y.com,5.00,\n");
            run(1, "import", "orders", "--org", "acme", "--file", b.toString());
        } finally {
            jdbc.sql("DROP TRIGGER fail_order ON customer_order").update();
            jdbc.sql("DROP FUNCTION fail_order()").update();
        }
        assertThat(checkpoint()).isEqualTo("2024-01-10 00:00:00+00");
    }

    @Test
    void reImportingAnOrderUpdatesItAndMatchesItAgain() throws IOException {
        importOrders(
                "a.csv",
                "1,2024-01-10T00:00:00Z,ann@example.com,10.00,\n2,2024-01-10T00:00:00Z,cat@example.com,10.00,\n");
        assertThat(attributions()).containsExactly("1 wb-001 email", "2 wb-003 email");

        // The same order ids, changed: 1 now from bob, 2 from nobody we mailed.
        importOrders(
                "b.csv",
                "1,2024-01-10T00:00:00Z,bob@example.com,12.00,\n2,2024-01-10T00:00:00Z,nobody@else.com,10.00,\n");
        assertThat(count("customer_order")).isEqualTo(2);
        assertThat(jdbc.sql("SELECT total::text FROM customer_order WHERE provider_order_id = '1'")
                        .query(String.class)
                        .single())
                .isEqualTo("12.00");
        assertThat(attributions()).containsExactly("1 wb-002 email");
        assertThat(runs()).last().asString().contains("read=2 new=0 updated=2 matched=1");
    }

    @Test
    void holdoutAttributionsAreDecidedDuringTheSync() throws IOException {
        importOrders(
                "a.csv",
                "1,2024-01-20T11:00:00Z,fay@example.com,80.00,\n2,2024-01-10T00:00:00Z,ann@example.com,10.00,\n");
        assertThat(jdbc.sql("""
                SELECT o.provider_order_id || ' holdout=' || a.holdout || ' processed=' || a.processed
                       || ' passes=' || coalesce(a.passes_rules::text, '-')
                FROM attribution a JOIN customer_order o ON o.id = a.order_id ORDER BY 1
                """).query(String.class).list())
                .containsExactly(
                        "1 holdout=true processed=true passes=true", "2 holdout=false processed=false passes=-");
    }

    @Test
    void anEarlierOrderImportedLaterRecountsTheRecipientsLaterOrders() throws IOException {
        importOrders("a.csv", "2,2024-01-20T00:00:00Z,ann@example.com,10.00,\n");
        run(0, "run", "attribution-processing");
        assertThat(orderCounts()).containsExactly("2 count=1");
        importOrders("b.csv", "1,2024-01-10T00:00:00Z,ann@example.com,10.00,\n");
        run(0, "run", "attribution-processing");
        assertThat(orderCounts()).containsExactly("1 count=1", "2 count=2");
    }

    private List<String> orderCounts() {
        return jdbc.sql("SELECT o.provider_order_id || ' count=' || a.order_count FROM attribution a "
                        + "JOIN customer_order o ON o.id = a.order_id ORDER BY 1")
                .query(String.class)
                .list();
    }

    private List<String> attributions() {
        return jdbc.sql(
                        "SELECT o.provider_order_id || ' ' || r.natural_key || ' ' || a.method FROM attribution a "
                                + "JOIN customer_order o ON o.id = a.order_id JOIN recipient r ON r.id = a.recipient_id ORDER BY 1")
                .query(String.class)
                .list();
    }

    private List<String> runs() {
        return jdbc.sql("""
                SELECT coalesce(checkpoint_before::text, 'null') || ' -> ' || coalesce(checkpoint_after::text, 'null')
                       || ' read=' || orders_read || ' new=' || orders_new || ' updated=' || orders_updated
                       || ' matched=' || orders_matched || ' skipped=' || orders_skipped
                FROM order_sync_run ORDER BY job_execution_id
                """).query(String.class).list();
    }

    private String checkpoint() {
        return jdbc.sql("SELECT last_order_at::text FROM order_sync_checkpoint")
                .query(String.class)
                .single();
    }

    private void importOrders(String name, String rows) throws IOException {
        Path file = Files.writeString(dir.resolve(name), HEADER + rows);
        run(0, "import", "orders", "--org", "acme", "--file", file.toString());
    }
}
