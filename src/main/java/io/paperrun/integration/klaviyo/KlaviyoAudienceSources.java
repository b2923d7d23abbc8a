package io.paperrun.integration.klaviyo;

import io.paperrun.batch.StorableValues;
import io.paperrun.integration.http.ProviderAccount;
import io.paperrun.integration.http.RateLimits;
import io.paperrun.integration.http.Secrets;
import io.paperrun.integration.http.Sleeper;
import io.paperrun.recipient.AudienceReading;
import io.paperrun.recipient.AudienceSource;
import io.paperrun.recipient.AudienceSourceFactory;
import java.time.Instant;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The klaviyo provider's audience sources: a segment's members for one campaign, read with the organization's
 * {@code integrations.klaviyo} settings ({@code api_key}, a reference resolved here, and the optional
 * {@code base_url}). The segment's endpoint has a rate limiter of its own per organization, as Klaviyo counts it.
 */
@Component
public class KlaviyoAudienceSources implements AudienceSourceFactory {

    private final KlaviyoAccounts accounts;

    @Autowired
    public KlaviyoAudienceSources(Secrets secrets) {
        this(secrets, Sleeper.system(), RateLimits.shared());
    }

    /** Sources whose retries wait with {@code sleeper} and whose limits live in {@code rateLimits} (tests). */
    KlaviyoAudienceSources(Secrets secrets, Sleeper sleeper, RateLimits rateLimits) {
        this.accounts = new KlaviyoAccounts(secrets, sleeper, rateLimits);
    }

    @Override
    public String provider() {
        return "klaviyo";
    }

    /** The source of {@code reading}'s segment; the reading must name the segment, its campaign and the settings. */
    @Override
    public AudienceSource open(AudienceReading reading) {
        if (reading.segmentId() == null || reading.segmentId().isBlank()) {
            throw new IllegalArgumentException("a Klaviyo audience needs a segment id");
        }
        if (reading.campaignId() == null || reading.settings() == null) {
            throw new IllegalArgumentException(KlaviyoAudienceSource.location(reading.segmentId())
                    + " is read for one campaign, with the organization's integrations.klaviyo settings");
        }
        KlaviyoApi api = accounts.open(
                reading.settings(),
                segmentsAccount(reading.organization()),
                KlaviyoApi.SEGMENT_PROFILES_RATE_LIMIT,
                KlaviyoAudienceSource.location(reading.segmentId()),
                KlaviyoApi.SEGMENT_SCOPES);
        Instant createdAt = reading.importTime() != null ? reading.importTime() : Instant.now();
        return new KlaviyoAudienceSource(
                api, reading.segmentId(), reading.campaignId(), StorableValues.asStored(createdAt));
    }

    /**
     * The key of the segment endpoint's limiter: the organization's Klaviyo account, {@code klaviyo/acme/segments},
     * apart from its order reading's ({@code klaviyo/acme}), since Klaviyo limits each endpoint on its own.
     */
    static ProviderAccount segmentsAccount(String organization) {
        return new ProviderAccount("klaviyo", organization + "/segments");
    }
}
