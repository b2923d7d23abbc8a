package io.paperrun.integration.faraday;

import io.paperrun.enrichment.AddressAppender;
import io.paperrun.enrichment.AddressAppenderFactory;
import io.paperrun.integration.http.Authentication;
import io.paperrun.integration.http.ProviderAccount;
import io.paperrun.integration.http.ProviderBase;
import io.paperrun.integration.http.ProviderHttpClient;
import io.paperrun.integration.http.RateLimit;
import io.paperrun.integration.http.RateLimits;
import io.paperrun.integration.http.Secret;
import io.paperrun.integration.http.Secrets;
import io.paperrun.integration.http.Sleeper;
import io.paperrun.organization.IntegrationSettings;
import java.time.Duration;
import okhttp3.HttpUrl;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Opens an organization's Faraday appender from its {@code integrations.faraday} settings: {@code api_key} (a
 * secret reference), {@code target_id} (a Lookup API target) and an optional {@code base_url} in place of
 * {@code https://api.faraday.ai}.
 */
@Component
public class FaradayAddressAppenders implements AddressAppenderFactory {

    public static final String PROVIDER = "faraday";

    /** Faraday's Lookup API limit, up to 100 requests/s (v1) [C]; every Faraday client of an account uses it. */
    public static final RateLimit RATE_LIMIT = RateLimit.of(100, Duration.ofSeconds(1), Duration.ofSeconds(10));

    static final String DOCUMENTED_BASE = "https://api.faraday.ai";

    private final Secrets secrets;
    private final RateLimits rateLimits;
    private final Sleeper sleeper;

    @Autowired
    public FaradayAddressAppenders(Secrets secrets) {
        this(secrets, RateLimits.shared(), Sleeper.system());
    }

    /** With the rate limits and the time source a test isolates. */
    FaradayAddressAppenders(Secrets secrets, RateLimits rateLimits, Sleeper sleeper) {
        this.secrets = secrets;
        this.rateLimits = rateLimits;
        this.sleeper = sleeper;
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public AddressAppender open(String organization, IntegrationSettings settings) {
        Secret key = secrets.resolve("integrations.faraday.api_key", settings.required("api_key"));
        String target = settings.required("target_id");
        HttpUrl base = ProviderBase.of(settings, DOCUMENTED_BASE);
        HttpUrl lookup = base.newBuilder()
                .addPathSegments("v1/targets")
                .addPathSegment(target)
                .addPathSegment("lookup")
                .build();
        ProviderHttpClient client = ProviderHttpClient.forAccount(new ProviderAccount(PROVIDER, organization))
                .authentication(Authentication.bearer(key))
                .rateLimit(RATE_LIMIT)
                .rateLimits(rateLimits)
                .sleeper(sleeper)
                .build();
        return new FaradayAddressAppender(client, lookup);
    }
}
