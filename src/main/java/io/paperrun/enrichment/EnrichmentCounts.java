package io.paperrun.enrichment;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * What enrichment did, kept in a step's execution context: recipients by the status they were left in (pending,
 * holdout, suppressed, undeliverable), and how many addresses were appended and verified.
 */
public final class EnrichmentCounts {

    /** The execution-context keys, in the order a summary says them. */
    public static final List<String> KEYS =
            List.of("pending", "holdout", "suppressed", "undeliverable", "appended", "verified");

    private static final String PREFIX = "enriched.";

    private final Map<String, Long> counts = new LinkedHashMap<>();

    public EnrichmentCounts() {
        KEYS.forEach(key -> counts.put(key, 0L));
    }

    /** Counts {@code recipient}, written with {@code status}. */
    public void add(EnrichedRecipient recipient, String status) {
        counts.merge(status, 1L, Long::sum);
        if (recipient.appended()) {
            counts.merge("appended", 1L, Long::sum);
        }
        if (recipient.verified()) {
            counts.merge("verified", 1L, Long::sum);
        }
    }

    public long get(String key) {
        return counts.getOrDefault(key, 0L);
    }

    /** Adds these counts to those {@code context} holds. */
    public void addTo(ExecutionContext context) {
        counts.forEach((key, n) -> context.putLong(PREFIX + key, context.getLong(PREFIX + key, 0L) + n));
    }

    /** Puts these counts into {@code context}, in place of any there. */
    public void putInto(ExecutionContext context) {
        counts.forEach((key, n) -> context.putLong(PREFIX + key, n));
    }

    /** The counts {@code contexts} hold, summed. */
    public static EnrichmentCounts of(Collection<ExecutionContext> contexts) {
        EnrichmentCounts sum = new EnrichmentCounts();
        for (ExecutionContext context : contexts) {
            KEYS.forEach(key -> sum.counts.merge(key, context.getLong(PREFIX + key, 0L), Long::sum));
        }
        return sum;
    }

    /** {@code 3 pending, 1 holdout, 1 suppressed, 0 undeliverable, 1 appended, 2 verified}. */
    @Override
    public String toString() {
        return counts.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
    }
}
