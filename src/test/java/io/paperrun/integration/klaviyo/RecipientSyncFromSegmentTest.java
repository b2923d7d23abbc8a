package io.paperrun.integration.klaviyo;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.recipient.HoldoutAssignment;
import io.paperrun.support.Cli;
import io.paperrun.support.DatabaseTest;
import io.paperrun.support.InjectedFailure;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * recipient-sync from a Klaviyo segment, end to end through the command line against the fake segment: a campaign
 * fills with pending, holdout and suppressed recipients once, through a second sync and a failure and restart.
 */
class RecipientSyncFromSegmentTest extends DatabaseTest {

    private static final String KEY = "pk_segment_key";
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final FakeKlaviyoSegment segment = new FakeKlaviyoSegment("Seg1", KEY, 3000, START);

    @TempDir
    Path dir;

    @BeforeEach
    void segment() throws IOException {
        server.setDispatcher(segment);
        System.setProperty("KLAVIYO_KEY", KEY);
        Path apply = dir.resolve("apply.yaml");
        Files.writeString(apply, """
                organizations:
                  - slug: acme
                    integrations:
                      klaviyo: {api_key: "${KLAVIYO_KEY}", base_url: "%s"}
                campaigns:
                  - key: spring
                    organization: acme
                    status: active
                    holdout: {enabled: true, percentage: 10, absolute_maximum: 200}
                    audience: {source: klaviyo, segment_id: Seg1}
                  - key: imported
                    organization: acme
                    status: active
                """.formatted(server.url("/")));
        run(0, "apply", "-f", apply.toString());
    }

    @AfterEach
    void forgetKey() {
        System.clearProperty("KLAVIYO_KEY");
        InjectedFailure.dropAll(jdbc);
    }

    @Test
    void aCampaignFillsWithPendingHoldoutAndSuppressedRecipientsOnceThroughASecondSync() {
        jdbc.sql("INSERT INTO do_not_mail (organization_id, kind, value) "
                        + "SELECT id, 'email', 'member7@example.com' FROM organization")
                .update();

        Cli.Result sync = run(0, "run", "recipient-sync");

        assertThat(sync.out())
                .contains("acme/spring (klaviyo): 3000 read, 3000 new, 0 skipped, 1 suppressed, ")
                .contains("checkpoint none -> " + segment.joinedAt(2999));
        assertThat(count("recipient")).isEqualTo(3000);
        assertThat(jdbc.sql(
                                "SELECT status || ' ' || suppression_reason FROM recipient WHERE email = 'member7@example.com'")
                        .query(String.class)
                        .single())
                .isEqualTo("suppressed do_not_mail");
        assertThat(jdbc.sql("SELECT DISTINCT address_source FROM recipient")
                        .query(String.class)
                        .list())
                .containsExactly("klaviyo");
        assertThat(jdbc.sql("SELECT country FROM recipient WHERE external_id = ?")
                        .param(FakeKlaviyoSegment.generatedId(3))
                        .query(String.class)
                        .single())
                .isEqualTo("CA");
        assertThat(heldOut()).isEqualTo(expectedHoldouts(3000, 200));

        // The next sync asks from the checkpoint less the overlap: members read again are skipped, none added.
        Cli.Result again = run(0, "run", "recipient-sync");
        // Members who joined in the last ten minutes before the checkpoint: 901 of them.
        assertThat(again.out()).contains("acme/spring (klaviyo): 901 read, 0 new, 901 skipped, ");
        assertThat(count("recipient")).isEqualTo(3000);

        // Enrichment without a provider normalises, and suppresses those with no usable address, in both groups.
        run(0, "run", "address-enrichment");
        assertThat(jdbc.sql(
                                "SELECT count(*) FROM recipient WHERE enriched_at IS NULL AND status IN ('pending', 'holdout')")
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM recipient WHERE suppression_reason = 'no_address'")
                        .query(Long.class)
                        .single())
                .isEqualTo(300);

        String export = run(0, "export", "recipients", "--org", "acme", "--campaign", "spring", "--out", "-")
                .out();
        assertThat(export).contains(",klaviyo,suppressed,no_address,false,");
        assertThat(export.lines().count()).isEqualTo(3001);
        assertThat(export).contains(",klaviyo,suppressed,do_not_mail,false,");
    }

    @Test
    void aSyncFailingMidwayIsRestartedAndHoldsOutTheSamePeopleOnce() {
        long failed;
        try (InjectedFailure ignored = InjectedFailure.on(
                jdbc, "recipient", "INSERT", "NEW.external_id = '" + FakeKlaviyoSegment.generatedId(2500) + "'")) {
            Cli.Result sync = run(1, "run", "recipient-sync");
            assertThat(sync.err()).contains("acme/spring (klaviyo): FAILED: ").contains(InjectedFailure.MESSAGE);
            failed = lastExecutionId();
        }
        assertThat(count("recipient")).isEqualTo(2000);

        run(0, "restart", String.valueOf(failed));

        assertThat(count("recipient")).isEqualTo(3000);
        assertThat(jdbc.sql("SELECT count(DISTINCT external_id) FROM recipient")
                        .query(Long.class)
                        .single())
                .isEqualTo(3000);
        assertThat(heldOut()).isEqualTo(expectedHoldouts(3000, 200));
    }

    @Test
    void refusedCredentialsFailTheCampaignInOneLine() {
        System.setProperty("KLAVIYO_KEY", "pk_wrong");
        Cli.Result sync = run(1, "run", "recipient-sync");
        assertThat(sync.err())
                .contains("recipient-sync: execution 1 FAILED: 1 of 1 campaigns failed")
                .contains("  acme/spring (klaviyo): FAILED: ")
                .doesNotContain("pk_wrong");
        assertThat(count("recipient")).isZero();
    }

    @Test
    void campaignNamesTheOneCampaignToSyncAndACampaignNotFilledFromASegmentHasNothingToSync() {
        Cli.Result imported = run(0, "run", "recipient-sync", "org=acme", "campaign=imported");
        assertThat(imported.err())
                .contains("imported: not an active campaign filled from a segment (audience: {source: klaviyo}); "
                        + "nothing synced");
        assertThat(count("recipient")).isZero();

        Cli.Result spring = run(0, "run", "recipient-sync", "org=acme", "campaign=spring");
        assertThat(spring.out()).contains("acme/spring (klaviyo): 3000 read, 3000 new, ");
    }

    /** The first {@code maximum} members of the first {@code members}, in joined order, the rule holds out. */
    private static List<String> expectedHoldouts(int members, int maximum) {
        List<String> held = new ArrayList<>();
        for (int i = 0; i < members && held.size() < maximum; i++) {
            if (i != 7
                    && HoldoutAssignment.inShare(
                            HoldoutAssignment.draw("spring", "member" + i + "@example.com"), BigDecimal.TEN)) {
                held.add("member" + i + "@example.com");
            }
        }
        return held;
    }

    private List<String> heldOut() {
        return jdbc.sql("SELECT email FROM recipient WHERE status = 'holdout' ORDER BY id")
                .query(String.class)
                .list();
    }
}
