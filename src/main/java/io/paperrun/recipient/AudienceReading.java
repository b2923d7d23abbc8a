package io.paperrun.recipient;

import io.paperrun.organization.IntegrationSettings;
import java.time.Instant;
import java.util.Map;

/**
 * What an audience source is opened for: an organization (its slug), the job's parameters (a csv source's
 * {@code file}), its campaigns by key, the time a recipient given no {@code created_at} is created at, and, for a
 * segment of a provider, the one campaign it fills, the segment's id and the organization's settings for the
 * provider (secrets as references).
 */
public record AudienceReading(
        String organization,
        Map<String, String> parameters,
        Map<String, Long> campaignIds,
        Instant importTime,
        Long campaignId,
        String segmentId,
        IntegrationSettings settings) {

    /** A reading of a file, for the organization's campaigns. */
    public AudienceReading(
            String organization, Map<String, String> parameters, Map<String, Long> campaignIds, Instant importTime) {
        this(organization, parameters, campaignIds, importTime, null, null, null);
    }
}
