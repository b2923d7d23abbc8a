package io.paperrun.integration.ometria;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paperrun.batch.Partitions;
import io.paperrun.integration.http.FakeSleeper;
import io.paperrun.integration.http.RateLimits;
import io.paperrun.integration.http.Secrets;
import io.paperrun.order.OrderReading;
import io.paperrun.order.OrderSourceFactory;
import io.paperrun.organization.IntegrationSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.mock.env.MockEnvironment;

class OmetriaOrderSourcesTest {

    private final OmetriaOrderSources sources = new OmetriaOrderSources(
            new Secrets(new MockEnvironment().withProperty("OMETRIA_KEY", "om-live-7f3a9c2e51")),
            new RateLimits(),
            new FakeSleeper());

    @Test
    void springBuildsTheFactoryForTheOmetriaProvider() {
        try (AnnotationConfigApplicationContext context =
                new AnnotationConfigApplicationContext(Secrets.class, OmetriaOrderSources.class)) {
            assertThat(context.getBean(OrderSourceFactory.class).provider()).isEqualTo("ometria");
        }
    }

    @Test
    void aBaseUrlThatIsNotOneIsRefusedNamingTheSetting() {
        OrderReading reading = new OrderReading(
                "acme",
                Map.of(),
                Partitions.Slice.ALL,
                "1",
                new IntegrationSettings("ometria", Map.of("api_key", "${OMETRIA_KEY}", "base_url", "api.example")));

        assertThatThrownBy(() -> sources.open(reading))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("integrations.ometria.base_url 'api.example' is not an http(s) URL");
    }

    @Test
    void aMissingKeyIsRefusedNamingTheSetting() {
        OrderReading reading =
                new OrderReading("acme", Map.of(), Partitions.Slice.ALL, "1", IntegrationSettings.none("ometria"));

        assertThatThrownBy(() -> sources.open(reading))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("integrations.ometria.api_key is not set in the organization's apply file");
    }

    @Test
    void anUnsetVariableIsRefusedNamingIt() {
        OrderReading reading = new OrderReading(
                "acme",
                Map.of(),
                Partitions.Slice.ALL,
                "1",
                new IntegrationSettings("ometria", Map.of("api_key", "${OMETRIA_OTHER_KEY}")));

        assertThatThrownBy(() -> sources.open(reading))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("integrations.ometria.api_key: environment variable OMETRIA_OTHER_KEY is not set");
    }
}
