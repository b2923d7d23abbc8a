package io.paperrun.integration.klaviyo;

import static io.paperrun.integration.klaviyo.FakeKlaviyo.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.Cli;
import io.paperrun.support.DatabaseTest;
import io.paperrun.support.SampleOrders;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** order-sync from Klaviyo's Placed Order events, end to end through the command line, against the fake account. */
class KlaviyoOrderSyncTest extends DatabaseTest {

    private static final String KEY = "pk_fake_klaviyo_key";

    @StartStop
    private final MockWebServer server = new MockWebServer();

    @TempDir
    Path dir;

    @AfterEach
    void forgetKey() {
        System.clearProperty("KLAVIYO_KEY");
    }

    @Test
    void placedOrderEventsAreAttributedAsTheSameOrdersImportedFromAFile() throws IOException {
        String fromFile = attributionsFromTheSampleFile();
        FakeKlaviyo klaviyo = new FakeKlaviyo()
                .metricsPage(
                        FakeKlaviyo.metric("VIEWED", "Viewed Product", "Shopify", "eCommerce", "2023-01-01T00:00:00Z"))
                .metricsPage(
                        FakeKlaviyo.metric("PLACED", "Placed Order", "Shopify", "eCommerce", "2023-01-01T00:00:00Z"));
        List<SampleOrders.Order> orders = SampleOrders.read();
        for (int from = 0; from < orders.size(); from += 8) {
            List<ObjectNode> events = new ArrayList<>();
            List<ObjectNode> profiles = new ArrayList<>();
            for (SampleOrders.Order o : orders.subList(from, Math.min(orders.size(), from + 8))) {
                ObjectNode properties = JSON.createObjectNode();
                properties.put("$value", Double.parseDouble(o.total()));
                properties.put("$event_id", o.id());
                properties.put("$currency_code", o.currency());
                ArrayNode codes = properties.putArray("Discount Codes");
                o.codes().forEach(codes::add);
                events.add(
                        FakeKlaviyo.event("ev" + o.id(), "PLACED", o.createdAt().toString(), "p" + o.id(), properties));
                ObjectNode location = JSON.createObjectNode();
                location.put("address1", o.address1());
                location.put("address2", o.address2() == null || o.address2().isEmpty() ? null : o.address2());
                location.put("city", o.city());
                location.put("region", o.region());
                location.put("zip", o.zip());
                location.put("country", "United States");
                profiles.add(FakeKlaviyo.profile("p" + o.id(), o.email(), location, JSON.createObjectNode()));
            }
            klaviyo.eventsPage(events, profiles.toArray(ObjectNode[]::new));
        }
        server.setDispatcher(klaviyo);
        System.setProperty("KLAVIYO_KEY", KEY);
        applyWithSampleCampaigns(
                dir,
                organization(
                        "acme", "klaviyo", "{api_key: \"${KLAVIYO_KEY}\", base_url: \"" + server.url("/") + "\"}"));
        importSampleRecipients();

        Cli.Result sync = run(0, "run", "order-sync");

        assertThat(sync.out()).contains("acme (klaviyo): 19 read, 19 new, 0 updated, ");
        run(0, "run", "attribution-processing");
        assertThat(exportAttributions()).isEqualTo(fromFile);
        assertThat(klaviyo.answers())
                .allSatisfy(answer -> assertThat(answer.request().getHeaders().get("Authorization"))
                        .isEqualTo("Klaviyo-API-Key " + KEY));
    }
}
