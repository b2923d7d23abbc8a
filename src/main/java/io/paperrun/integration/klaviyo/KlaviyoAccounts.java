package io.paperrun.integration.klaviyo;

import io.paperrun.integration.http.Authentication;
import io.paperrun.integration.http.ProviderAccount;
import io.paperrun.integration.http.ProviderHttpClient;
import io.paperrun.integration.http.RateLimit;
import io.paperrun.integration.http.RateLimits;
import io.paperrun.integration.http.Secret;
import io.paperrun.integration.http.Secrets;
import io.paperrun.integration.http.Sleeper;
import io.paperrun.organization.IntegrationSettings;

/**
 * Opens an organization's Klaviyo API from its {@code integrations.klaviyo} settings: the key a reference
 * resolves to, {@code base_url} else Klaviyo's host, the endpoint's limiter, retries waiting with the sleeper.
 */
record KlaviyoAccounts(Secrets secrets, Sleeper sleeper, RateLimits rateLimits) {

    /** The API for {@code account}, its failures saying {@code location} and the key's {@code scopes}. */
    KlaviyoApi open(
            IntegrationSettings settings, ProviderAccount account, RateLimit limit, String location, String scopes) {
        Secret key = secrets.resolve("integrations.klaviyo.api_key", settings.required("api_key"));
        ProviderHttpClient http = ProviderHttpClient.forAccount(account)
                .authentication(Authentication.header("Authorization", "Klaviyo-API-Key ", key))
                .rateLimit(limit)
                .rateLimits(rateLimits)
                .sleeper(sleeper)
                .build();
        return new KlaviyoApi(
                http, KlaviyoApi.baseUrl(settings.baseUrl(KlaviyoApi.DOCUMENTED_BASE_URL)), location, scopes);
    }
}
