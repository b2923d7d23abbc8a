package io.paperrun.proofing;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * What proofing did, kept in a step's execution context: recipients proofed and failed, and the milliseconds spent
 * rendering (the PDF and its preview, summed over the render threads), storing, and in the database.
 */
public final class ProofingCounts {

    /** The execution-context keys, without their prefix. */
    public static final List<String> KEYS = List.of("proofed", "failed", "render-ms", "store-ms", "database-ms");

    private static final String PREFIX = "proofing.";

    private final Map<String, Long> counts = new LinkedHashMap<>();

    public ProofingCounts() {
        KEYS.forEach(key -> counts.put(key, 0L));
    }

    public void add(String key, long n) {
        counts.merge(key, n, Long::sum);
    }

    public long get(String key) {
        return counts.getOrDefault(key, 0L);
    }

    /** Adds these counts to those {@code context} holds. */
    public void addTo(ExecutionContext context) {
        counts.forEach((key, n) -> context.putLong(PREFIX + key, context.getLong(PREFIX + key, 0L) + n));
    }

    /** The counts {@code contexts} hold, summed. */
    public static ProofingCounts of(Collection<ExecutionContext> contexts) {
        ProofingCounts sum = new ProofingCounts();
        for (ExecutionContext context : contexts) {
            KEYS.forEach(key -> sum.add(key, context.getLong(PREFIX + key, 0L)));
        }
        return sum;
    }

    /** {@code rendering 12.3 s, storing 0.4 s (summed over the render threads), database 0.9 s}. */
    public String times() {
        return String.format(
                Locale.ROOT,
                "rendering %.1f s, storing %.1f s (summed over the render threads), database %.1f s",
                get("render-ms") / 1e3,
                get("store-ms") / 1e3,
                get("database-ms") / 1e3);
    }

    /** {@code 40 proofed, 1 failed}. */
    @Override
    public String toString() {
        return get("proofed") + " proofed, " + get("failed") + " failed";
    }
}
