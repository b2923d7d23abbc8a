package io.paperrun.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.DatabaseTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * attribution-rerun after the data changed: the orders of the range are matched again on today's data,
 * the same recipient's later orders in the campaign (outside the range) are decided again through the
 * repeat-order rule and {@code order_count}, and nothing else outside the range is touched.
 * <p>
 * winback-2024 has its holdout enabled: a window of 1 to 60 days from 6 January (sent 5 January).
 */
class AttributionRerunDependentsTest extends DatabaseTest {

    private static final String RECIPIENTS = "campaign,external_id,email,address1,city,zip,status,created_at,sent_at\n";
    private static final String R1 =
            "winback-2024,r1,r1@example.com,,,,sent,2024-01-02T00:00:00Z,2024-01-05T00:00:00Z\n";
    private static final String R1_WITH_ADDRESS =
            "winback-2024,r1,r1@example.com,1 Main Street,Town,11111,sent,2024-01-02T00:00:00Z,2024-01-05T00:00:00Z\n";
    private static final String R1_NEW_EMAIL =
            "winback-2024,r1,r1.new@example.com,,,,sent,2024-01-02T00:00:00Z,2024-01-05T00:00:00Z\n";
    private static final String OTHERS =
            "winback-2024,r2,r2@example.com,,,,sent,2024-01-02T00:00:00Z,2024-01-05T00:00:00Z\n"
                    + "winback-2024,r3,r3@example.com,,,,sent,2024-01-02T00:00:00Z,2024-01-05T00:00:00Z\n";
    /** In January: a (nobody's yet, shipped to 1 Main St), b (r1), v (r3). Outside: c (r1), u (r2). */
    private static final String ORDERS = "order_id,created_at,email,total,shipping_address1,shipping_zip\n"
            + "a,2024-01-08T00:00:00Z,a@elsewhere.com,10.00,1 Main St.,11111\n"
            + "b,2024-01-20T00:00:00Z,r1@example.com,20.00,,\n"
            + "v,2024-01-25T00:00:00Z,r3@example.com,30.00,,\n"
            + "c,2024-04-20T00:00:00Z,r1@example.com,40.00,,\n"
            + "u,2024-04-21T00:00:00Z,r2@example.com,50.00,,\n";

    @TempDir
    Path dir;

    private int files;

    @BeforeEach
    void liveRun() throws IOException {
        applySample();
        importRecipients(R1 + OTHERS);
        importOrders();
        run(0, "run", "attribution-processing");
        assertThat(attributions())
                .containsExactly(
                        "b r1 email passes=true count=1",
                        "c r1 email passes=true count=2",
                        "u r2 email passes=false count=1",
                        "v r3 email passes=true count=1");
    }

    @Test
    void anEarlierOrderInTheRangeGainingAnAttributionRecountsTheRecipientsLaterOrderOutsideTheRange()
            throws IOException {
        importRecipients(R1_WITH_ADDRESS);
        // Stage A ran when the orders were synced: loading recipients alone changes no attribution.
        assertThat(attributions()).hasSize(4);
        Map<String, String> before = versions();

        run(0, "run", "attribution-rerun", "from=2024-01-01", "to=2024-02-01", "org=acme");
        assertThat(attributions())
                .containsExactly(
                        "a r1 physical_address passes=true count=1",
                        "b r1 email passes=true count=2",
                        "c r1 email passes=true count=3",
                        "u r2 email passes=false count=1",
                        "v r3 email passes=true count=1");
        Map<String, String> after = versions();
        assertThat(after.get("u"))
                .as("an unrelated order outside the range is not touched")
                .isEqualTo(before.get("u"));
        assertThat(after.get("c"))
                .as("the same recipient's later order is decided again")
                .isNotEqualTo(before.get("c"));

        // The same as a live run on today's data, and a second re-run changes nothing.
        String rerun = exportAttributions();
        run(0, "run", "attribution-rerun", "from=2024-01-01", "to=2024-02-01", "org=acme");
        assertThat(exportAttributions()).isEqualTo(rerun);
        emptyTables();
        applySample();
        importRecipients(R1_WITH_ADDRESS + OTHERS);
        importOrders();
        run(0, "run", "attribution-processing");
        assertThat(exportAttributions()).isEqualTo(rerun);
    }

    @Test
    void anEarlierOrderInTheRangeLosingItsAttributionLeavesTheLaterOneFirstAndOutsideItsWindow() throws IOException {
        importRecipients(R1_NEW_EMAIL);
        Map<String, String> before = versions();

        run(0, "run", "attribution-rerun", "from=2024-01-01", "to=2024-02-01", "org=acme");
        // b is no longer r1's; c (outside the range, not matched again) is now r1's first order, and 20 April
        // is past the window: the repeat-order rule no longer saves it.
        assertThat(attributions())
                .containsExactly(
                        "c r1 email passes=false count=1",
                        "u r2 email passes=false count=1",
                        "v r3 email passes=true count=1");
        assertThat(versions().get("u")).isEqualTo(before.get("u"));
    }

    @Test
    void aRerunOfARangeWithoutTheRecipientsOrdersChangesNothingOfThem() throws IOException {
        importRecipients(R1_WITH_ADDRESS);
        Map<String, String> before = versions();
        run(0, "run", "attribution-rerun", "from=2024-02-01", "to=2024-05-01", "org=acme");
        // a is outside this range: it stays unattributed, and b keeps its version.
        assertThat(attributions())
                .containsExactly(
                        "b r1 email passes=true count=1",
                        "c r1 email passes=true count=2",
                        "u r2 email passes=false count=1",
                        "v r3 email passes=true count=1");
        assertThat(versions().get("b")).isEqualTo(before.get("b"));
        assertThat(versions().get("v")).isEqualTo(before.get("v"));
    }

    private List<String> attributions() {
        return jdbc.sql("""
                SELECT o.provider_order_id || ' ' || coalesce(r.natural_key, '-') || ' ' || a.method
                       || ' passes=' || coalesce(a.passes_rules::text, '-') || ' count=' || coalesce(a.order_count::text, '-')
                FROM attribution a JOIN customer_order o ON o.id = a.order_id LEFT JOIN recipient r ON r.id = a.recipient_id
                ORDER BY 1
                """).query(String.class).list();
    }

    /** Each attribution's row version and updated_at, by order id. */
    private Map<String, String> versions() {
        return jdbc
                .sql("SELECT o.provider_order_id, a.xmin::text || ' ' || a.updated_at FROM attribution a "
                        + "JOIN customer_order o ON o.id = a.order_id")
                .query((rs, i) -> Map.entry(rs.getString(1), rs.getString(2)))
                .list()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private void importRecipients(String rows) throws IOException {
        Path file = Files.writeString(dir.resolve("recipients-" + files++ + ".csv"), RECIPIENTS + rows);
        run(0, "import", "recipients", "--org", "acme", "--file", file.toString());
    }

    private void importOrders() throws IOException {
        Path file = Files.writeString(dir.resolve("orders.csv"), ORDERS);
        run(0, "import", "orders", "--org", "acme", "--file", file.toString());
    }
}
