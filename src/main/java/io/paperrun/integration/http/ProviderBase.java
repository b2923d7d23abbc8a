package io.paperrun.integration.http;

import io.paperrun.organization.IntegrationSettings;
import okhttp3.HttpUrl;

/** Where a provider is reached: an integration's {@code base_url}, else the provider's documented scheme and host. */
public final class ProviderBase {

    private ProviderBase() {}

    /** The base URL; one that is not an http(s) URL is refused, naming the setting. */
    public static HttpUrl of(IntegrationSettings settings, String documented) {
        String baseUrl = settings.baseUrl(documented);
        HttpUrl base = HttpUrl.parse(baseUrl);
        if (base == null) {
            throw new IllegalStateException(
                    "integrations." + settings.provider() + ".base_url '" + baseUrl + "' is not an http(s) URL");
        }
        return base;
    }
}
