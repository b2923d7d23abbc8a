package io.paperrun.recipient;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.enrichment.AddressKey;
import io.paperrun.support.Cli;
import io.paperrun.support.DatabaseTest;
import io.paperrun.support.InjectedFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code import do-not-mail}: the organization's list, each kind in its stored form, bad rows rejected. */
class DoNotMailImportTest extends DatabaseTest {

    private static final String HEADER = "email,email_sha256,address1,address2,zip\n";

    @TempDir
    Path dir;

    @BeforeEach
    void organization() {
        applySample();
    }

    @Test
    void eachKindIsStoredInItsNormalisedForm() throws IOException {
        String sha = sha256("zed@example.com");
        Path file = write(HEADER
                + "  Ann@Example.COM ,,,,\n"
                + "," + sha.toUpperCase() + ",,,\n"
                + ",,12 Oak Street,Apt 4,62701-1234\n"
                + "Bob@example.com," + sha + ",34 Elm Avenue,,62702\n");
        Cli.Result result = run(0, "import", "do-not-mail", "--org", "acme", "--file", file.toString());
        assertThat(result.out())
                .contains("do-not-mail-import: execution 1 completed")
                .contains("4 imported, 0 rejected");
        assertThat(list())
                .containsExactly(
                        "address " + AddressKey.of("12 Oak Street", "Apt 4", "62701", "US"),
                        "address " + AddressKey.of("34 Elm Avenue", null, "62702", "US"),
                        "email ann@example.com",
                        "email bob@example.com",
                        "email_sha256 " + sha);
        assertThat(list()).contains("address 12oakstapt462701", "address 34elmave62702");
    }

    @Test
    void anAddressIsKeyedInItsCountryUsByDefault() throws IOException {
        Path file =
                write("address1,zip,country\n" + "1 Market Street,94105-1234,\n" + "10 Downing Street,SW1A 2AA,gb\n");
        run(0, "import", "do-not-mail", "--org", "acme", "--file", file.toString());
        assertThat(list()).containsExactly("address 10downingstsw1a2aa", "address 1marketst94105");
    }

    @Test
    void badRowsAreRejectedWithFileLineAndReasonAndTheRestIsAdded() throws IOException {
        Path file = write(HEADER
                + "ann@example.com,,,,\n"
                + "not-an-email,,,,\n"
                + ",abc123,,,\n"
                + "," + "g".repeat(64) + ",,,\n"
                + ",,12 Oak Street,,\n"
                + ",,,Apt 4,62701\n"
                + ",,,,\n"
                + "cat@example.com," + sha256("x") + "0,,,\n"
                + "dan@example.com,,,,,extra\n"
                + ",,56 Pine Road,,62703\n");
        Cli.Result result = run(2, "import", "do-not-mail", "--org", "acme", "--file", file.toString());
        String path = file.toAbsolutePath().toString();
        assertThat(result.out()).contains("2 imported, 8 rejected");
        assertThat(result.err())
                .contains("rejected " + path + ":3: email 'not-an-email' is not an email address")
                .contains("rejected " + path + ":4: email_sha256 'abc123' is not a SHA-256 in hex")
                .contains("rejected " + path + ":5: email_sha256 '" + "g".repeat(64) + "' is not a SHA-256 in hex")
                .contains("rejected " + path + ":6: an address needs address1 and zip")
                .contains("rejected " + path + ":7: an address needs address1 and zip")
                .contains("rejected " + path + ":8: needs an email, an email_sha256 or an address (address1, zip)")
                .contains("rejected " + path + ":9: email_sha256 ")
                .contains("rejected " + path + ":10: has 6 fields, the header has 5");
        // A rejected row adds nothing, not even its good values (cat's email on line 9).
        assertThat(list())
                .containsExactly(
                        "address " + AddressKey.of("56 Pine Road", null, "62703", "US"), "email ann@example.com");
        assertThat(count("rejected_row")).isEqualTo(8);
    }

    @Test
    void importingTheSameFileAgainChangesNothingAndAnotherFileAddsOnlyWhatIsNew() throws IOException {
        Path file = write(HEADER + "ann@example.com,,,,\nbad,,,,\n,,12 Oak Street,,62701\n");
        run(2, "import", "do-not-mail", "--org", "acme", "--file", file.toString());
        List<String> once = list();
        Cli.Result again = run(0, "import", "do-not-mail", "--org", "acme", "--file", file.toString());
        assertThat(again.out())
                .contains("already completed")
                .contains("0 imported, 0 rejected (this file was imported already: 2 imported, 1 rejected)");
        assertThat(list()).isEqualTo(once);
        // The same entries in another file (another case, another zip+4): on the list already, left as they were.
        Path other = write("zip,address1,EMAIL\n62701-9999,12 Oak Street, ANN@example.com\n,,bob@example.com\n");
        Cli.Result more = run(0, "import", "do-not-mail", "--org", "acme", "--file", other.toString());
        assertThat(more.out()).contains("2 imported, 0 rejected");
        assertThat(list()).containsExactly("address 12oakst62701", "email ann@example.com", "email bob@example.com");
        assertThat(count("do_not_mail")).isEqualTo(3);
    }

    @Test
    void unknownColumnsAreReportedAndAFileWithoutAnyListColumnChangesNothing() throws IOException {
        Path file = write("email,reason\nann@example.com,asked\n");
        Cli.Result result = run(0, "import", "do-not-mail", "--org", "acme", "--file", file.toString());
        assertThat(result.err()).contains("unknown column(s) ignored: reason");
        assertThat(list()).containsExactly("email ann@example.com");

        Path none = write("name,city\nAnn,Springfield\n");
        assertThat(run(2, "import", "do-not-mail", "--org", "acme", "--file", none.toString())
                        .err())
                .contains("the header needs at least one of address1, email, email_sha256")
                .contains("nothing was imported");
        assertThat(run(2, "import", "do-not-mail", "--org", "globex", "--file", file.toString())
                        .err())
                .contains("unknown organization 'globex'");
        assertThat(count("do_not_mail")).isEqualTo(1);
    }

    @Test
    void aFailedImportIsRestartedAndAddsEveryRowOnce() throws IOException {
        Path file = write(HEADER + "ann@example.com,,,,\nbob@example.com,,,,\nbad,,,,\n");
        try (InjectedFailure ignored =
                InjectedFailure.on(jdbc, "do_not_mail", "INSERT", "NEW.value = 'bob@example.com'")) {
            Cli.Result failed = run(1, "import", "do-not-mail", "--org", "acme", "--file", file.toString());
            assertThat(failed.err()).contains("FAILED").contains("paperrun restart 1");
        }
        assertThat(count("do_not_mail")).isZero();
        Cli.Result restarted = run(2, "restart", "1");
        assertThat(restarted.out()).contains("restarted as execution 2").contains("2 imported, 1 rejected");
        assertThat(list()).containsExactly("email ann@example.com", "email bob@example.com");
        assertThat(run(0, "executions", "--job", "do-not-mail-import").out())
                .contains("FAILED")
                .contains("COMPLETED");
    }

    @Test
    void theListIsMatchedByEmailItsSha256OrAddressKeyWithinTheOrganization() throws IOException {
        run(0, "import", "do-not-mail", "--org", "acme", "--file", EXAMPLES + "do-not-mail.csv");
        long acme = organizationId("acme");
        String walnut = AddressKey.of("22 Walnut Place", null, "62707", "US");
        String oak = AddressKey.of("12 Oak Street", null, "62701", "US");
        DoNotMailList doNotMail = context.getBean(DoNotMailList.class);
        assertThat(doNotMail.matching(
                        acme, List.of("kim@example.com", "lou@example.com", "ann@example.com"), List.of(walnut, oak)))
                .containsExactlyInAnyOrder(
                        DoNotMailList.Entry.email("kim@example.com"),
                        DoNotMailList.Entry.email("lou@example.com"), // by its SHA-256
                        DoNotMailList.Entry.address(walnut));
        assertThat(doNotMail.matching(acme, List.of(), List.of())).isEmpty();
        jdbc.sql("INSERT INTO organization (slug) VALUES ('globex')").update();
        assertThat(doNotMail.matching(organizationId("globex"), List.of("kim@example.com"), List.of(walnut)))
                .isEmpty();
        assertThat(doNotMail.matching(acme, Set.of("kim@example.com"), Set.of()))
                .hasSize(1);
    }

    /** The list as {@code kind value} lines, sorted. */
    private List<String> list() {
        return jdbc.sql("SELECT kind || ' ' || value FROM do_not_mail ORDER BY kind || ' ' || value COLLATE \"C\"")
                .query(String.class)
                .list();
    }

    private long organizationId(String slug) {
        return jdbc.sql("SELECT id FROM organization WHERE slug = ?")
                .param(slug)
                .query(Long.class)
                .single();
    }

    private int files;

    private Path write(String content) throws IOException {
        return Files.writeString(dir.resolve("do-not-mail-" + ++files + ".csv"), content, StandardCharsets.UTF_8);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
