package io.paperrun.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.Cli;
import io.paperrun.support.DatabaseTest;
import io.paperrun.support.Snapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-importing orders (same order ids): an unchanged order changes nothing, not even the decisions already
 * made; a changed one is updated in place and matched and decided again, with the same recipient's later
 * orders.
 */
class OrderReimportTest extends DatabaseTest {

    @TempDir
    Path dir;

    @BeforeEach
    void matchback() {
        sampleMatchback();
    }

    @Test
    void theSameOrdersFromAnotherFileChangeNothingAndQueueNothing() throws IOException {
        List<String> before = Snapshot.of(jdbc);
        String versions = versions();
        Path copy = Files.copy(Path.of(EXAMPLES + "orders.csv"), dir.resolve("orders-again.csv"));

        Cli.Result again = run(0, "import", "orders", "--org", "acme", "--file", copy.toString());
        assertThat(again.out())
                .contains("19 imported, 0 rejected")
                .contains("this run: 19 read, 0 new, 0 updated, 15 matched, 1 internal, 1 blacklisted, 0 skipped");
        assertThat(Snapshot.of(jdbc)).isEqualTo(before);
        assertThat(versions()).as("no order or attribution row was written").isEqualTo(versions);
        assertThat(run(0, "run", "attribution-processing").out()).contains("attribution-processing-decide: 0 read");
    }

    @Test
    void totalsWithoutCentsAndTimesFinerThanAMicrosecondAreTheStoredOnesAndChangeNothingWhenReadAgain()
            throws IOException {
        // The same orders as stored, written otherwise: "59.9" for 59.90, "120" for 120.00, and each time 400
        // nanoseconds later, which a timestamptz (microseconds) stores as the same instant.
        List<String> lines = Files.readAllLines(Path.of(EXAMPLES + "orders.csv"));
        StringBuilder file = new StringBuilder(lines.get(0)).append('\n');
        for (String line : lines.subList(1, lines.size())) {
            file.append(line.replaceFirst("^([^,]*),([^,]*)Z,([^,]*),(\\d+)\\.(\\d)0,", "$1,$2.0000004Z,$3,$4.$5,")
                            .replaceFirst("^([^,]*),([^,]*),([^,]*),(\\d+)\\.0,", "$1,$2,$3,$4,"))
                    .append('\n');
        }
        assertThat(file.toString())
                .contains("1001,2024-01-10T15:00:00.0000004Z,ANN@example.com ,59.9,USD,")
                .contains("1002,2024-01-12T10:30:00.0000004Z,robert.baker@gmail.com,120,USD,");
        List<String> before = Snapshot.of(jdbc);
        String versions = versions();

        Path written = Files.writeString(dir.resolve("orders-written-otherwise.csv"), file);
        assertThat(run(0, "import", "orders", "--org", "acme", "--file", written.toString())
                        .out())
                .contains("this run: 19 read, 0 new, 0 updated, 15 matched");
        assertThat(Snapshot.of(jdbc)).isEqualTo(before);
        assertThat(versions()).as("no order or attribution row was written").isEqualTo(versions);
        assertThat(run(0, "run", "attribution-processing").out()).contains("attribution-processing-decide: 0 read");
    }

    @Test
    void anOrderPlacedWithinAMicrosecondBeforeTheMailingIsStoredBeforeItAndDecidedSoLiveAndInAReRun()
            throws IOException {
        // Ann's postcard was sent at 12:00:00 on 5 January. An order at 11:59:59.9999996 is stored truncated, at
        // 11:59:59.999999 (PostgreSQL alone would round it to 12:00:00): placed before the mailing, not credited
        // to it, live as in a re-run, which reads the stored time.
        String header = Files.readAllLines(Path.of(EXAMPLES + "orders.csv")).get(0);
        Path file = Files.writeString(
                dir.resolve("close.csv"),
                header + "\n" + "3001,2024-01-05T11:59:59.9999996Z,ann@example.com,25.00,USD,,,,,,,,\n");
        run(0, "import", "orders", "--org", "acme", "--file", file.toString());
        assertThat(jdbc.sql("SELECT ordered_at::text FROM customer_order WHERE provider_order_id = '3001'")
                        .query(String.class)
                        .single())
                .isEqualTo("2024-01-05 11:59:59.999999+00");
        assertThat(attribution("3001")).isNull();
        run(0, "run", "attribution-processing");
        List<String> before = Snapshot.of(jdbc);

        run(0, "run", "attribution-rerun", "from=2024-01-05", "to=2024-01-06", "org=acme");
        assertThat(Snapshot.of(jdbc)).isEqualTo(before);
    }

    @Test
    void anOrderMovedBeforeTheMailingLosesItsAttributionAndTheRecipientsLaterOrderIsDecidedAgain() throws IOException {
        assertThat(attribution("1010")).isEqualTo("wb-001 passes=true count=2");
        // Ann's first order, 1001, turns out to have been placed before her postcard was sent (5 January).
        reimport("1001,2024-01-04T15:00:00Z,ANN@example.com ,59.90,USD,,12 Oak Street,,Springfield,IL,62701,US,");
        assertThat(attribution("1001")).isNull();
        assertThat(count("customer_order")).isEqualTo(19);
        assertThat(jdbc.sql("SELECT ordered_at::text FROM customer_order WHERE provider_order_id = '1001'")
                        .query(String.class)
                        .single())
                .isEqualTo("2024-01-04 15:00:00+00");

        run(0, "run", "attribution-processing");
        // 1010 (20 April) is now her first order, outside the window, with no earlier passing order.
        assertThat(attribution("1010")).isEqualTo("wb-001 passes=false count=1");
    }

    @Test
    void anOrderWhoseTotalChangesToZeroIsDecidedAgainAndFails() throws IOException {
        assertThat(attribution("1002")).isEqualTo("wb-002 passes=true count=1");
        reimport(
                "1002,2024-01-12T10:30:00Z,robert.baker@gmail.com,0.00,USD,,34 Elm Ave.,Apt. 2,Springfield,IL,62702,US,");
        assertThat(jdbc.sql("SELECT processed::text || ' ' || order_value FROM attribution a JOIN customer_order o "
                                + "ON o.id = a.order_id WHERE o.provider_order_id = '1002'")
                        .query(String.class)
                        .single())
                .isEqualTo("false 0.00");
        run(0, "run", "attribution-processing");
        assertThat(attribution("1002")).isEqualTo("wb-002 passes=false count=1");
        assertThat(count("attribution")).isEqualTo(15);
    }

    @Test
    void anOrderWithANewEmailMatchesTheRecipientOfThatEmail() throws IOException {
        // 1019 matched nobody; now it carries Cat's email (sent 5 January, winback-2024).
        reimport("1019,2024-01-25T12:00:00Z,cat@example.com,30.00,USD,,1 Nowhere Road,,Nowhere,IL,60000,US,");
        run(0, "run", "attribution-processing");
        assertThat(attribution("1019")).isEqualTo("wb-003 passes=true count=1");
        assertThat(count("attribution")).isEqualTo(16);
    }

    @Test
    void severalDiscountCodesAreStoredAsTheyWereReadAndAnUnchangedReimportLeavesThem() throws IOException {
        // interface.md: discount_codes holds several codes separated by ';'. A code may hold a comma or a quote.
        String header = Files.readAllLines(Path.of(EXAMPLES + "orders.csv")).get(0);
        String row = "2001,2024-02-01T12:00:00Z,zed@example.com,10.00,USD,\" SAVE10 ;\"\"Q\"\",X;A,B\","
                + "1 Far Road,,Nowhere,IL,60000,US,";
        Path file = Files.writeString(dir.resolve("codes.csv"), header + "\n" + row + "\n");
        assertThat(run(0, "import", "orders", "--org", "acme", "--file", file.toString())
                        .out())
                .contains("this run: 1 read, 1 new, 0 updated");
        assertThat(codes("2001")).containsExactly("SAVE10", "\"Q\",X", "A,B");

        Path again = Files.copy(file, dir.resolve("codes-again.csv"));
        assertThat(run(0, "import", "orders", "--org", "acme", "--file", again.toString())
                        .out())
                .contains("this run: 1 read, 0 new, 0 updated");
        assertThat(codes("2001")).containsExactly("SAVE10", "\"Q\",X", "A,B");

        Path changed = Files.writeString(
                dir.resolve("codes-changed.csv"), header + "\n" + row.replace("A,B", "A,B;NEW") + "\n");
        assertThat(run(0, "import", "orders", "--org", "acme", "--file", changed.toString())
                        .out())
                .contains("this run: 1 read, 0 new, 1 updated");
        assertThat(codes("2001")).containsExactly("SAVE10", "\"Q\",X", "A,B", "NEW");
    }

    private List<String> codes(String orderId) {
        return jdbc.sql("SELECT unnest(discount_codes) FROM customer_order WHERE provider_order_id = ?")
                .param(orderId)
                .query(String.class)
                .list();
    }

    private void reimport(String row) throws IOException {
        String header = Files.readAllLines(Path.of(EXAMPLES + "orders.csv")).get(0);
        Path file = Files.writeString(dir.resolve("changed.csv"), header + "\n" + row + "\n");
        Cli.Result result = run(0, "import", "orders", "--org", "acme", "--file", file.toString());
        assertThat(result.out()).contains("this run: 1 read, 0 new, 1 updated");
    }

    private String attribution(String orderId) {
        return jdbc.sql("""
                SELECT coalesce(r.natural_key, '-') || ' passes=' || coalesce(a.passes_rules::text, '-')
                       || ' count=' || coalesce(a.order_count::text, '-')
                FROM attribution a JOIN customer_order o ON o.id = a.order_id LEFT JOIN recipient r ON r.id = a.recipient_id
                WHERE o.provider_order_id = ?
                """).param(orderId).query(String.class).optional().orElse(null);
    }

    private String versions() {
        return String.join(",", jdbc.sql("""
                SELECT 'o' || xmin::text FROM customer_order UNION ALL SELECT 'a' || xmin::text FROM attribution ORDER BY 1
                """).query(String.class).list());
    }
}
