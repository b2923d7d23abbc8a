package io.paperrun.mailing;

import io.paperrun.integration.intelliprint.FakeIntelliPrint;
import io.paperrun.integration.lob.FakeLob;
import io.paperrun.integration.stannp.FakeStannp;
import io.paperrun.support.DatabaseTest;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the job-level tests of mailing and delivery-tracking: the three printers' fakes on their own servers,
 * their keys as environment references, accepting every piece at {@link #ACCEPTED}; helpers to apply, import, proof
 * and read the recipients back.
 */
abstract class PrinterFakesTest extends DatabaseTest {

    /** When the fakes accept a piece: their clock. */
    static final Instant ACCEPTED = Instant.parse("2024-03-01T10:00:00Z");

    static final String LOB_KEY = "test_fake_lob_key";
    static final String STANNP_KEY = "fake-stannp-key";
    static final String INTELLIPRINT_KEY = "key_fake_intelliprint";

    @StartStop
    final MockWebServer lobServer = new MockWebServer();

    @StartStop
    final MockWebServer stannpServer = new MockWebServer();

    @StartStop
    final MockWebServer intelliprintServer = new MockWebServer();

    final FakeLob lob = new FakeLob(LOB_KEY, InstantSource.fixed(ACCEPTED));
    final FakeStannp stannp = new FakeStannp(STANNP_KEY, InstantSource.fixed(ACCEPTED));
    final FakeIntelliPrint intelliprint = new FakeIntelliPrint(INTELLIPRINT_KEY, InstantSource.fixed(ACCEPTED));

    @TempDir
    Path dir;

    @BeforeEach
    void printers() {
        lobServer.setDispatcher(lob);
        stannpServer.setDispatcher(stannp);
        intelliprintServer.setDispatcher(intelliprint);
        System.setProperty("LOB_KEY", LOB_KEY);
        System.setProperty("STANNP_KEY", STANNP_KEY);
        System.setProperty("INTELLIPRINT_KEY", INTELLIPRINT_KEY);
    }

    @AfterEach
    void forgetKeys() {
        System.clearProperty("LOB_KEY");
        System.clearProperty("STANNP_KEY");
        System.clearProperty("INTELLIPRINT_KEY");
    }

    String lob() {
        return "lob: {api_key: \"${LOB_KEY}\", base_url: \"" + lobServer.url("/") + "\"}";
    }

    String stannp() {
        return "stannp: {api_key: \"${STANNP_KEY}\", region: uk, base_url: \"" + stannpServer.url("/") + "\"}";
    }

    String intelliprint() {
        return "intelliprint: {api_key: \"${INTELLIPRINT_KEY}\", base_url: \"" + intelliprintServer.url("/") + "\"}";
    }

    void apply(List<String> organizations, List<String> campaigns) throws IOException {
        run(
                0,
                "apply",
                "-f",
                MailingFixture.applyFile(dir, organizations, campaigns).toString());
    }

    /** Imports recipients ({@code campaign:external_id:country[:status]}) of {@code org} with a status column. */
    void importRecipients(String org, String... recipients) throws IOException {
        String file = "recipients-" + org + "-" + System.nanoTime() + ".csv";
        run(
                0,
                "import",
                "recipients",
                "--org",
                org,
                "--file",
                MailingFixture.recipients(dir, file, true, recipients).toString());
    }

    /** The pending recipients are proofed, with the fixture's proof, written once: a proof never changes. */
    void proofPending() throws IOException {
        Path file = dir.resolve("proof.pdf");
        String proof = (Files.exists(file) ? file : MailingFixture.proof(dir)).toString();
        jdbc.sql("UPDATE recipient SET status = 'proofed', proof_front = ?, proof_back = ? WHERE status = 'pending'")
                .param(proof)
                .param(proof)
                .update();
    }

    /** {@code column} of each recipient, by external id. */
    Map<String, String> byRecipient(String column) {
        Map<String, String> values = new LinkedHashMap<>();
        jdbc.sql("SELECT external_id, " + column + " FROM recipient ORDER BY external_id")
                .query((rs, i) -> values.put(rs.getString(1), rs.getString(2)))
                .list();
        return values;
    }

    long recipientId(String externalId) {
        return jdbc.sql("SELECT id FROM recipient WHERE external_id = ?")
                .param(externalId)
                .query(Long.class)
                .single();
    }

    /** The rows {@code export recipients} writes for {@code org}, by external id. */
    Map<String, CSVRecord> exported(String org) {
        String csv = run(0, "export", "recipients", "--org", org, "--out", "-").out();
        Map<String, CSVRecord> rows = new LinkedHashMap<>();
        try {
            for (CSVRecord row : CSVFormat.DEFAULT
                    .builder()
                    .setHeader()
                    .setSkipHeaderRecord(true)
                    .get()
                    .parse(new StringReader(csv))) {
                rows.put(row.get("external_id"), row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }
}
