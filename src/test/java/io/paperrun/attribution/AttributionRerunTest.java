package io.paperrun.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.Cli;
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

/** attribution-rerun: what the live run gave, on today's data, touching only the range and its dependents. */
class AttributionRerunTest extends DatabaseTest {

    @TempDir
    Path dir;

    @BeforeEach
    void matchback() {
        sampleMatchback();
    }

    @Test
    void aRerunGivesExactlyWhatTheLiveRunGaveAndCanBeRunAgain() {
        String live = exportAttributions();
        run(0, "run", "attribution-rerun", "from=2024-01-01", "to=2025-01-01");
        assertThat(exportAttributions()).isEqualTo(live);
        Cli.Result again = run(0, "run", "attribution-rerun", "from=2024-01-01", "to=2025-01-01");
        assertThat(again.out()).contains("execution 5 completed");
        assertThat(exportAttributions()).isEqualTo(live);
    }

    @Test
    void aRerunTouchesOnlyItsRangeAndTheSameRecipientsLaterOrders() {
        Map<String, String> before = versions();
        // January 2024; ann's 1001 (10 Jan) is in it, her 1010 (20 Apr) depends on it.
        run(0, "run", "attribution-rerun", "from=2024-01-01", "to=2024-02-01", "org=acme");
        Map<String, String> after = versions();
        List<String> touched = before.keySet().stream()
                .filter(k -> !before.get(k).equals(after.get(k)))
                .sorted()
                .toList();
        assertThat(touched).containsExactly("1001", "1002", "1003", "1004", "1008", "1009", "1010");
    }

    @Test
    void aRerunDecidesNothingOutsideItsRangeThatWaitsForProcessingNorAppliesOtherJobsRequeueRecords()
            throws IOException {
        // An order of June, synced but not yet processed: it waits for attribution-processing.
        String header = Files.readAllLines(Path.of(EXAMPLES + "orders.csv")).get(0);
        Path june = Files.writeString(
                dir.resolve("june.csv"),
                header + "\n" + "4001,2024-06-10T12:00:00Z,cat@example.com,30.00,USD,,,,,,,,\n");
        run(0, "import", "orders", "--org", "acme", "--file", june.toString());
        // A sync that stopped before its requeue step left a record: Ann's attributions from 1 April on.
        jdbc.sql("""
                INSERT INTO attribution_requeue (organization_id, recipient_id, campaign_id, from_time)
                SELECT r.organization_id, r.id, r.campaign_id, '2024-04-01T00:00:00Z' FROM recipient r
                WHERE r.natural_key = 'wb-001'
                """).update();
        String live = exportAttributions();
        Map<String, String> before = versions();

        // January: ann's 1001 is in it, her 1010 (20 April) depends on it.
        Cli.Result rerun = run(0, "run", "attribution-rerun", "from=2024-01-01", "to=2024-02-01", "org=acme");
        assertThat(rerun.out())
                .contains("attribution-rerun-requeue: 0 read, 1 written")
                .contains("attribution-rerun-decide: 7 read, 7 written");
        Map<String, String> after = versions();
        assertThat(before.keySet().stream()
                        .filter(k -> !before.get(k).equals(after.get(k)))
                        .sorted()
                        .toList())
                .containsExactly("1001", "1002", "1003", "1004", "1008", "1009", "1010");
        assertThat(exportAttributions()).isEqualTo(live);
        assertThat(jdbc.sql("SELECT a.processed FROM attribution a JOIN customer_order o ON o.id = a.order_id "
                                + "WHERE o.provider_order_id = '4001'")
                        .query(Boolean.class)
                        .single())
                .isFalse();
        assertThat(count("attribution_requeue")).isOne();
        assertThat(count("attribution_rerun_order")).isZero();

        // attribution-processing applies the record and decides the June order.
        assertThat(run(0, "run", "attribution-processing").out())
                .contains("attribution-processing-requeue: 0 read, 1 written");
        assertThat(count("attribution_requeue")).isZero();
        assertThat(count("attribution_pending")).isZero();
    }

    @Test
    void aRerunAppliesTodaysCampaignsAndRecipients() throws IOException {
        // Order 1002's email turns out to have been mailed by the welcome campaign: email beats address.
        Path more = Files.writeString(
                dir.resolve("more.csv"),
                "campaign,external_id,email,status,created_at,sent_at\n"
                        + "welcome-2024,wl-bob,robert.baker@gmail.com,sent,2024-01-03T00:00:00Z,2024-01-04T00:00:00Z\n");
        run(0, "import", "recipients", "--org", "acme", "--file", more.toString());
        String live = exportAttributions();
        assertThat(live).contains("1002,2024-01-12T10:30:00Z,120.00,winback-2024,wb-002");

        run(0, "run", "attribution-rerun", "from=2024-01-12", "to=2024-01-13", "org=acme");
        String rerun = exportAttributions();
        assertThat(rerun)
                .contains(
                        "1002,2024-01-12T10:30:00Z,120.00,welcome-2024,wl-bob,robert.baker@gmail.com,email,false,true,1,false");
        assertThat(lines(rerun).stream().filter(l -> !l.startsWith("1002,")).toList())
                .isEqualTo(
                        lines(live).stream().filter(l -> !l.startsWith("1002,")).toList());
    }

    @Test
    void archivingACampaignByApplyQueuesItsAttributionsForProcessing() throws IOException {
        String yaml = sampleApplyText().replaceFirst("status: active", "status: archived");
        Path file = Files.writeString(dir.resolve("archived.yaml"), yaml);
        Cli.Result apply = run(0, "apply", "-f", file.toString());
        assertThat(apply.out()).contains("campaign acme/winback-2024: updated (7 attributions queued for processing)");
        run(0, "run", "attribution-processing");
        assertThat(lines(exportAttributions()).stream()
                        .filter(l -> l.contains(",winback-2024,"))
                        .allMatch(l -> l.endsWith(",true")))
                .isTrue();
        assertThat(lines(exportAttributions()).stream()
                        .filter(l -> l.contains(",bfcm-2024,"))
                        .allMatch(l -> l.endsWith(",false")))
                .isTrue();
    }

    private Map<String, String> versions() {
        return jdbc
                .sql("SELECT o.provider_order_id, a.xmin::text FROM attribution a "
                        + "JOIN customer_order o ON o.id = a.order_id")
                .query((rs, i) -> Map.entry(rs.getString(1), rs.getString(2)))
                .list()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static List<String> lines(String s) {
        return s.lines().toList();
    }
}
