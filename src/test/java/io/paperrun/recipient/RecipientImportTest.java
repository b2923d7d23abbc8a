package io.paperrun.recipient;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.DatabaseTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The import recipients CSV of the interface spec. */
class RecipientImportTest extends DatabaseTest {

    private static final String HEADER =
            "campaign,external_id,email,address1,city,zip,country,status,created_at," + "sent_at,discount_code\n";

    @TempDir
    Path dir;

    @BeforeEach
    void campaigns() {
        applySample();
    }

    @Test
    void anImportEndsWithFreshPlannerStatisticsOfTheRecipients() {
        importSampleRecipients();
        // ANALYZE sets the planner's row count; without it, the table emptied before this test would still say -1.
        assertThat(jdbc.sql("SELECT reltuples::bigint FROM pg_class WHERE oid = 'recipient'::regclass")
                        .query(Long.class)
                        .single())
                .isEqualTo(count("recipient"))
                .isPositive();
        assertThat(run(0, "executions", "--job", "recipient-sync").out()).contains("COMPLETED");
    }

    @Test
    void rowsWithoutExternalIdAreDeduplicatedByEmailWithinTheCampaign() throws IOException {
        importRecipients(HEADER
                + "winback-2024,,Ann@Example.com,,,,,,,,\n"
                + "winback-2024,, ann@example.com ,,,,,,,,\n"
                + "welcome-2024,,ann@example.com,,,,,,,,\n");
        assertThat(jdbc.sql(
                                "SELECT c.key || ' ' || r.natural_key FROM recipient r JOIN campaign c ON c.id = r.campaign_id "
                                        + "ORDER BY 1")
                        .query(String.class)
                        .list())
                .containsExactly("welcome-2024 email:ann@example.com", "winback-2024 email:ann@example.com");
    }

    @Test
    void defaultsArePendingUsAndTheImportTimeUnlessTheRecipientWasSentEarlier() throws IOException {
        Instant before = Instant.now().minusSeconds(1);
        importRecipients(HEADER
                + "winback-2024,a,a@example.com,,,,,,,,\n"
                + "winback-2024,b,b@example.com,,,,ca,sent,,2024-01-05T12:00:00Z,\n");
        assertThat(jdbc.sql("SELECT natural_key || ' ' || status || ' ' || country FROM recipient ORDER BY 1")
                        .query(String.class)
                        .list())
                .containsExactly("a pending US", "b sent CA");
        Instant createdA = jdbc.sql("SELECT created_at FROM recipient WHERE natural_key = 'a'")
                .query(Timestamp.class)
                .single()
                .toInstant();
        assertThat(createdA).isAfter(before).isBefore(Instant.now().plusSeconds(1));
        assertThat(jdbc.sql("SELECT created_at = sent_at FROM recipient WHERE natural_key = 'b'")
                        .query(Boolean.class)
                        .single())
                .as("a recipient exists no later than its mailing")
                .isTrue();
    }

    @Test
    void sentAtAndCreatedAtAreSetOnceAndASentRecipientStaysSent() throws IOException {
        importRecipients(HEADER + "winback-2024,a,a@example.com,,,,,sent,2024-01-02T00:00:00Z,2024-01-05T00:00:00Z,\n");
        importRecipients(HEADER + "winback-2024,a,new@example.com,,,,,pending,2024-03-01T00:00:00Z,,\n");
        assertThat(jdbc.sql("SELECT status || ' ' || created_at || ' ' || sent_at || ' ' || email FROM recipient")
                        .query(String.class)
                        .single())
                .isEqualTo("sent 2024-01-02 00:00:00+00 2024-01-05 00:00:00+00 new@example.com");
    }

    @Test
    void addressesGetTheirMatchingKeyAndCodesTheirMatchingForm() throws IOException {
        importRecipients(HEADER + "welcome-2024,a,,12 North Oak Street #4,Town,02134-1234,,,,,welcome-a1 \n");
        assertThat(jdbc.sql("SELECT address_key || ' ' || discount_code_upper || ' ' || natural_key FROM recipient")
                        .query(String.class)
                        .single())
                .isEqualTo("12noakst402134 WELCOME-A1 a");
    }

    private int fileNumber;

    private void importRecipients(String content) throws IOException {
        Path file = Files.writeString(dir.resolve("r" + fileNumber++ + ".csv"), content);
        run(0, "import", "recipients", "--org", "acme", "--file", file.toString());
    }
}
