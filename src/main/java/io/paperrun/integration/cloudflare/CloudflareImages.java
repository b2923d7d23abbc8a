package io.paperrun.integration.cloudflare;

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
import io.paperrun.proofing.PreviewStore;
import java.time.Duration;
import okhttp3.HttpUrl;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Opens an organization's Cloudflare Images preview store from its {@code integrations.cloudflare_images} settings:
 * {@code account_id}, {@code api_token} (a secret reference) and an optional {@code base_url} in place of
 * {@code https://api.cloudflare.com}.
 */
@Component
public class CloudflareImages implements PreviewStore.Factory {

    public static final String PROVIDER = "cloudflare_images";

    /**
     * Cloudflare's global limit, 1200 requests per 5 minutes [C], spread as 19 per 5 s: no 5-minute window then holds
     * more than 1159, and a request never waits long for its permit while its chunk's transaction is open.
     */
    public static final RateLimit RATE_LIMIT = RateLimit.of(19, Duration.ofSeconds(5), Duration.ofSeconds(60));

    static final String DOCUMENTED_BASE = "https://api.cloudflare.com";

    private final Secrets secrets;
    private final RateLimits rateLimits;
    private final Sleeper sleeper;

    @Autowired
    public CloudflareImages(Secrets secrets) {
        this(secrets, RateLimits.shared(), Sleeper.system());
    }

    /** With the rate limits and the time source a test isolates. */
    CloudflareImages(Secrets secrets, RateLimits rateLimits, Sleeper sleeper) {
        this.secrets = secrets;
        this.rateLimits = rateLimits;
        this.sleeper = sleeper;
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public PreviewStore open(String organization, IntegrationSettings settings) {
        String account = settings.required("account_id");
        Secret token = secrets.resolve("integrations.cloudflare_images.api_token", settings.required("api_token"));
        HttpUrl base = ProviderBase.of(settings, DOCUMENTED_BASE);
        ProviderHttpClient client = ProviderHttpClient.forAccount(new ProviderAccount(PROVIDER, account))
                .authentication(Authentication.bearer(token))
                .rateLimit(RATE_LIMIT)
                .rateLimits(rateLimits)
                .sleeper(sleeper)
                .build();
        HttpUrl images = base.newBuilder()
                .addPathSegments("client/v4/accounts")
                .addPathSegment(account)
                .addPathSegments("images/v1")
                .build();
        return new CloudflarePreviewStore(client, images);
    }
}
