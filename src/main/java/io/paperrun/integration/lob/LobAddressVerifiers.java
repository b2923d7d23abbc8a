package io.paperrun.integration.lob;

import io.paperrun.enrichment.AddressVerifier;
import io.paperrun.enrichment.AddressVerifierFactory;
import io.paperrun.enrichment.Strictness;
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
import java.util.Optional;
import okhttp3.HttpUrl;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Opens an organization's Lob US verifier from its {@code integrations.lob} settings, when
 * {@code verify_addresses} is true: {@code api_key} (a secret reference), {@code strictness} (strict, normal by
 * default, relaxed) and an optional {@code base_url} in place of {@code https://api.lob.com}.
 */
@Component
public class LobAddressVerifiers implements AddressVerifierFactory {

    public static final String PROVIDER = "lob";

    /**
     * Lob's limit for {@code POST /v1/us_verifications}, 300 per 5 s per key [C]. Lob counts each endpoint apart
     * (postcards get 150 per 5 s), so the limiter's account is the organization and the endpoint.
     */
    public static final RateLimit RATE_LIMIT = RateLimit.of(300, Duration.ofSeconds(5), Duration.ofSeconds(10));

    static final String DOCUMENTED_BASE = "https://api.lob.com";

    private final Secrets secrets;
    private final RateLimits rateLimits;
    private final Sleeper sleeper;

    @Autowired
    public LobAddressVerifiers(Secrets secrets) {
        this(secrets, RateLimits.shared(), Sleeper.system());
    }

    /** With the rate limits and the time source a test isolates. */
    LobAddressVerifiers(Secrets secrets, RateLimits rateLimits, Sleeper sleeper) {
        this.secrets = secrets;
        this.rateLimits = rateLimits;
        this.sleeper = sleeper;
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public Optional<AddressVerifier> open(String organization, IntegrationSettings settings) {
        if (!settings.value("verify_addresses").map("true"::equalsIgnoreCase).orElse(false)) {
            return Optional.empty();
        }
        Strictness strictness;
        try {
            strictness = Strictness.of(settings.value("strictness").orElse(null));
        } catch (IllegalArgumentException unknown) {
            throw new IllegalStateException("integrations.lob.strictness: " + unknown.getMessage());
        }
        Secret key = secrets.resolve("integrations.lob.api_key", settings.required("api_key"));
        HttpUrl base = ProviderBase.of(settings, DOCUMENTED_BASE);
        ProviderHttpClient client = ProviderHttpClient.forAccount(
                        new ProviderAccount(PROVIDER, organization + "/us_verifications"))
                .authentication(Authentication.basicUser(key))
                .rateLimit(RATE_LIMIT)
                .rateLimits(rateLimits)
                .sleeper(sleeper)
                .build();
        return Optional.of(new LobAddressVerifier(
                client, base.newBuilder().addPathSegments("v1/us_verifications").build(), strictness));
    }
}
