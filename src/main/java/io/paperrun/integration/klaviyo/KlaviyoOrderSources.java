package io.paperrun.integration.klaviyo;

import io.paperrun.integration.http.ProviderAccount;
import io.paperrun.integration.http.RateLimits;
import io.paperrun.integration.http.Secrets;
import io.paperrun.integration.http.Sleeper;
import io.paperrun.order.OrderReading;
import io.paperrun.order.OrderSource;
import io.paperrun.order.OrderSourceFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The klaviyo provider's order sources, from an organization's {@code integrations.klaviyo} settings: {@code api_key}
 * (a reference, resolved here) and the optional {@code base_url}. The settings are checked when a source opens.
 */
@Component
public class KlaviyoOrderSources implements OrderSourceFactory {

    private final KlaviyoAccounts accounts;

    @Autowired
    public KlaviyoOrderSources(Secrets secrets) {
        this(secrets, Sleeper.system(), RateLimits.shared());
    }

    /** Sources whose retries wait with {@code sleeper} and whose limits live in {@code rateLimits} (tests). */
    KlaviyoOrderSources(Secrets secrets, Sleeper sleeper, RateLimits rateLimits) {
        this.accounts = new KlaviyoAccounts(secrets, sleeper, rateLimits);
    }

    @Override
    public String provider() {
        return "klaviyo";
    }

    @Override
    public OrderSource open(OrderReading reading) {
        KlaviyoApi api = accounts.open(
                reading.settings(),
                new ProviderAccount("klaviyo", reading.organization()),
                KlaviyoApi.RATE_LIMIT,
                KlaviyoOrderSource.location(reading.organization()),
                KlaviyoApi.ORDER_SCOPES);
        return new KlaviyoOrderSource(api, reading.organization(), reading.slice());
    }
}
