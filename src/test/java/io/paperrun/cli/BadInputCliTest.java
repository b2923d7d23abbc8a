package io.paperrun.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.Cli;
import io.paperrun.support.DatabaseTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input: rejected rows are recorded, printed and counted; unusable files and apply files change nothing. */
class BadInputCliTest extends DatabaseTest {

    private static final String ORDERS_HEADER = "order_id,created_at,email,total\n";

    @TempDir
    Path dir;

    @Test
    void rejectedOrderRowsAreRecordedPrintedAndCountedAndTheRestIsImported() throws IOException {
        applySample();
        Path file = write(
                "orders.csv",
                ORDERS_HEADER
                        + "1,2024-01-01T00:00:00Z,a@b.com,10.00\n"
                        + "2,notadate,a@b.com,10.00\n"
                        + "\n"
                        + "3,2024-01-01T00:00:00Z,x@y.com,\n"
                        + "4,2024-01-01T00:00:00Z,x@y.com,-1\n"
                        + "5,2024-01-01T00:00:00Z\n"
                        + "6,2024-01-02T00:00:00+02:00,not-an-email,1.00\n"
                        + "7,2024-01-01T00:00:00Z,c@d.com,7.5");
        Cli.Result result = cli().run("import", "orders", "--org", "acme", "--file", file.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.out()).contains("2 imported, 5 rejected");
        String path = file.toAbsolutePath().toString();
        assertThat(result.err())
                .contains("rejected " + path + ":3: created_at 'notadate' is not an ISO-8601 instant with offset or Z")
                .contains("rejected " + path + ":5: total is required")
                .contains("rejected " + path + ":6: total -1 is negative")
                .contains("rejected " + path + ":7: has 2 fields, the header has 4")
                .contains("rejected " + path + ":8: email 'not-an-email' is not an email address");
        assertThat(jdbc.sql("SELECT source || ':' || line || ' ' || coalesce(record_id, '-') FROM rejected_row "
                                + "ORDER BY line")
                        .query(String.class)
                        .list())
                .containsExactly(path + ":3 2", path + ":5 3", path + ":6 4", path + ":7 5", path + ":8 6");
        assertThat(jdbc.sql("SELECT provider_order_id FROM customer_order ORDER BY 1")
                        .query(String.class)
                        .list())
                .containsExactly("1", "7");
        assertThat(jdbc.sql("SELECT orders_read || '/' || orders_new || '/' || orders_skipped FROM order_sync_run")
                        .query(String.class)
                        .single())
                .isEqualTo("7/2/5");
    }

    /** PostgreSQL refuses the NUL character in text: such a row is rejected, not the whole chunk failed. */
    @Test
    void aRowWithANulCharacterIsRejectedAndTheRestIsImported() throws IOException {
        applySample();
        Path orders = write(
                "orders.csv",
                ORDERS_HEADER
                        + "1,2024-01-01T00:00:00Z,a@b.com,10.00\n"
                        + "2\0x,2024-01-01T00:00:00Z,pat@exa\0mple.com,10.00\n"
                        + "3,2024-01-01T00:00:00Z,c@d.com,7.5\n");
        assertThat(importRejecting("orders", orders, "2 imported, 1 rejected").err())
                .contains("rejected "
                        + orders.toAbsolutePath()
                        + ":3: order_id contains a NUL character (byte 0), which the database "
                        + "cannot store");
        assertThat(jdbc.sql("SELECT line || ' ' || record_id || ' ' || raw FROM rejected_row")
                        .query(String.class)
                        .single())
                .isEqualTo("3 2\\0x 2\\0x,2024-01-01T00:00:00Z,pat@exa\\0mple.com,10.00");
        assertThat(jdbc.sql("SELECT provider_order_id FROM customer_order ORDER BY 1")
                        .query(String.class)
                        .list())
                .containsExactly("1", "3");

        Path recipients = write(
                "recipients.csv",
                "campaign,external_id,email,status,sent_at\n"
                        + "winback-2024,r1,a@b.com,sent,2024-01-05T00:00:00Z\n"
                        + "winback-2024,r2,b@b.com,sent\0,2024-01-05T00:00:00Z\n");
        assertThat(importRejecting("recipients", recipients, "1 imported, 1 rejected")
                        .err())
                .contains(":3: status contains a NUL character (byte 0)");
    }

    /**
     * Values the mapping accepted and the database then refused (a total over numeric(14,2), a year it cannot
     * store, an id too long for its index) failed the whole chunk, and every restart: now each rejects its row.
     */
    @Test
    void valuesTheDatabaseCannotStoreRejectTheirRowsOnly() throws IOException {
        applySample();
        String longId = "x".repeat(300);
        Path orders = write(
                "orders.csv",
                ORDERS_HEADER
                        + "1,2024-01-01T00:00:00Z,a@b.com,10.00\n"
                        + "2,2024-01-01T00:00:00Z,a@b.com,1000000000000\n"
                        + "3,+300000-01-01T00:00:00Z,a@b.com,1.00\n"
                        + longId + ",2024-01-01T00:00:00Z,a@b.com,1.00\n"
                        + "5,2024-01-01T00:00:00Z," + "e".repeat(250) + "@b.com,1.00\n"
                        + "6,2024-01-01T00:00:00Z,c@d.com,999999999999.99\n");
        assertThat(importRejecting("orders", orders, "2 imported, 4 rejected").err())
                .contains(":3: total 1000000000000 is more than the largest an order can have, 999999999999.99")
                .contains(":4: created_at '+300000-01-01T00:00:00Z' is outside the years 0001 to 9999")
                .contains(":5: order_id is longer than 255 characters (300)")
                .contains(":6: email is longer than 255 characters (256)");
        assertThat(jdbc.sql("SELECT provider_order_id FROM customer_order ORDER BY 1")
                        .query(String.class)
                        .list())
                .containsExactly("1", "6");

        Path recipients = write(
                "recipients.csv",
                "campaign,external_id,email,address1,zip,status,sent_at\n"
                        + "winback-2024,r1,a@b.com,1 Main St,12345,sent,2024-01-05T00:00:00Z\n"
                        + "winback-2024,r2,b@b.com," + "9".repeat(3000) + " Main St,12345,sent,2024-01-05T00:00:00Z\n"
                        + "winback-2024,r3,c@b.com,1 Main St,12345,sent,0000-12-31T00:00:00Z\n");
        assertThat(importRejecting("recipients", recipients, "1 imported, 2 rejected")
                        .err())
                .contains(":3: address1 is longer than 255 characters (3008)")
                .contains(":4: sent_at '0000-12-31T00:00:00Z' is outside the years 0001 to 9999");
    }

    /** {@code paperrun import KIND --org acme --file FILE}, which must exit 2 and print these counts. */
    private Cli.Result importRejecting(String kind, Path file, String counts) {
        Cli.Result result = cli().run("import", kind, "--org", "acme", "--file", file.toString());
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.out()).contains(counts);
        return result;
    }

    @Test
    void theOrderSyncJobRunByNameReportsAndExitsLikeTheImport() throws IOException {
        applySample();
        Path file = write("orders.csv", ORDERS_HEADER + "1,2024-01-01T00:00:00Z,a@b.com,10.00\n2,never,a@b.com,1\n");
        Cli.Result result = cli().run("run", "order-sync", "org=acme", "file=" + file);
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.out()).contains("1 imported, 1 rejected");
        assertThat(result.err()).contains(":3: created_at 'never' is not an ISO-8601 instant");
    }

    @Test
    void rejectedRecipientRowsSayWhy() throws IOException {
        applySample();
        Path file = write(
                "recipients.csv",
                "campaign,external_id,email,address1,city,zip,status,sent_at\n"
                        + "winback-2024,r1,a@b.com,,,,sent,2024-01-05T00:00:00Z\n"
                        + "nosuch,r2,b@b.com,,,,,\n"
                        + "winback-2024,r3,,,,,,\n"
                        + "winback-2024,r4,c@b.com,,,,sent,\n"
                        + "winback-2024,r5,d@b.com,,,,holdout,2024-01-05T00:00:00Z\n"
                        + "winback-2024,r6,e@b.com,,,,mailed,\n"
                        + "winback-2024,r7,,1 Main St,Town,12345,holdout,\n");
        Cli.Result result = cli().run("import", "recipients", "--org", "acme", "--file", file.toString());
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.out()).contains("2 imported, 5 rejected");
        assertThat(result.err())
                .contains(":3: campaign 'nosuch' is not a campaign of this organization")
                .contains(":4: needs an email or a full address (address1, city, zip)")
                .contains(":5: status sent needs sent_at")
                .contains(":6: sent_at is given but status is holdout")
                .contains(":7: status 'mailed' is not pending, sent or holdout");
        assertThat(jdbc.sql("SELECT natural_key FROM recipient ORDER BY 1")
                        .query(String.class)
                        .list())
                .containsExactly("r1", "r7");
    }

    @Test
    void aFileThatCannotBeParsedPastSomeLineKeepsTheLinesBeforeAndRejectsTheRest() throws IOException {
        applySample();
        StringBuilder rows = new StringBuilder(ORDERS_HEADER);
        for (int i = 1; i <= 2500; i++) {
            rows.append(i).append(",2024-01-01T00:00:00Z,a@b.com,1.00\n");
        }
        rows.append("2501,2024-01-01T00:00:00Z,\"unclosed,1.00\n2502,2024-01-01T00:00:00Z,a@b.com,1.00\n");
        Path file = write("orders.csv", rows.toString());
        Cli.Result result = cli().run("import", "orders", "--org", "acme", "--file", file.toString());
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.out()).contains("2500 imported, 1 rejected");
        assertThat(result.err())
                .contains(":2502: cannot be parsed from here (")
                .contains("the rest of the file was not read");
        assertThat(count("customer_order")).isEqualTo(2500);
    }

    @Test
    void aRowWithBytesThatAreNotUtf8IsRejectedAloneAndTheRestOfTheFileIsImported() throws IOException {
        applySample();
        StringBuilder rows = new StringBuilder(ORDERS_HEADER);
        for (int i = 1; i <= 3000; i++) {
            rows.append(i).append(",2024-01-01T00:00:00Z,a@b.com,1.00\n");
        }
        rows.append("3001,2024-01-01T00:00:00Z,caf\u00e9@b.com,1.00\n"); // line 3002, in ISO-8859-1
        for (int i = 3002; i <= 3101; i++) {
            rows.append(i).append(",2024-01-01T00:00:00Z,a@b.com,1.00\n");
        }
        Path file = dir.resolve("latin1.csv");
        Files.write(file, rows.toString().getBytes(StandardCharsets.ISO_8859_1));
        Cli.Result result = cli().run("import", "orders", "--org", "acme", "--file", file.toString());
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.out()).contains("3100 imported, 1 rejected");
        assertThat(result.err()).contains("rejected " + file + ":3002: not valid UTF-8 text (in email)");
        assertThat(count("customer_order")).isEqualTo(3100);
        assertThat(jdbc.sql("SELECT record_id || ' ' || raw FROM rejected_row")
                        .query(String.class)
                        .single())
                .isEqualTo("3001 3001,2024-01-01T00:00:00Z,caf\uFFFD@b.com,1.00");

        // A small file: its header is read (the decoder no longer fails on what it read ahead).
        Path small = dir.resolve("small-latin1.csv");
        Files.write(
                small,
                (ORDERS_HEADER + "1,2024-01-01T00:00:00Z,caf\u00e9@b.com,1.00\n"
                                + "2,2024-01-01T00:00:00Z,a@b.com,1.00\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
        Cli.Result second = cli().run("import", "orders", "--org", "acme", "--file", small.toString());
        assertThat(second.exitCode()).isEqualTo(2);
        assertThat(second.out()).contains("1 imported, 1 rejected");
        assertThat(second.err()).contains(small + ":2: not valid UTF-8 text (in email)");

        // A header that is not UTF-8 makes the file unusable.
        Path header = dir.resolve("latin1-header.csv");
        Files.write(
                header,
                (ORDERS_HEADER.replace("email", "\u00e9mail") + "1,2024-01-01T00:00:00Z,a@b.com,1.00\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
        Cli.Result unusable = cli().run("import", "orders", "--org", "acme", "--file", header.toString());
        assertThat(unusable.exitCode()).isEqualTo(2);
        assertThat(unusable.err()).contains("cannot read the header row: not valid UTF-8 text; nothing was imported");
    }

    @Test
    void aByteOrderMarkBeforeTheHeaderIsSkipped() throws IOException {
        applySample();
        Path file = write("bom.csv", "\uFEFF" + ORDERS_HEADER + "1,2024-01-01T00:00:00Z,a@b.com,10.00\n");
        Cli.Result result = cli().run("import", "orders", "--org", "acme", "--file", file.toString());
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(count("customer_order")).isEqualTo(1);
    }

    @Test
    void aMissingFileChangesNothing() {
        applySample();
        Cli.Result result = cli().run(
                        "import",
                        "orders",
                        "--org",
                        "acme",
                        "--file",
                        dir.resolve("nope.csv").toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("nope.csv: no such file").contains("nothing was imported");
        assertNothingImported();
    }

    @Test
    void aWrongHeaderChangesNothing() throws IOException {
        applySample();
        Path file = write("orders.csv", "id,created_at,total\n1,2024-01-01T00:00:00Z,1.00\n");
        Cli.Result result = cli().run("import", "orders", "--org", "acme", "--file", file.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("the header lacks required column(s) order_id");
        assertNothingImported();
    }

    @Test
    void anEmptyFileChangesNothing() throws IOException {
        applySample();
        Path file = write("empty.csv", "");
        Cli.Result result = cli().run("import", "recipients", "--org", "acme", "--file", file.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("empty, or no header row");
        assertNothingImported();
    }

    @Test
    void unknownColumnsAreReportedAndIgnored() throws IOException {
        applySample();
        Path file = write("orders.csv", "order_id,created_at,total,loyalty_tier\n1,2024-01-01T00:00:00Z,1.00,gold\n");
        Cli.Result result = cli().run("import", "orders", "--org", "acme", "--file", file.toString());
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.err()).contains("unknown column(s) ignored: loyalty_tier");
        assertThat(count("customer_order")).isEqualTo(1);
    }

    @Test
    void anUnknownOrganizationChangesNothing() throws IOException {
        Path file = write("orders.csv", ORDERS_HEADER + "1,2024-01-01T00:00:00Z,a@b.com,10.00\n");
        Cli.Result result = cli().run("import", "orders", "--org", "globex", "--file", file.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("unknown organization 'globex'");
        assertNothingImported();
    }

    @Test
    void aBfcmCampaignWithoutEndDateRefusesTheWholeApplyFileNamingTheField() throws IOException {
        Path file = write("apply.yaml", """
                organizations:
                  - slug: acme
                    email_domain: acmeco.com
                campaigns:
                  - key: fine
                    organization: acme
                    status: active
                  - key: bfcm-2025
                    organization: acme
                    flow_trigger: bfcm
                """);
        Cli.Result result = cli().run("apply", "-f", file.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err())
                .contains("nothing was changed")
                .contains("campaigns[1] (bfcm-2025).end_date: required for flow_trigger bfcm");
        assertThat(count("organization")).isZero();
        assertThat(count("campaign")).isZero();
    }

    @Test
    void everyRejectedRowIsNamedHoweverManyThereAre() throws IOException {
        // interface.md: "the command names the file, line and reason for each rejected row" (read from the
        // stored rows a page at a time: this file rejects more than a page).
        assertThat(cli().run("apply", "-f", EXAMPLES + "acme.yaml").exitCode()).isZero();
        StringBuilder csv = new StringBuilder("order_id,created_at,total\n");
        for (int i = 1; i <= 2103; i++) {
            csv.append(i).append(i % 700 == 0 ? ",2024-01-10T00:00:00Z,5.00\n" : ",2024-01-10T00:00:00Z,lots\n");
        }
        Path file = write("many-bad.csv", csv.toString());
        Cli.Result result = cli().run("import", "orders", "--org", "acme", "--file", file.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).contains("3 imported, 2100 rejected");
        List<String> named =
                result.err().lines().filter(l -> l.startsWith("rejected ")).toList();
        assertThat(named)
                .hasSize(2100)
                .doesNotHaveDuplicates()
                .contains("rejected " + file + ":2: total 'lots' is not a number")
                .contains("rejected " + file + ":2104: total 'lots' is not a number")
                .noneMatch(l -> l.startsWith("rejected " + file + ":701:"));
    }

    @Test
    void anUpdateThatMovesABfcmCampaignsEndDateOutOfTheSeasonIsRefusedAndChangesNothing() throws IOException {
        // Rules page: a BFCM campaign with end_date outside 13 November - 31 December is rejected "when it is
        // created or updated".
        assertThat(cli().run("apply", "-f", EXAMPLES + "acme.yaml").exitCode()).isZero();
        String yaml = sampleApplyText();
        Path moved = write("moved.yaml", yaml.replace("end_date: 2024-11-30", "end_date: 2024-10-31"));
        Path dropped = write("dropped.yaml", yaml.replace("end_date: 2024-11-30", ""));
        assertThat(Files.readString(moved)).isNotEqualTo(yaml);
        assertThat(Files.readString(dropped)).isNotEqualTo(yaml);

        Cli.Result result = cli().run("apply", "-f", moved.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err())
                .contains("nothing was changed")
                .contains("campaigns[2] (bfcm-2024).end_date: 2024-10-31 is not between 13 November and 31 December");
        result = cli().run("apply", "-f", dropped.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("campaigns[2] (bfcm-2024).end_date: required for flow_trigger bfcm");
        assertThat(jdbc.sql("SELECT end_date::text FROM campaign WHERE key = 'bfcm-2024'")
                        .query(String.class)
                        .single())
                .isEqualTo("2024-11-30");
    }

    @Test
    void anInvalidApplyFileListsEveryProblem() throws IOException {
        Path file = write("apply.yaml", """
                organizations:
                  - slug: Acme Co
                    sync_orders: yes please
                campaigns:
                  - key: late
                    organization: acme
                    flow_trigger: bfcm
                    end_date: 2025-10-01
                    status: running
                    holdout: { enabled: true, percentage: 120 }
                    colour: blue
                """);
        Cli.Result result = cli().run("apply", "-f", file.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err())
                .contains("organizations[0].slug: 'Acme Co' must be lowercase letters, digits, '-' or '_'")
                .contains("organizations[0].sync_orders: must be true or false")
                .contains("campaigns[0] (late).end_date: 2025-10-01 is not between 13 November and 31 December")
                .contains("campaigns[0] (late).status: 'running' is not one of")
                .contains("campaigns[0] (late).holdout.percentage: 120 is not between 0 and 100")
                .contains("campaigns[0] (late).colour: unknown field");
        assertThat(count("organization")).isZero();
    }

    /**
     * Values the database cannot store, or would round silently, refuse the file like any other problem: before,
     * they stopped apply with the database's own error ("numeric field overflow", exit 1) or with "Overflow".
     */
    @Test
    void anApplyFileWithValuesTheDatabaseCannotStoreIsRefusedNamingEach() throws IOException {
        Path file = write("apply.yaml", """
                organizations:
                  - slug: zed
                campaigns:
                  - key: big
                    organization: zed
                    start_date: 2024-01-01
                    end_date: +20024-01-01
                    first_send_date: +300000-01-01T00:00:00Z
                    holdout: { enabled: true, percentage: 10.123, absolute_maximum: 99999999999 }
                    cost_per_piece: 1000000
                  - key: fine
                    organization: zed
                    start_date: 2024-01-01
                    cost_per_piece: 0.123456
                """);
        Cli.Result result = cli().run("apply", "-f", file.toString());
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err())
                .contains("campaigns[0] (big).end_date: '+20024-01-01' is outside the years 0001 to 9999")
                .contains("campaigns[0] (big).first_send_date: '+300000-01-01T00:00:00Z' is outside the years 0001 "
                        + "to 9999")
                .contains("campaigns[0] (big).holdout.percentage: 10.123 has more than 2 decimals")
                .contains("campaigns[0] (big).holdout.absolute_maximum: must be a whole number from 0 to 2147483647")
                .contains("campaigns[0] (big).cost_per_piece: 1000000 is more than 999999.9999")
                .contains("campaigns[1] (fine).cost_per_piece: 0.123456 has more than 4 decimals");
        assertThat(count("organization")).isZero();
    }

    @Test
    void aCampaignOfAnUnknownOrganizationRefusesTheWholeFile() throws IOException {
        Path file = write("apply.yaml", """
                organizations:
                  - slug: acme
                campaigns:
                  - key: one
                    organization: acme
                  - key: two
                    organization: globex
                """);
        Cli.Result result = cli().run("apply", "-f", file.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("(two).organization: 'globex' is neither declared in this file nor known");
        assertThat(count("organization")).isZero();
        assertThat(count("campaign")).isZero();
    }

    @Test
    void applyingTheSameFileTwiceChangesNothing() {
        applySample();
        Cli.Result again = cli().run("apply", "-f", "jobs-config/examples/acme.yaml");
        assertThat(again.exitCode()).isZero();
        assertThat(again.out().lines().toList())
                .containsExactly(
                        "organization acme: unchanged",
                        "campaign acme/winback-2024: unchanged",
                        "campaign acme/welcome-2024: unchanged",
                        "campaign acme/bfcm-2024: unchanged",
                        "campaign acme/spring-2025: unchanged");
    }

    @Test
    void theImportsJobsRunByNameCheckTheirFileAsTheImportsDo() throws IOException {
        // interface.md: "A file that cannot be read at all (missing, wrong header) changes nothing", whichever
        // command launches the import.
        applySample();
        Path wrongHeader = write("recipients-wrong.csv", "kampagne,email\nwinback-2024,a@b.com\n");
        Cli.Result recipients = cli().run("run", "recipient-sync", "org=acme", "file=" + wrongHeader);
        assertThat(recipients.exitCode()).isEqualTo(2);
        assertThat(recipients.err())
                .contains("paperrun run: " + wrongHeader.toAbsolutePath()
                        + ": the header lacks required column(s) campaign")
                .contains("; nothing was imported");
        Cli.Result orders = cli().run("run", "order-sync", "org=acme", "file=" + EXAMPLES + "recipients.csv");
        assertThat(orders.exitCode()).isEqualTo(2);
        assertThat(orders.err()).contains("the header lacks required column(s) order_id, total");
        Cli.Result empty = cli().run("run", "recipient-sync", "org=acme", "file=" + write("empty.csv", ""));
        assertThat(empty.exitCode()).isEqualTo(2);
        assertThat(empty.err()).contains("empty, or no header row");
        Cli.Result directory = cli().run("import", "orders", "--org", "acme", "--file", dir.toString());
        assertThat(directory.exitCode()).isEqualTo(2);
        assertThat(directory.err()).contains(dir + ": a directory, not a file; nothing was imported");
        assertNothingImported();

        // Unknown columns are said, as by the import commands.
        Path extra = write(
                "orders-extra.csv",
                ORDERS_HEADER.replace("\n", ",colour\n") + "1,2024-01-01T00:00:00Z,a@b.com,1.00,blue\n");
        Cli.Result run = cli().run("run", "order-sync", "org=acme", "file=" + extra);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.err()).contains(extra.toAbsolutePath() + ": unknown column(s) ignored: colour");
    }

    @Test
    void anExportThatCannotBeWrittenWhereAskedSaysSoInOneLine() throws IOException {
        applySample();
        Path nowhere = dir.resolve("no-such-dir").resolve("out.csv");
        Cli.Result missing = cli().run("export", "attributions", "--org", "acme", "--out", nowhere.toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err().strip())
                .isEqualTo("paperrun export attributions: cannot write " + nowhere + ": no such directory "
                        + nowhere.getParent());
        Cli.Result directory = cli().run("export", "attributions", "--org", "acme", "--out", dir.toString());
        assertThat(directory.exitCode()).isEqualTo(2);
        assertThat(directory.err()).contains("cannot write " + dir + ": a directory");
        try (var files = Files.list(dir)) {
            assertThat(files.filter(f -> f.toString().endsWith(".partial")).toList())
                    .isEmpty();
        }
    }

    @Test
    void anApplyFileThatIsNotYamlIsRefusedWithTheParsersComplaintInOneLine() throws IOException {
        Path file = write("broken.yaml", "organizations:\n  - slug: acme\n   name: Acme\n");
        Cli.Result result = cli().run("apply", "-f", file.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().lines().toList())
                .containsExactly(
                        "paperrun apply: " + file + " is refused; nothing was changed:",
                        "  not valid YAML (line 3, column 4): while parsing a block collection; expected <block end>, "
                                + "but found '<block mapping start>'");
        assertThat(count("organization")).isZero();
    }

    @Test
    void headerNamesAreComparedWithoutRegardToCase() throws IOException {
        applySample();
        Path orders = write(
                "capitalised.csv",
                "Order_ID,Created_At,EMAIL,Total,Colour\n" + "1,2024-01-01T00:00:00Z,a@b.com,12.50,blue\n");
        Cli.Result result = cli().run("import", "orders", "--org", "acme", "--file", orders.toString());
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.err()).contains("unknown column(s) ignored: Colour");
        assertThat(jdbc.sql("SELECT provider_order_id || ' ' || email || ' ' || total FROM customer_order")
                        .query(String.class)
                        .single())
                .isEqualTo("1 a@b.com 12.50");

        Path twice = write("twice.csv", "order_id,created_at,total,Total\n1,2024-01-01T00:00:00Z,1.00,2.00\n");
        Cli.Result refused = cli().run("import", "orders", "--org", "acme", "--file", twice.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("column 'Total' appears twice in the header");
    }

    @Test
    void aRejectedRowWhoseQuotedValueSpansLinesIsNamedByTheLineItStartsOn() throws IOException {
        applySample();
        Path file = write(
                "multiline.csv",
                "order_id,created_at,email,total,shipping_address1\n"
                        + "1,2024-01-01T00:00:00Z,a@b.com,1.00,\"12 Oak St\nApt 3\r\nBack door\"\n"
                        + "2,2024-01-01T00:00:00Z,a@b.com,lots,\"1 Elm St\nRear\"\n"
                        + "3,2024-01-01T00:00:00Z,a@b.com,2.00,Main\n"
                        + "4,2024-01-01T00:00:00Z,a@b.com,many,Main\n");
        Cli.Result result = cli().run("import", "orders", "--org", "acme", "--file", file.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).contains("2 imported, 2 rejected");
        assertThat(result.err())
                .contains(file + ":5: total 'lots' is not a number")
                .contains(file + ":8: total 'many' is not a number");
    }

    @Test
    void runSaysWhichParametersAJobTakes() {
        Cli.Result unknown = cli().run("run", "attribution-processing", "foo=bar");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("attribution-processing takes no parameter 'foo' (it takes optional org)");
        Cli.Result rerun = cli().run("run", "attribution-rerun", "colour=blue");
        assertThat(rerun.err()).contains("(it takes from, to, optional org)");
        Cli.Result missing = cli().run("run", "attribution-rerun");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("attribution-rerun needs from=...");
    }

    private void assertNothingImported() {
        assertThat(count("customer_order") + count("recipient") + count("rejected_row"))
                .isZero();
        assertThat(count("batch_job_execution")).isZero();
    }

    @Test
    void aTotalIsAPlainDecimalAndAnythingElseIsRejectedWithItsReason() throws IOException {
        applySample();
        Path file = write(
                "money.csv",
                ORDERS_HEADER
                        + "1,2024-01-01T00:00:00Z,a@b.com,1e3\n"
                        + "2,2024-01-01T00:00:00Z,a@b.com,1.5E+2\n"
                        + "3,2024-01-01T00:00:00Z,a@b.com,\"1,000.00\"\n"
                        + "4,2024-01-01T00:00:00Z,a@b.com,$10.00\n"
                        + "5,2024-01-01T00:00:00Z,a@b.com,10.00 €\n"
                        + "6,2024-01-01T00:00:00Z,a@b.com,12\n"
                        + "7,2024-01-01T00:00:00Z,a@b.com,12.5\n"
                        + "8,2024-01-01T00:00:00Z,a@b.com,0.99\n");
        String path = file.toAbsolutePath().toString();
        assertThat(importRejecting("orders", file, "3 imported, 5 rejected").err())
                .contains("rejected " + path + ":2: total '1e3' is not a plain decimal amount: it has an exponent")
                .contains("rejected " + path + ":3: total '1.5E+2' is not a plain decimal amount: it has an exponent")
                .contains("rejected " + path + ":4: total '1,000.00' is not a plain decimal amount: it has a "
                        + "thousands separator")
                .contains("rejected " + path + ":5: total '$10.00' is not a plain decimal amount: it has a currency "
                        + "sign")
                .contains("rejected " + path + ":6: total '10.00 €' is not a plain decimal amount: it has a "
                        + "currency sign");
        assertThat(jdbc.sql("SELECT provider_order_id || ' ' || total FROM customer_order ORDER BY 1")
                        .query(String.class)
                        .list())
                .containsExactly("6 12.00", "7 12.50", "8 0.99");
    }

    @Test
    void aLongValueIsQuotedByItsFirst200CharactersAndItsLength() throws IOException {
        applySample();
        String huge = "x".repeat(10 * 1024 * 1024);
        Path header = write("no-newline.csv", huge);
        Cli.Result refused = cli().run("import", "orders", "--org", "acme", "--file", header.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("(header: " + "x".repeat(200) + "... (10485760 characters))");
        assertThat(refused.err().lines()).allMatch(line -> line.length() < 1000);

        Path apply = write("long.yaml", "organizations:\n  - slug: " + "A".repeat(5000) + "\n    name: Long\n");
        Cli.Result applied = cli().run("apply", "-f", apply.toString());
        assertThat(applied.exitCode()).isEqualTo(2);
        assertThat(applied.err())
                .contains(
                        "organizations[0].slug: '" + "A".repeat(200) + "...' (5000 characters) " + "must be lowercase");
        assertThat(applied.err().lines()).allMatch(line -> line.length() < 1000);
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    static List<String> lines(String s) {
        return s.lines().toList();
    }
}
