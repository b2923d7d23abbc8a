package io.paperrun.integration.ometria;

import io.paperrun.integration.http.Authentication;
import io.paperrun.integration.http.ProviderAccount;
import io.paperrun.integration.http.ProviderBase;
import io.paperrun.integration.http.ProviderHttpClient;
import io.paperrun.integration.http.RateLimit;
import io.paperrun.integration.http.RateLimits;
import io.paperrun.integration.http.Secret;
import io.paperrun.integration.http.Secrets;
import io.paperrun.integration.http.Sleeper;
import io.paperrun.order.OrderReading;
import io.paperrun.order.OrderSource;
import io.paperrun.order.OrderSourceFactory;
import io.paperrun.organization.IntegrationSettings;
import java.time.Duration;
import okhttp3.HttpUrl;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Opens an organization's Ometria order source from its {@code integrations.ometria} settings: {@code api_key}
 * (a secret reference) and an optional {@code base_url} in place of {@code https://api.ometria.com}.
 */
@Component
public class OmetriaOrderSources implements OrderSourceFactory {

    public static final String PROVIDER = "ometria";

    /** Ometria's Data API limit, 4 requests/s per account [C]; every Ometria client of an account uses it. */
    public static final RateLimit RATE_LIMIT = RateLimit.of(4, Duration.ofSeconds(1), Duration.ofSeconds(10));

    static final String DOCUMENTED_BASE = "https://api.ometria.com";

    private final Secrets secrets;
    private final RateLimits rateLimits;
    private final Sleeper sleeper;

    @Autowired
    public OmetriaOrderSources(Secrets secrets) {
        this(secrets, RateLimits.shared(), Sleeper.system());
    }

    /** With the rate limits and the time source a test isolates. */
    OmetriaOrderSources(Secrets secrets, RateLimits rateLimits, Sleeper sleeper) {
        this.secrets = secrets;
        this.rateLimits = rateLimits;
        this.sleeper = sleeper;
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public OrderSource open(OrderReading reading) {
        IntegrationSettings settings = reading.settings();
        Secret key = secrets.resolve("integrations.ometria.api_key", settings.required("api_key"));
        HttpUrl base = ProviderBase.of(settings, DOCUMENTED_BASE);
        ProviderHttpClient client = ProviderHttpClient.forAccount(new ProviderAccount(PROVIDER, reading.organization()))
                .authentication(Authentication.header("X-Ometria-Auth", key))
                .rateLimit(RATE_LIMIT)
                .rateLimits(rateLimits)
                .sleeper(sleeper)
                .build();
        return new OmetriaOrderSource(reading.organization(), client, base);
    }
}
