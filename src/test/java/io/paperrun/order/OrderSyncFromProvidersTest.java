package io.paperrun.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.integration.shopify.FakeShopify;
import io.paperrun.support.Cli;
import io.paperrun.support.DatabaseTest;
import io.paperrun.support.InjectedFailure;
import io.paperrun.support.OmetriaServer;
import io.paperrun.support.SampleOrders;
import java.io.IOException;
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
import tools.jackson.databind.node.ObjectNode;

/**
 * order-sync from a provider, end to end through the command line, against a fake that speaks the provider's API:
 * every order once through repeated syncs, late updates, equal timestamps across pages, a failure mid-sync and its
 * restart, and one organization failing while another succeeds.
 */
class OrderSyncFromProvidersTest extends DatabaseTest {

    private static final String KEY = "om-key-acme-1";

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final OmetriaServer ometria = new OmetriaServer(KEY);

    @TempDir
    Path dir;

    @BeforeEach
    void ometriaAccount() {
        server.setDispatcher(ometria);
        System.setProperty("OMETRIA_KEY", KEY);
        System.setProperty("OMETRIA_BETA_KEY", "om-key-beta-wrong");
    }

    @AfterEach
    void forgetKeys() {
        System.clearProperty("OMETRIA_KEY");
        System.clearProperty("OMETRIA_BETA_KEY");
        InjectedFailure.dropAll(jdbc);
    }

    @Test
    void ordersSyncedFromAProviderAreAttributedExactlyAsTheSameOrdersImportedFromAFile() throws IOException {
        String fromFile = attributionsFromTheSampleFile();

        applyWithOmetria("acme");
        importSampleRecipients();
        ometria.putSample();
        Cli.Result sync = run(0, "run", "order-sync");
        assertThat(sync.out())
                .contains("acme (ometria): 19 read, 19 new, 0 updated, ")
                .contains("checkpoint none -> 2024-12-20T12:00:00Z");
        run(0, "run", "attribution-processing");
        assertThat(exportAttributions()).isEqualTo(fromFile);
        assertThat(checkpoint("acme")).isEqualTo("2024-12-20T12:00:00Z");
        // Asked from the start, in pages of 100: one request.
        assertThat(ometria.requests()).hasSize(1);
        assertThat(ometria.requests().get(0).queryParameter("since")).isNull();

        // The next sync asks again from the checkpoint less the overlap: the last order is read, not stored again.
        Cli.Result again = run(0, "run", "order-sync");
        assertThat(again.out()).contains("acme (ometria): 1 read, 0 new, 0 updated, ");
        assertThat(ometria.requests().get(1).queryParameter("since")).isEqualTo("2024-12-20T11:50:00Z");
        assertThat(count("customer_order")).isEqualTo(19);
        assertThat(exportAttributions()).isEqualTo(fromFile);
    }

    @Test
    void anOrderUpdatedAfterItWasSyncedIsUpdatedAndMatchedAgainNeverDoubled() throws IOException {
        applyWithOmetria("acme");
        importSampleRecipients();
        ometria.putSample();
        run(0, "run", "order-sync");
        SampleOrders.Order ann = SampleOrders.read().get(0);
        ometria.put(
                new SampleOrders.Order(
                        ann.id(),
                        ann.createdAt(),
                        ann.email(),
                        "75.00",
                        ann.currency(),
                        ann.codes(),
                        ann.address1(),
                        ann.address2(),
                        ann.city(),
                        ann.region(),
                        ann.zip(),
                        ann.country()),
                Instant.parse("2025-01-05T00:00:00Z"));

        Cli.Result sync = run(0, "run", "order-sync");

        assertThat(sync.out()).contains("acme (ometria): 2 read, 0 new, 1 updated, ");
        assertThat(count("customer_order")).isEqualTo(19);
        assertThat(jdbc.sql("SELECT total::text FROM customer_order WHERE provider_order_id = '1001'")
                        .query(String.class)
                        .single())
                .isEqualTo("75.00");
        assertThat(checkpoint("acme")).isEqualTo("2025-01-05T00:00:00Z");
        run(0, "run", "attribution-processing");
        assertThat(exportAttributions()).contains("1001,2024-01-10T15:00:00Z,75.00,");
    }

    @Test
    void ordersSharingATimestampAcrossPageBoundariesAreNeitherLostNorDoubled() throws IOException {
        applyWithOmetria("acme");
        Instant same = Instant.parse("2025-03-01T10:00:00Z");
        for (int i = 0; i < 250; i++) {
            ometria.put(SampleOrders.plain("o-" + 1000 + i), same);
        }
        assertThat(run(0, "run", "order-sync").out()).contains("acme (ometria): 250 read, 250 new, 0 updated, ");
        ometria.put(SampleOrders.plain("o-2000"), same);

        assertThat(run(0, "run", "order-sync").out()).contains("acme (ometria): 251 read, 1 new, 0 updated, ");
        assertThat(count("customer_order")).isEqualTo(251);
        assertThat(jdbc.sql("SELECT count(DISTINCT provider_order_id) FROM customer_order")
                        .query(Long.class)
                        .single())
                .isEqualTo(251);
    }

    @Test
    void aSyncFailingMidwayIsRestartedFromItsLastCommittedChunkAndStoresEveryOrderOnce() throws IOException {
        applyWithOmetria("acme");
        Instant start = Instant.parse("2025-01-01T00:00:00Z");
        for (int i = 0; i < 4500; i++) {
            ometria.put(SampleOrders.plain(String.format("o-%05d", i)), start.plusSeconds(i));
        }
        long failed;
        try (InjectedFailure ignored =
                InjectedFailure.on(jdbc, "customer_order", "INSERT", "NEW.provider_order_id = 'o-03000'")) {
            Cli.Result sync = run(1, "run", "order-sync");
            assertThat(sync.err()).contains("acme (ometria): FAILED: ").contains(InjectedFailure.MESSAGE);
            failed = lastExecutionId();
        }
        // The first chunk (2000 orders) committed, and the checkpoint with it.
        assertThat(count("customer_order")).isEqualTo(2000);
        assertThat(checkpoint("acme")).isEqualTo(start.plusSeconds(1999).toString());
        int asked = ometria.requests().size();

        run(0, "restart", String.valueOf(failed));

        assertThat(count("customer_order")).isEqualTo(4500);
        assertThat(jdbc.sql("SELECT count(DISTINCT provider_order_id) FROM customer_order")
                        .query(Long.class)
                        .single())
                .isEqualTo(4500);
        // The restart asked from where the committed chunk ended, not from the start.
        List<String> offsets = ometria
                .requests()
                .subList(asked, ometria.requests().size())
                .stream()
                .map(url -> url.queryParameter("offset"))
                .toList();
        assertThat(offsets).hasSize(26).doesNotContain("0");
        assertThat(offsets.get(0)).isNotEqualTo("1900");
        assertThat(checkpoint("acme")).isEqualTo(start.plusSeconds(4499).toString());
    }

    @Test
    void aPageThatKeepsFailingFailsItsOrganizationRestartably() throws IOException {
        applyWithOmetria("acme");
        Instant start = Instant.parse("2025-01-01T00:00:00Z");
        for (int i = 0; i < 250; i++) {
            ometria.put(SampleOrders.plain(String.format("o-%05d", i)), start.plusSeconds(i));
        }
        // Every request from the second page on fails.
        java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        ometria.failWhen(url -> requests.incrementAndGet() >= 2, 503);

        Cli.Result sync = run(1, "run", "order-sync");

        assertThat(sync.err())
                .contains("acme (ometria): FAILED: ")
                .contains("gave up after 4 attempts, last status 503");
        long failed = lastExecutionId();
        ometria.failWhen(url -> false, 503);
        int asked = ometria.requests().size();
        Cli.Result restart = run(0, "restart", String.valueOf(failed));
        // Nothing had committed (a chunk holds 2000 orders): the restart reads from the start, once.
        assertThat(restart.out()).contains("acme (ometria): 250 read, 250 new, 0 updated, ");
        assertThat(count("customer_order")).isEqualTo(250);
        assertThat(ometria.requests().get(asked)).isEqualTo(ometria.requests().get(0));
        assertThat(ometria.requests()).hasSize(asked + 3);
    }

    @Test
    void anOrganizationWithBadCredentialsFailsAloneAndItsRestartRunsOnlyIt() throws IOException {
        applyWithOmetria("acme", "beta");
        ometria.putSample();

        Cli.Result sync = run(1, "run", "order-sync");

        assertThat(sync.out()).contains("acme (ometria): 19 read, 19 new, ");
        assertThat(sync.err())
                .contains("order-sync: execution 1 FAILED: 1 of 2 organizations failed")
                .contains("  beta (ometria): FAILED: GET ")
                .contains("status 403, Ometria refused the credentials (integrations.ometria.api_key)");
        assertThat(ordersOf("acme")).isEqualTo(19);
        assertThat(ordersOf("beta")).isZero();
        assertThat(checkpoint("acme")).isEqualTo("2024-12-20T12:00:00Z");
        long failed = lastExecutionId();
        // One request for beta: credentials refused are not retried.
        assertThat(ometria.requests()).hasSize(2);

        // The next sync is a new one: acme goes on from its checkpoint, beta fails again.
        Cli.Result next = run(1, "run", "order-sync");
        assertThat(next.out()).contains("acme (ometria): 1 read, 0 new, ");
        assertThat(lastExecutionId()).isGreaterThan(failed);

        System.setProperty("OMETRIA_BETA_KEY", KEY);
        run(0, "restart", String.valueOf(failed));
        assertThat(ordersOf("beta")).isEqualTo(19);
        assertThat(jdbc.sql("""
                        SELECT o.slug FROM order_sync_run r JOIN organization o ON o.id = r.organization_id
                        WHERE r.job_execution_id = (SELECT max(job_execution_id) FROM batch_job_execution)
                        """).query(String.class).list()).containsExactly("beta");
    }

    @Test
    void anOrganizationNamedThatTakesItsOrdersFromFilesHasNothingToSync() throws IOException {
        applySample();
        Cli.Result sync = run(0, "run", "order-sync", "org=acme");
        assertThat(sync.err()).contains("acme: its orders come from CSV files");
        assertThat(count("customer_order")).isZero();
    }

    @Test
    void ordersSyncedFromShopifyAreAttributedAsFromAFileItsTestOrdersSkippedAndCancelledOnesKept() throws IOException {
        String fromFile = attributionsFromTheSampleFile();
        List<ObjectNode> nodes = new ArrayList<>();
        for (SampleOrders.Order o : SampleOrders.read()) {
            nodes.add(ShopifyNodes.of(o, o.createdAt()));
        }
        ObjectNode test = ShopifyNodes.of(SampleOrders.plain("9001"), Instant.parse("2025-01-02T00:00:00Z"));
        test.put("test", true);
        nodes.add(test);
        ObjectNode cancelled = ShopifyNodes.of(SampleOrders.plain("9002"), Instant.parse("2025-01-03T00:00:00Z"));
        cancelled.put("cancelledAt", "2025-01-03T00:00:00Z");
        nodes.add(cancelled);
        server.setDispatcher(FakeShopify.builder().orders(nodes).build());
        System.setProperty("SHOPIFY_TOKEN", "shpat_fake_token");
        try {
            applyWithSampleCampaigns(
                    dir,
                    organization(
                            "acme",
                            "shopify",
                            "{shop: acme-co, access_token: \"${SHOPIFY_TOKEN}\", base_url: \"" + server.url("/")
                                    + "\"}"));
            importSampleRecipients();

            Cli.Result sync = run(0, "run", "order-sync");

            assertThat(sync.out()).contains("acme (shopify): 21 read, 20 new, 0 updated, ");
            assertThat(sync.err()).contains("rejected shopify acme-co 9001: test order, not synced");
            assertThat(jdbc.sql("SELECT cancelled_at FROM customer_order WHERE provider_order_id = '9002'")
                            .query((rs, i) -> rs.getTimestamp(1).toInstant())
                            .single())
                    .isEqualTo(Instant.parse("2025-01-03T00:00:00Z"));
            run(0, "run", "attribution-processing");
            assertThat(exportAttributions()).isEqualTo(fromFile);
        } finally {
            System.clearProperty("SHOPIFY_TOKEN");
        }
    }

    @Test
    void aSyncFromAThrottlingShopifyPacesItselfAndStoresEveryOrderOnce() throws IOException {
        FakeShopify shop = FakeShopify.builder()
                .generated(3000, Instant.parse("2025-01-01T00:00:00Z"), 7)
                .bucket(300, 3000)
                .throttledStatus(429)
                .build();
        server.setDispatcher(shop);
        System.setProperty("SHOPIFY_TOKEN", "shpat_fake_token");
        try {
            applyWithSampleCampaigns(
                    dir,
                    organization(
                            "acme",
                            "shopify",
                            "{shop: acme-co, access_token: \"${SHOPIFY_TOKEN}\", base_url: \"" + server.url("/")
                                    + "\"}"));

            Cli.Result sync = run(0, "run", "order-sync");

            // Every 97th order from the 13th is a test order: 31 of 3000.
            assertThat(sync.out()).contains("acme (shopify): 3000 read, 2969 new, 0 updated, ");
            assertThat(count("customer_order")).isEqualTo(2969);
            assertThat(jdbc.sql("SELECT count(DISTINCT provider_order_id) FROM customer_order")
                            .query(Long.class)
                            .single())
                    .isEqualTo(2969);
            assertThat(shop.usage().throttledShare()).isLessThan(0.01);
        } finally {
            System.clearProperty("SHOPIFY_TOKEN");
        }
    }

    /** The sample apply file, with these organizations syncing from the fake Ometria (acme's key right). */
    private void applyWithOmetria(String... slugs) throws IOException {
        StringBuilder organizations = new StringBuilder();
        for (String slug : slugs) {
            organizations.append(organization(
                    slug,
                    "ometria",
                    "{api_key: \"${" + (slug.equals("acme") ? "OMETRIA_KEY" : "OMETRIA_BETA_KEY") + "}\", base_url: \""
                            + server.url("/") + "\"}"));
        }
        applyWithSampleCampaigns(dir, organizations.toString());
    }

    private String checkpoint(String org) {
        return jdbc.sql("""
                        SELECT c.last_order_at FROM order_sync_checkpoint c JOIN organization o ON o.id = c.organization_id
                        WHERE o.slug = ?
                        """)
                .param(org)
                .query((rs, i) -> rs.getTimestamp(1).toInstant().toString())
                .single();
    }

    private long ordersOf(String org) {
        return jdbc.sql("""
                        SELECT count(*) FROM customer_order c JOIN organization o ON o.id = c.organization_id
                        WHERE o.slug = ?
                        """).param(org).query(Long.class).single();
    }
}
