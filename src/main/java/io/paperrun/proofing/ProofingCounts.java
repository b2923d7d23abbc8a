package io.paperrun.proofing;

import io.paperrun.batch.StepCounts;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * What proofing did, kept in a step's execution context: recipients proofed and failed, and the milliseconds spent
 * rendering (the PDF and its preview, summed over the render threads), storing, and in the database.
 */
public final class ProofingCounts extends StepCounts {

    /** The execution-context keys, without their prefix. */
    public static final List<String> KEYS = List.of("proofed", "failed", "render-ms", "store-ms", "database-ms");

    public ProofingCounts() {
        super("proofing.", KEYS);
    }

    /** The counts {@code contexts} hold, summed. */
    public static ProofingCounts of(Collection<ExecutionContext> contexts) {
        return new ProofingCounts().sum(contexts, ProofingCounts.class);
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
