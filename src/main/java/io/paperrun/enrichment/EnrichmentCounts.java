package io.paperrun.enrichment;

import io.paperrun.batch.StepCounts;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * What enrichment did, kept in a step's execution context: recipients by the status they were left in (pending,
 * holdout, suppressed, undeliverable), and how many addresses were appended and verified.
 */
public final class EnrichmentCounts extends StepCounts {

    /** The execution-context keys, in the order a summary says them. */
    public static final List<String> KEYS =
            List.of("pending", "holdout", "suppressed", "undeliverable", "appended", "verified");

    public EnrichmentCounts() {
        super("enriched.", KEYS);
    }

    /** Counts {@code recipient}, written with {@code status}. */
    public void add(EnrichedRecipient recipient, String status) {
        add(status, 1);
        if (recipient.appended()) {
            add("appended", 1);
        }
        if (recipient.verified()) {
            add("verified", 1);
        }
    }

    /** The counts {@code contexts} hold, summed. */
    public static EnrichmentCounts of(Collection<ExecutionContext> contexts) {
        return new EnrichmentCounts().sum(contexts, EnrichmentCounts.class);
    }

    /** {@code 3 pending, 1 holdout, 1 suppressed, 0 undeliverable, 1 appended, 2 verified}. */
    @Override
    public String toString() {
        return KEYS.stream().map(key -> get(key) + " " + key).collect(Collectors.joining(", "));
    }
}
