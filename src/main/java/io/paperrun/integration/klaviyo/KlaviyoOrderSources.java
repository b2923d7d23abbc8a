package io.paperrun.integration.klaviyo;

import io.paperrun.integration.http.Authentication;
import io.paperrun.integration.http.ProviderAccount;
import io.paperrun.integration.http.ProviderHttpClient;
import io.paperrun.integration.http.RateLimits;
import io.paperrun.integration.http.Secret;
import io.paperrun.integration.http.Secrets;
import io.paperrun.integration.http.Sleeper;
import io.paperrun.order.OrderReading;
import io.paperrun.order.OrderSource;
import io.paperrun.order.OrderSourceFactory;
import io.paperrun.organization.IntegrationSettings;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The klaviyo provider's order sources, from an organization's {@code integrations.klaviyo} settings: {@code api_key}
 * (a reference, resolved here) and the optional {@code base_url}. The settings are checked when a source opens.
 */
@Component
public class KlaviyoOrderSources implements OrderSourceFactory {

    private final Secrets secrets;
    private final Sleeper sleeper;
    private final RateLimits rateLimits;

    @Autowired
    public KlaviyoOrderSources(Secrets secrets) {
        this(secrets, Sleeper.system(), RateLimits.shared());
    }

    /** Sources whose retries wait with {@code sleeper} and whose limits live in {@code rateLimits} (tests). */
    KlaviyoOrderSources(Secrets secrets, Sleeper sleeper, RateLimits rateLimits) {
        this.secrets = secrets;
        this.sleeper = sleeper;
        this.rateLimits = rateLimits;
    }

    @Override
    public String provider() {
        return "klaviyo";
    }

    @Override
    public OrderSource open(OrderReading reading) {
        IntegrationSettings settings = reading.settings();
        Secret key = secrets.resolve("integrations.klaviyo.api_key", settings.required("api_key"));
        ProviderHttpClient http = ProviderHttpClient.forAccount(new ProviderAccount("klaviyo", reading.organization()))
                .authentication(Authentication.header("Authorization", "Klaviyo-API-Key ", key))
                .rateLimit(KlaviyoApi.RATE_LIMIT)
                .rateLimits(rateLimits)
                .sleeper(sleeper)
                .build();
        String location = KlaviyoOrderSource.location(reading.organization());
        KlaviyoApi api = new KlaviyoApi(
                http,
                KlaviyoApi.baseUrl(settings.baseUrl(KlaviyoApi.DOCUMENTED_BASE_URL)),
                location,
                KlaviyoApi.ORDER_SCOPES);
        return new KlaviyoOrderSource(api, reading.organization(), reading.slice());
    }
}
