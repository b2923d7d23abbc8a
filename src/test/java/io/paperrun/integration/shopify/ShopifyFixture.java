package io.paperrun.integration.shopify;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.batch.ImportLine;
import io.paperrun.batch.Page;
import io.paperrun.batch.Partitions;
import io.paperrun.integration.http.Backoff;
import io.paperrun.integration.http.Secrets;
import io.paperrun.order.IncomingOrder;
import io.paperrun.order.OrderReading;
import io.paperrun.order.OrderSource;
import io.paperrun.organization.IntegrationSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockWebServer;
import org.springframework.mock.env.MockEnvironment;

/** Opens Shopify order sources on a test server, as an apply file's settings would, on a virtual clock. */
final class ShopifyFixture {

    static final String TOKEN = "shpat_0123456789abcdef0123456789abcdef";

    /** 4 attempts, 100 ms doubling, within a minute: 5xx retries cost only virtual time. */
    static final Backoff RETRIES = new Backoff(4, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofMinutes(1));

    final VirtualClock clock = new VirtualClock();
    private final MockWebServer server;
    private Backoff throttling = ShopifyOrderSources.THROTTLING;

    ShopifyFixture(MockWebServer server) {
        this.server = server;
    }

    /** A fake shop on the virtual clock, with the fixture's token, for {@link #open()}. */
    FakeShopify.Builder shop() {
        return FakeShopify.builder().accessToken(TOKEN).clock(clock::now);
    }

    /** The settings of shop acme-co at the test server: {@code base_url} set, the token as a reference. */
    Map<String, String> settings() {
        Map<String, String> settings = new HashMap<>();
        settings.put("shop", "acme-co");
        settings.put("access_token", "${SHOPIFY_TOKEN}");
        settings.put("api_version", "2026-07");
        settings.put("base_url", server.url("/").toString());
        return settings;
    }

    /** The bounds of THROTTLED answers of the sources opened from now on. */
    ShopifyFixture throttling(Backoff throttling) {
        this.throttling = throttling;
        return this;
    }

    OrderSource open() {
        return open(settings(), Partitions.Slice.ALL);
    }

    OrderSource open(Map<String, String> settings, Partitions.Slice slice) {
        Secrets secrets = new Secrets(new MockEnvironment().withProperty("SHOPIFY_TOKEN", TOKEN));
        ShopifyOrderSources sources = new ShopifyOrderSources(secrets, clock, RETRIES, throttling);
        return sources.open(
                new OrderReading("acme", Map.of(), slice, "1", new IntegrationSettings("shopify", settings)));
    }

    /** Every page from the first to the one whose next is null. */
    static List<ImportLine<IncomingOrder>> readAll(OrderSource source, Instant since) throws Exception {
        List<ImportLine<IncomingOrder>> lines = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Page<IncomingOrder> page = source.fetch(since, cursor);
            lines.addAll(page.lines());
            cursor = page.next();
            assertThat(++pages).as("pages read").isLessThan(10_000);
        } while (cursor != null);
        return lines;
    }

    /** The provider order id a line carries, accepted or rejected. */
    static String id(ImportLine<IncomingOrder> line) {
        return line instanceof ImportLine.Accepted<IncomingOrder> accepted
                ? accepted.value().providerOrderId()
                : ((ImportLine.Rejected<IncomingOrder>) line).recordId();
    }
}
