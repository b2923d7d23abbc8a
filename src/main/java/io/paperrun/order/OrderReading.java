package io.paperrun.order;

import io.paperrun.batch.Partitions;
import java.util.Map;

/**
 * What an order source is opened for: an organization, the job's parameters (a csv source's {@code file}), the
 * slice of the orders one partition reads, and the reading all of the job execution's partitions share.
 */
public record OrderReading(
        String organization, Map<String, String> parameters, Partitions.Slice slice, String readingId) {}
