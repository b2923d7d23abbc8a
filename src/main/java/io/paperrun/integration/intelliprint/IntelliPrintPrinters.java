package io.paperrun.integration.intelliprint;

import io.paperrun.integration.http.Authentication;
import io.paperrun.integration.http.Backoff;
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
 * Opens an organization's IntelliPrint printer from its {@code integrations.intelliprint} settings: {@code api_key}
 * (a secret reference) and an optional {@code base_url} in place of {@code https://api.intelliprint.net}.
 */
@Component
public class IntelliPrintPrinters implements PrinterFactory {

    public static final String PROVIDER = "intelliprint";

    /**
     * IntelliPrint's limit, 100 requests per minute [C], paced as 25 every 15.5 s: no request waits a minute for
     * the next cycle, and a minute, wherever it begins, overlaps at most 4 periods, 100 requests.
     */
    public static final RateLimit RATE_LIMIT = RateLimit.of(25, Duration.ofMillis(15_500), Duration.ofSeconds(30));

    static final String DOCUMENTED_BASE = "https://api.intelliprint.net";

    private final Secrets secrets;
    private final RateLimits rateLimits;
    private final Sleeper sleeper;

    @Autowired
    public IntelliPrintPrinters(Secrets secrets) {
        this(secrets, RateLimits.shared(), Sleeper.system());
    }

    /** With the rate limits and the time source a test isolates. */
    public IntelliPrintPrinters(Secrets secrets, RateLimits rateLimits, Sleeper sleeper) {
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
        Secret key = secrets.resolve("integrations.intelliprint.api_key", settings.required("api_key"));
        HttpUrl base = ProviderBase.of(settings, DOCUMENTED_BASE);
        ProviderHttpClient client = ProviderHttpClient.forAccount(new ProviderAccount(PROVIDER, organization))
                .authentication(Authentication.bearer(key))
                .rateLimit(RATE_LIMIT)
                .rateLimits(rateLimits)
                .sleeper(sleeper)
                .build();
        return new IntelliPrintPrinter(
                client, base.newBuilder().addPathSegments("v1/prints").build(), Backoff.DEFAULT, sleeper);
    }
}
