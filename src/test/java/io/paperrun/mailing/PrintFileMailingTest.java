package io.paperrun.mailing;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.DatabaseTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mailing with the default printer, the print file: each piece sent once, in exactly one run's files. */
class PrintFileMailingTest extends DatabaseTest {

    @TempDir
    Path dir;

    @BeforeEach
    void proofedRecipients() throws IOException {
        deletePrintFiles();
        run(0, "apply", "-f", MailingFixture.applyFile(dir, "", "auto").toString());
        run(
                0,
                "import",
                "recipients",
                "--org",
                "acme",
                "--file",
                MailingFixture.recipients(dir, 5, "US").toString());
        jdbc.sql("UPDATE recipient SET status = 'proofed', proof_front = ?, proof_back = ?")
                .param(MailingFixture.proof(dir).toString())
                .param(MailingFixture.proof(dir).toString())
                .update();
    }

    @Test
    void proofedRecipientsAreSentOnceIntoOnePrintFile() throws IOException {
        var result = run(0, "run", "mailing");
        assertThat(result.out()).contains("postcards: 5 sent").contains("acme/winback: 5 postcards in ");

        assertThat(jdbc.sql("SELECT status || ' ' || provider || ' ' || provider_piece_id || ' ' || cost "
                                + "FROM recipient ORDER BY id")
                        .query(String.class)
                        .list())
                .containsExactly(
                        "sent print_file pf-1 0.8900",
                        "sent print_file pf-2 0.8900",
                        "sent print_file pf-3 0.8900",
                        "sent print_file pf-4 0.8900",
                        "sent print_file pf-5 0.8900");
        assertThat(count("print_run")).isEqualTo(1);
        List<Path> runs = runDirectories();
        assertThat(runs).hasSize(1);
        List<String> manifest = Files.readAllLines(runs.get(0).resolve("manifest.csv"));
        assertThat(manifest.get(0))
                .isEqualTo("piece_id,campaign,external_id,name,address1,address2,city,region,zip,country,size,"
                        + "front_page,back_page");
        assertThat(manifest.subList(1, manifest.size()))
                .containsExactly(
                        "pf-1,winback,wb-1,Pat1 Lee,1 Main St,,Springfield,IL,62701,US,4x6,1,2",
                        "pf-2,winback,wb-2,Pat2 Lee,2 Main St,,Springfield,IL,62701,US,4x6,3,4",
                        "pf-3,winback,wb-3,Pat3 Lee,3 Main St,,Springfield,IL,62701,US,4x6,5,6",
                        "pf-4,winback,wb-4,Pat4 Lee,4 Main St,,Springfield,IL,62701,US,4x6,7,8",
                        "pf-5,winback,wb-5,Pat5 Lee,5 Main St,,Springfield,IL,62701,US,4x6,9,10");
        try (PDDocument postcards =
                Loader.loadPDF(runs.get(0).resolve("postcards.pdf").toFile())) {
            assertThat(postcards.getNumberOfPages()).isEqualTo(10);
            PDFTextStripper text = new PDFTextStripper();
            text.setStartPage(4);
            text.setEndPage(4);
            assertThat(text.getText(postcards))
                    .contains("Pat2 Lee", "2 Main St", "Springfield IL 62701")
                    .contains("Acme Co", "1 Market St", "San Francisco CA 94105");
        }

        assertThat(run(0, "run", "mailing").out()).doesNotContain("postcards in");
        assertThat(count("print_run")).isEqualTo(1);
        assertThat(runDirectories()).hasSize(1);
        assertThat(run(0, "export", "recipients", "--org", "acme", "--out", "-").out())
                .contains("sent,,false")
                .contains(",print_file,pf-3,0.89,");
    }

    @Test
    void aPieceLeftSendingIsSettledIntoExactlyOneManifest() throws IOException {
        jdbc.sql("UPDATE recipient SET status = 'sending', provider = 'print_file', idempotency_key = 'k-' || id "
                        + "WHERE external_id = 'wb-2'")
                .update();
        var result = run(0, "run", "mailing");
        assertThat(result.out())
                .contains("settled after an interruption: 1 sent")
                .contains("postcards: 4 sent");
        assertThat(manifestRows()).hasSize(5).doesNotHaveDuplicates();
    }

    @Test
    void aRecipientListedSinceItWasCreatedIsSuppressedNotMailed() throws IOException {
        Path list = Files.writeString(dir.resolve("dnm.csv"), "email\np3@example.com\n");
        run(0, "import", "do-not-mail", "--org", "acme", "--file", list.toString());
        run(0, "run", "mailing");
        assertThat(jdbc.sql("SELECT status || ' ' || coalesce(suppression_reason, '') FROM recipient "
                                + "WHERE external_id = 'wb-3'")
                        .query(String.class)
                        .single())
                .isEqualTo("suppressed do_not_mail");
        assertThat(manifestRows()).hasSize(4);
    }

    @Test
    void aCrashAfterSomePiecesAreRecordedMailsEachPieceOnceThroughTheRestart() throws IOException {
        jdbc.sql("CREATE FUNCTION fail_sent() RETURNS trigger AS $$ BEGIN "
                        + "IF NEW.status = 'sent' AND NEW.external_id = 'wb-4' THEN RAISE EXCEPTION 'injected'; END IF; "
                        + "RETURN NEW; END $$ LANGUAGE plpgsql")
                .update();
        jdbc.sql("CREATE TRIGGER fail_sent BEFORE UPDATE ON recipient FOR EACH ROW EXECUTE FUNCTION fail_sent()")
                .update();
        try {
            run(1, "run", "mailing");
        } finally {
            jdbc.sql("DROP TRIGGER fail_sent ON recipient").update();
            jdbc.sql("DROP FUNCTION fail_sent()").update();
        }
        assertThat(runDirectories()).isEmpty();
        run(0, "restart", Long.toString(lastExecutionId()));
        assertThat(jdbc.sql("SELECT count(*) FROM recipient WHERE status = 'sent'")
                        .query(Long.class)
                        .single())
                .isEqualTo(5);
        assertThat(manifestRows())
                .extracting(row -> row.split(",")[0])
                .containsExactlyInAnyOrder("pf-1", "pf-2", "pf-3", "pf-4", "pf-5");
    }

    private List<String> manifestRows() throws IOException {
        List<String> rows = new ArrayList<>();
        for (Path run : runDirectories()) {
            List<String> lines = Files.readAllLines(run.resolve("manifest.csv"));
            rows.addAll(lines.subList(1, lines.size()));
        }
        return rows;
    }

    private static List<Path> runDirectories() throws IOException {
        Path campaign = DATA_DIRECTORY.resolve("print").resolve("winback");
        if (!Files.isDirectory(campaign)) {
            return List.of();
        }
        try (Stream<Path> runs = Files.list(campaign)) {
            return runs.filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        }
    }

    private static void deletePrintFiles() throws IOException {
        Path print = DATA_DIRECTORY.resolve("print");
        if (Files.exists(print)) {
            try (Stream<Path> all = Files.walk(print)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
