package io.paperrun.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.Cli;
import io.paperrun.support.DatabaseTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code export recipients}: the columns of the interface spec, one row per recipient, by campaign then external_id. */
class ExportRecipientsCliTest extends DatabaseTest {

    private static final String HEADER = "campaign,external_id,email,first_name,last_name,address1,address2,city,"
            + "region,zip,country,address_source,status,status_reason,holdout,created_at,sent_at,printer,"
            + "provider_piece_id,cost,delivery_status,in_home_date,discount_code,proof_front,proof_back,preview";

    @TempDir
    Path dir;

    @Test
    void theSampleIsWrittenWithTheInterfacesColumnsByCampaignThenExternalId() {
        applySample();
        importSampleRecipients();
        List<String> lines = export("--org", "acme");
        assertThat(lines).hasSize(15).first().isEqualTo(HEADER);
        assertThat(lines.stream().skip(1).map(l -> l.substring(0, l.indexOf(',', l.indexOf(',') + 1))))
                .containsExactly(
                        "bfcm-2024,bf-001",
                        "bfcm-2024,bf-002",
                        "bfcm-2024,bf-003",
                        "welcome-2024,wl-001",
                        "welcome-2024,wl-002",
                        "welcome-2024,wl-003",
                        "winback-2024,wb-001",
                        "winback-2024,wb-002",
                        "winback-2024,wb-003",
                        "winback-2024,wb-004",
                        "winback-2024,wb-005",
                        "winback-2024,wb-006",
                        "winback-2024,wb-007",
                        "winback-2024,wb-008");
        assertThat(lines)
                .contains(
                        "winback-2024,wb-002,bob@example.com,Bob,Baker,34 Elm Avenue,Apt 2,Springfield,IL,62702-1234,"
                                + "US,import,sent,,false,2024-01-02T09:00:00Z,2024-01-05T12:00:00Z,,,,,,,,,",
                        "winback-2024,wb-006,fay@example.com,Fay,Ford,11 Maple Court,,Springfield,IL,62706,US,import,"
                                + "holdout,,true,2024-01-02T09:00:00Z,,,,,,,,,,",
                        "welcome-2024,wl-003,kim@example.com,Kim,King,66 Holly Street,,Shelbyville,IL,62565,US,"
                                + "import,pending,,false,2024-02-01T08:00:00Z,,,,,,,WELCOME-KIM,,,");
        assertThat(lines.stream().skip(1))
                .allSatisfy(line -> assertThat(line.split(",", -1)).hasSize(26));
    }

    @Test
    void campaignSelectsOneCampaignAndUnknownNamesAreRefusedInOneLine() {
        applySample();
        importSampleRecipients();
        assertThat(export("--org", "acme", "--campaign", "welcome-2024"))
                .hasSize(4)
                .allMatch(line -> line.equals(HEADER) || line.startsWith("welcome-2024,wl-00"));
        Cli.Result campaign = run(2, "export", "recipients", "--org", "acme", "--campaign", "nosuch", "--out", "-");
        assertThat(campaign.err()).isEqualTo("paperrun export recipients: unknown campaign 'nosuch' of 'acme'\n");
        assertThat(campaign.out()).isEmpty();
        Cli.Result org = run(2, "export", "recipients", "--org", "globex", "--out", "-");
        assertThat(org.err()).isEqualTo("paperrun export recipients: unknown organization 'globex'\n");
        assertThat(org.out()).isEmpty();
    }

    @Test
    void externalIdsCompareAsTextByteByByteAndRecipientsWithoutOneComeLast() throws IOException {
        applySample();
        Path file = Files.writeString(
                dir.resolve("recipients.csv"),
                "campaign,external_id,email\n"
                        + "winback-2024,,zoe@example.com\n"
                        + "winback-2024,9,nine@example.com\n"
                        + "winback-2024,,amy@example.com\n"
                        + "winback-2024,10,ten@example.com\n"
                        + "welcome-2024,b,b@example.com\n"
                        + "winback-2024,Z,upper@example.com\n"
                        + "winback-2024,a,lower@example.com\n");
        run(0, "import", "recipients", "--org", "acme", "--file", file.toString());
        assertThat(export("--org", "acme").stream()
                        .skip(1)
                        .map(l -> l.substring(0, l.indexOf('@')))
                        .toList())
                .containsExactly(
                        "welcome-2024,b,b",
                        "winback-2024,10,ten",
                        "winback-2024,9,nine",
                        "winback-2024,Z,upper",
                        "winback-2024,a,lower",
                        "winback-2024,,amy",
                        "winback-2024,,zoe");
    }

    @Test
    void mailingFactsReasonsAndTheHoldoutFlagAreWritten() {
        applySample();
        importSampleRecipients();
        jdbc.sql("""
                UPDATE recipient SET provider = 'print_file', provider_piece_id = 'pf-000001', cost = 0.89,
                    delivery_status = 'delivered', in_home_date = DATE '2024-01-08',
                    sent_at = TIMESTAMPTZ '2024-01-05T12:00:00.123456Z'
                WHERE external_id = 'wb-001'
                """).update();
        jdbc.sql("UPDATE recipient SET provider = 'lob', provider_piece_id = 'psc_1', cost = 0.6531 "
                        + "WHERE external_id = 'wb-002'")
                .update();
        // A holdout later suppressed belongs to neither group; a reason left on a status without one is not said.
        jdbc.sql("UPDATE recipient SET status = 'suppressed', suppression_reason = 'no_address' "
                        + "WHERE external_id = 'wb-006'")
                .update();
        jdbc.sql("UPDATE recipient SET suppression_reason = 'stale' WHERE external_id = 'wb-003'")
                .update();
        jdbc.sql("UPDATE recipient SET status = 'undeliverable', suppression_reason = 'undeliverable: no such street' "
                        + "WHERE external_id = 'wb-004'")
                .update();
        List<String> lines = export("--org", "acme", "--campaign", "winback-2024");
        assertThat(lines)
                .contains(
                        "winback-2024,wb-001,ann@example.com,Ann,Archer,12 Oak Street,,Springfield,IL,62701,US,"
                                + "import,sent,,false,2024-01-02T09:00:00Z,2024-01-05T12:00:00.123456Z,print_file,"
                                + "pf-000001,0.89,delivered,2024-01-08,,,,",
                        "winback-2024,wb-002,bob@example.com,Bob,Baker,34 Elm Avenue,Apt 2,Springfield,IL,"
                                + "62702-1234,US,import,sent,,false,2024-01-02T09:00:00Z,2024-01-05T12:00:00Z,lob,"
                                + "psc_1,0.6531,,,,,,",
                        "winback-2024,wb-003,cat@example.com,Cat,Cole,56 Pine Road,,Springfield,IL,62703,US,import,"
                                + "sent,,false,2024-01-02T09:00:00Z,2024-01-05T12:00:00Z,,,,,,,,,",
                        "winback-2024,wb-004,dan@example.com,Dan,Drake,78 Cedar Lane,,Springfield,IL,62704,US,"
                                + "import,undeliverable,undeliverable: no such street,false,2024-01-02T09:00:00Z,"
                                + "2024-01-05T12:00:00Z,,,,,,,,,",
                        "winback-2024,wb-006,fay@example.com,Fay,Ford,11 Maple Court,,Springfield,IL,62706,US,"
                                + "import,suppressed,no_address,false,2024-01-02T09:00:00Z,,,,,,,,,,",
                        "winback-2024,wb-007,gus@example.com,Gus,Grant,22 Walnut Place,,Springfield,IL,62707,US,"
                                + "import,holdout,,true,2024-01-02T09:00:00Z,,,,,,,,,,");
    }

    @Test
    void aFileIsWrittenWholeAndHoldsWhatStdoutShows() throws IOException {
        applySample();
        importSampleRecipients();
        Path out = dir.resolve("recipients.csv");
        Cli.Result result = run(0, "export", "recipients", "--org", "acme", "--out", out.toString());
        assertThat(result.err()).isEqualTo("14 recipients written to " + out + "\n");
        assertThat(result.out()).isEmpty();
        assertThat(Files.readString(out))
                .isEqualTo(run(0, "export", "recipients", "--org", "acme", "--out", "-")
                        .out());
        assertThat(dir.resolve("recipients.csv.partial")).doesNotExist();
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), out);
        run(0, "export", "recipients", "--org", "acme", "--campaign", "bfcm-2024", "--out", link.toString());
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readAllLines(out)).hasSize(4);
        assertThat(run(2, "export", "recipients", "--org", "acme", "--out", dir.toString())
                        .err())
                .isEqualTo("paperrun export recipients: cannot write " + dir + ": a directory\n");
    }

    private List<String> export(String... options) {
        String[] args = new String[options.length + 4];
        args[0] = "export";
        args[1] = "recipients";
        System.arraycopy(options, 0, args, 2, options.length);
        args[args.length - 2] = "--out";
        args[args.length - 1] = "-";
        return run(0, args).out().lines().toList();
    }
}
