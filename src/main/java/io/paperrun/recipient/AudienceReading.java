package io.paperrun.recipient;

import java.time.Instant;
import java.util.Map;

/**
 * What an audience source is opened for: an organization, the job's parameters (a csv source's {@code file}),
 * its campaigns by key, and the time a recipient given no {@code created_at} is created at.
 */
public record AudienceReading(
        String organization, Map<String, String> parameters, Map<String, Long> campaignIds, Instant importTime) {}
