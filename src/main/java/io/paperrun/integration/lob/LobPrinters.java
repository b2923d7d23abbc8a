package io.paperrun.integration.lob;

import io.paperrun.integration.http.Authentication;
import io.paperrun.integration.http.ProviderAccount;
import io.paperrun.integration.http.ProviderBase;
import io.paperrun.integration.http.ProviderHttpClient;
import io.paperrun.integration.http.RateLimit;
import io.paperrun.integration.http.RateLimits;
import io.paperrun.integration.http.Secret;
import io.paperrun.integration.http.Secrets;
import io.paperrun.integration.http.Sleeper;
import io.paperrun.mailing.Printer;
import io.paperrun.mailing.PrinterFactory;
import io.paperrun.organization.IntegrationSettings;
import java.time.Duration;
import okhttp3.HttpUrl;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Opens an organization's Lob printer from its {@code integrations.lob} settings: {@code api_key} (a secret
 * reference) and an optional {@code base_url} in place of {@code https://api.lob.com}.
 */
@Component
public class LobPrinters implements PrinterFactory {

    /**
     * Lob's limit for the postcards endpoint, 150 per 5 s per key [C], counted apart from verifications: 5 permits
     * every 173 ms, so that any 5 s, wherever Lob's windows begin, overlaps at most 30 periods, 150 permits.
     */
    public static final RateLimit RATE_LIMIT = RateLimit.of(5, Duration.ofMillis(173), Duration.ofSeconds(10));

    private final Secrets secrets;
    private final RateLimits rateLimits;
    private final Sleeper sleeper;

    @Autowired
    public LobPrinters(Secrets secrets) {
        this(secrets, RateLimits.shared(), Sleeper.system());
    }

    /** With the rate limits and the time source a test isolates. */
    public LobPrinters(Secrets secrets, RateLimits rateLimits, Sleeper sleeper) {
        this.secrets = secrets;
        this.rateLimits = rateLimits;
        this.sleeper = sleeper;
    }

    @Override
    public String provider() {
        return LobAddressVerifiers.PROVIDER;
    }

    @Override
    public Printer open(String organization, IntegrationSettings settings) {
        Secret key = secrets.resolve("integrations.lob.api_key", settings.required("api_key"));
        HttpUrl base = ProviderBase.of(settings, LobAddressVerifiers.DOCUMENTED_BASE);
        ProviderHttpClient client = ProviderHttpClient.forAccount(
                        new ProviderAccount(LobAddressVerifiers.PROVIDER, organization + "/postcards"))
                .authentication(Authentication.basicUser(key))
                .rateLimit(RATE_LIMIT)
                .rateLimits(rateLimits)
                .sleeper(sleeper)
                .build();
        return new LobPrinter(
                client, base.newBuilder().addPathSegments("v1/postcards").build());
    }
}
