package io.paperrun.order;

import io.paperrun.batch.Partitions;
import io.paperrun.organization.IntegrationSettings;
import java.util.Map;

/**
 * What an order source is opened for: an organization (its slug), the job's parameters (a csv source's
 * {@code file}), the slice of the orders one partition reads, the reading all of the job execution's partitions
 * share, and the organization's settings for the source's provider (secrets as references).
 */
public record OrderReading(
        String organization,
        Map<String, String> parameters,
        Partitions.Slice slice,
        String readingId,
        IntegrationSettings settings) {}
