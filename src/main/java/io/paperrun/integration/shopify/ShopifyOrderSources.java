package io.paperrun.integration.shopify;

import io.paperrun.integration.http.Authentication;
import io.paperrun.integration.http.Backoff;
import io.paperrun.integration.http.ProviderAccount;
import io.paperrun.integration.http.ProviderBase;
import io.paperrun.integration.http.ProviderHttpClient;
import io.paperrun.integration.http.Secrets;
import io.paperrun.integration.http.Sleeper;
import io.paperrun.order.OrderReading;
import io.paperrun.order.OrderSource;
import io.paperrun.order.OrderSourceFactory;
import io.paperrun.organization.IntegrationSettings;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Opens an organization's Shopify order source from its {@code integrations.shopify} settings: {@code shop},
 * {@code access_token} (a reference), {@code api_version} (2026-07 unless given) and an optional {@code base_url}.
 */
@Component
public class ShopifyOrderSources implements OrderSourceFactory {

    static final String DEFAULT_API_VERSION = "2026-07";

    /**
     * At most 10 THROTTLED answers for one page and 2 minutes waiting for the bucket in all; 1 s doubling to
     * 30 s between attempts when an answer tells nothing of the bucket.
     */
    static final Backoff THROTTLING =
            new Backoff(10, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(2));

    private static final Pattern SHOP = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]*");
    private static final Pattern API_VERSION = Pattern.compile("[0-9]{4}-[0-9]{2}|unstable");

    private final Secrets secrets;
    private final Sleeper sleeper;
    private final Backoff retries;
    private final Backoff throttling;

    /** Each shop's cost bucket, by shop and base URL, shared by the sources that read the shop. */
    private final Map<String, CostBucket> buckets = new ConcurrentHashMap<>();

    @Autowired
    public ShopifyOrderSources(Secrets secrets) {
        this(secrets, Sleeper.system(), Backoff.DEFAULT, THROTTLING);
    }

    /**
     * @param retries    of 5xx answers and I/O failures, by the HTTP client
     * @param throttling of THROTTLED answers, as {@link ShopifyOrderSource} takes it
     */
    ShopifyOrderSources(Secrets secrets, Sleeper sleeper, Backoff retries, Backoff throttling) {
        this.secrets = secrets;
        this.sleeper = sleeper;
        this.retries = retries;
        this.throttling = throttling;
    }

    @Override
    public String provider() {
        return ShopifyOrderSource.PROVIDER;
    }

    @Override
    public OrderSource open(OrderReading reading) {
        IntegrationSettings settings = reading.settings();
        String shop = settings.required("shop");
        if (!SHOP.matcher(shop).matches()) {
            throw new IllegalStateException("integrations.shopify.shop '" + shop
                    + "' is not a shop name such as acme-co, the part before .myshopify.com");
        }
        String version = settings.value("api_version").orElse(DEFAULT_API_VERSION);
        if (!API_VERSION.matcher(version).matches()) {
            throw new IllegalStateException(
                    "integrations.shopify.api_version '" + version + "' is not a version such as 2026-07");
        }
        HttpUrl base = ProviderBase.of(settings, "https://" + shop + ".myshopify.com");
        HttpUrl endpoint = base.newBuilder()
                .addPathSegments("admin/api/" + version + "/graphql.json")
                .build();
        ProviderHttpClient http = ProviderHttpClient.forAccount(
                        new ProviderAccount(ShopifyOrderSource.PROVIDER, reading.organization()))
                .authentication(Authentication.header(
                        "X-Shopify-Access-Token",
                        secrets.resolve("integrations.shopify.access_token", settings.required("access_token"))))
                .backoff(retries)
                .sleeper(sleeper)
                .build();
        return new ShopifyOrderSource(
                http,
                endpoint,
                shop,
                reading.slice(),
                buckets.computeIfAbsent(shop + " at " + base, key -> new CostBucket()),
                sleeper,
                throttling);
    }
}
