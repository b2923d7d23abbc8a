package io.paperrun.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.recipient.IncomingRecipient;
import io.paperrun.recipient.RecipientRepository;
import io.paperrun.support.Cli;
import io.paperrun.support.ScenarioTest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * "A campaign's first_send_date is the earliest sent_at of its recipients, unless set explicitly", in the
 * stage-B window {@code start = max(first_send_date + min_days, created_at + min_days)}.
 */
class FirstSendDateTest extends ScenarioTest {

    @Autowired
    DataSource dataSource;

    @Test
    void anExplicitFirstSendDateOverridesTheEarliestSentAtInTheWindow() {
        // Two standard campaigns (3 + 63 days), the same recipients' dates: created 1 Jan, sent 2 Jan.
        // "implicit": first send = 2 Jan (earliest sent_at), window [5 Jan, 8 Mar).
        // "explicit": first send = 1 Feb (apply file),        window [4 Feb, 7 Apr).
        apply("""
                organizations:
                  - slug: acme
                campaigns:
                  - key: explicit
                    organization: acme
                    status: active
                    first_send_date: 2024-02-01T00:00:00Z
                  - key: implicit
                    organization: acme
                    status: active
                """);
        String dates = ",sent,2024-01-01T00:00:00Z,2024-01-02T00:00:00Z\n";
        importRecipients(
                "acme",
                "campaign,external_id,email,status,created_at,sent_at\n"
                        + "explicit,e-1,e1@example.com" + dates + "explicit,e-2,e2@example.com" + dates
                        + "implicit,i-1,i1@example.com" + dates + "implicit,i-2,i2@example.com" + dates);
        importOrders(
                "acme",
                "order_id,created_at,email,total\n"
                        + "1,2024-01-20T00:00:00Z,e1@example.com,10.00\n"
                        + "2,2024-03-20T00:00:00Z,e2@example.com,10.00\n"
                        + "3,2024-01-20T00:00:00Z,i1@example.com,10.00\n"
                        + "4,2024-03-20T00:00:00Z,i2@example.com,10.00\n");
        run(0, "run", "attribution-processing");

        assertThat(export("acme"))
                .containsExactly(
                        "order_id,order_created_at,order_value,campaign,recipient_external_id,recipient_email,method,holdout,"
                                + "passes_rules,order_count,archived",
                        "1,2024-01-20T00:00:00Z,10.00,explicit,e-1,e1@example.com,email,false,false,1,false",
                        "3,2024-01-20T00:00:00Z,10.00,implicit,i-1,i1@example.com,email,false,true,1,false",
                        "2,2024-03-20T00:00:00Z,10.00,explicit,e-2,e2@example.com,email,false,true,1,false",
                        "4,2024-03-20T00:00:00Z,10.00,implicit,i-2,i2@example.com,email,false,false,1,false");
    }

    @Test
    void recipientsSentEarlierThanAllBeforeMoveTheFirstSendAndTheCampaignsDecisionsAreMadeAgain() {
        // A standard campaign (3 + 63 days); its recipients were created on 1 January.
        // First file: sent 10 January, first send 10 Jan, window [13 Jan, 17 Mar).
        String header = implicitCampaignSentOnTenJanuary("i-1", "i-3");
        importOrders(
                "acme",
                "order_id,created_at,email,total\n"
                        + "1,2024-01-12T00:00:00Z,i1@example.com,10.00\n"
                        + "2,2024-03-10T00:00:00Z,i3@example.com,10.00\n");
        run(0, "run", "attribution-processing");
        assertThat(passes()).containsExactly("1 false", "2 true");

        // A later file brings a recipient sent on 2 January: the earliest sent_at, so the first send is 2 Jan
        // (not the latest, 10 Jan, nor the first file's) and the window [5 Jan, 8 Mar).
        importRecipients(
                "acme", header + "implicit,i-2,i2@example.com,sent,2024-01-01T00:00:00Z,2024-01-02T00:00:00Z\n");
        assertThat(run(0, "run", "attribution-processing").out()).contains("attribution-processing-decide: 2 read");
        assertThat(passes()).containsExactly("1 true", "2 false");

        // Recipients sent later than the first send change nothing.
        importRecipients(
                "acme", header + "implicit,i-4,i4@example.com,sent,2024-01-01T00:00:00Z,2024-01-03T00:00:00Z\n");
        assertThat(run(0, "run", "attribution-processing").out()).contains("attribution-processing-decide: 0 read");
    }

    @Test
    void aHoldoutDecidedBeforeAnyRecipientWasSentIsDecidedAgainOnceOneIs() {
        // Holdout campaign (1 + 60 days). Its control group exists (created 1 January) before anyone is mailed:
        // the holdout order of 20 January is decided at once and fails, the campaign having no first send.
        apply("""
                organizations:
                  - slug: acme
                campaigns:
                  - key: test
                    organization: acme
                    status: active
                    holdout: { enabled: true, percentage: 10 }
                """);
        String header = "campaign,external_id,email,status,created_at,sent_at\n";
        importRecipients("acme", header + "test,h-1,h1@example.com,holdout,2024-01-01T00:00:00Z,\n");
        importOrders("acme", "order_id,created_at,email,total\n1,2024-01-20T00:00:00Z,h1@example.com,10.00\n");
        assertThat(passes()).containsExactly("1 false");

        // The mailing's recipients, sent 10 January: window [11 Jan, 11 Mar).
        importRecipients("acme", header + "test,s-1,s1@example.com,sent,2024-01-01T00:00:00Z,2024-01-10T00:00:00Z\n");
        run(0, "run", "attribution-processing");
        assertThat(passes()).containsExactly("1 true");
    }

    @Test
    void theReQueueingWaitsForAJobThatDecidesAttributionsToEnd() throws Exception {
        String header = implicitCampaignSentOnTenJanuary("i-1");
        importOrders("acme", "order_id,created_at,email,total\n1,2024-01-12T00:00:00Z,i1@example.com,10.00\n");
        run(0, "run", "attribution-processing");
        assertThat(passes()).containsExactly("1 false");

        ExecutorService importing = Executors.newSingleThreadExecutor();
        try (Connection writer = dataSource.getConnection();
                Statement st = writer.createStatement()) {
            // What a running order-sync, attribution-processing or attribution-rerun holds.
            st.execute("SELECT pg_advisory_lock(hashtext('paperrun.job'), hashtext('attribution-writers'))");
            Future<Cli.Result> earlier = importing.submit(() -> cli().run(
                            "import",
                            "recipients",
                            "--org",
                            "acme",
                            "--file",
                            write(
                                            "earlier.csv",
                                            header
                                                    + "implicit,i-2,i2@example.com,sent,2024-01-01T00:00:00Z,2024-01-02T00:00:00Z\n")
                                    .toString()));
            Thread.sleep(1500);
            assertThat(earlier)
                    .as("waits for the job that decides attributions")
                    .isNotDone();
            assertThat(passes()).containsExactly("1 false");
            st.execute("SELECT pg_advisory_unlock_all()");
            assertThat(earlier.get(60, TimeUnit.SECONDS).exitCode()).isZero();
        } finally {
            importing.shutdownNow();
        }
        assertThat(run(0, "run", "attribution-processing").out()).contains("attribution-processing-decide: 1 read");
        assertThat(passes()).containsExactly("1 true");
    }

    @Test
    void aCampaignQueuedAgainIsNotScannedAgainUntilAJobThatDecidesAttributionsHasRun() {
        implicitCampaignSentOnTenJanuary("i-1");
        importOrders("acme", "order_id,created_at,email,total\n1,2024-01-14T00:00:00Z,i1@example.com,10.00\n");
        run(0, "run", "attribution-processing");
        long campaign = jdbc.sql("SELECT id FROM campaign WHERE key = 'implicit'")
                .query(Long.class)
                .single();
        Map<Long, Long> requeued = new HashMap<>();

        assertThat(requeueOnce(campaign, "2024-01-05T00:00:00Z", requeued)).isOne();
        assertThat(requeued).containsOnlyKeys(campaign);
        // Decided again by hand, which no job did: a chunk that moves the first send again trusts that its
        // attributions are still undecided (no scan), since no job that decides attributions ran since.
        jdbc.sql("UPDATE attribution SET processed = true").update();
        assertThat(requeueOnce(campaign, "2024-01-04T00:00:00Z", requeued)).isZero();
        // Once one has run, it scans again.
        run(0, "run", "attribution-processing");
        jdbc.sql("UPDATE attribution SET processed = true").update();
        assertThat(requeueOnce(campaign, "2024-01-03T00:00:00Z", requeued)).isOne();
    }

    /** What a chunk of one recipient of the campaign, sent then, queues again (in a transaction of its own). */
    private int requeueOnce(long campaign, String sentAt, Map<Long, Long> requeued) {
        IncomingRecipient sent = new IncomingRecipient(
                campaign,
                "x",
                "x",
                "sent",
                Instant.parse("2024-01-01T00:00:00Z"),
                Instant.parse(sentAt),
                "x@example.com",
                "x@example.com",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                "US",
                null,
                null);
        return new TransactionTemplate(transactions)
                .execute(status -> recipients.requeueWhereFirstSendMoves(List.of(sent), requeued));
    }

    @Autowired
    RecipientRepository recipients;

    @Autowired
    PlatformTransactionManager transactions;

    /**
     * acme's standard campaign "implicit" (no first_send_date), and these recipients of it, created on 1 January
     * and sent on 10 January; returns the recipients' header.
     */
    private String implicitCampaignSentOnTenJanuary(String... externalIds) {
        apply("""
                organizations:
                  - slug: acme
                campaigns:
                  - key: implicit
                    organization: acme
                    status: active
                """);
        String header = "campaign,external_id,email,status,created_at,sent_at\n";
        StringBuilder rows = new StringBuilder(header);
        for (String id : externalIds) {
            rows.append("implicit,")
                    .append(id)
                    .append(',')
                    .append(id.replace("-", ""))
                    .append("@example.com,sent," + "2024-01-01T00:00:00Z,2024-01-10T00:00:00Z\n");
        }
        importRecipients("acme", rows.toString());
        return header;
    }

    private List<String> passes() {
        return jdbc.sql("""
                SELECT o.provider_order_id || ' ' || coalesce(a.passes_rules::text, '-')
                FROM attribution a JOIN customer_order o ON o.id = a.order_id ORDER BY o.provider_order_id
                """).query(String.class).list();
    }
}
