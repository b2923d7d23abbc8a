package io.paperrun.integration.stannp;

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
import java.util.Locale;
import okhttp3.HttpUrl;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Opens an organization's Stannp printer from its {@code integrations.stannp} settings: {@code api_key} (a secret
 * reference), {@code region} ({@code uk}, the default, or {@code us}, choosing the host) and an optional
 * {@code base_url} in place of the region's host.
 */
@Component
public class StannpPrinters implements PrinterFactory {

    public static final String PROVIDER = "stannp";

    /**
     * Stannp's Starter limit, 300 requests per minute per account [C] (higher plans allow more), paced as 50 every
     * 10.2 s: no request waits a minute for the next cycle, and a minute, wherever it begins, overlaps at most 6
     * periods, 300 requests.
     */
    public static final RateLimit RATE_LIMIT = RateLimit.of(50, Duration.ofMillis(10_200), Duration.ofSeconds(30));

    static final String UK_BASE = "https://api-eu1.stannp.com";
    static final String US_BASE = "https://api-us1.stannp.com";

    private final Secrets secrets;
    private final RateLimits rateLimits;
    private final Sleeper sleeper;

    @Autowired
    public StannpPrinters(Secrets secrets) {
        this(secrets, RateLimits.shared(), Sleeper.system());
    }

    /** With the rate limits and the time source a test isolates. */
    public StannpPrinters(Secrets secrets, RateLimits rateLimits, Sleeper sleeper) {
        this.secrets = secrets;
        this.rateLimits = rateLimits;
        this.sleeper = sleeper;
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public Printer open(String organization, IntegrationSettings settings) {
        StannpRegion region = StannpRegion.of(settings.value("region").orElse("uk"));
        Secret key = secrets.resolve("integrations.stannp.api_key", settings.required("api_key"));
        HttpUrl base = ProviderBase.of(settings, region == StannpRegion.US ? US_BASE : UK_BASE);
        ProviderHttpClient client = ProviderHttpClient.forAccount(new ProviderAccount(PROVIDER, organization))
                .authentication(Authentication.basicUser(key))
                .idempotencyKeyHeader(StannpPrinter.IDEMPOTENCY_KEY)
                .rateLimit(RATE_LIMIT)
                .rateLimits(rateLimits)
                .sleeper(sleeper)
                .build();
        return new StannpPrinter(
                client, base.newBuilder().addPathSegments("v1/postcards").build(), region);
    }

    /** Where the account is: its host, and how a recipient's address is written. */
    enum StannpRegion {
        UK,
        US;

        static StannpRegion of(String setting) {
            return switch (setting.strip().toLowerCase(Locale.ROOT)) {
                case "uk" -> UK;
                case "us" -> US;
                default ->
                    throw new IllegalStateException(
                            "integrations.stannp.region '" + setting + "' is neither uk nor us");
            };
        }
    }
}
