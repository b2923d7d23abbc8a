package io.paperrun.mailing;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/** What mailing did, by outcome, kept in a step's execution context (summed over partitions). */
public final class MailingCounts {

    /** The outcomes, in the order a summary says them. */
    public static final List<String> KEYS = List.of("sent", "settled", "failed", "suppressed");

    private static final String PREFIX = "mailing.";

    private final Map<String, Long> counts = new LinkedHashMap<>();

    public MailingCounts() {
        KEYS.forEach(key -> counts.put(key, 0L));
    }

    public void add(String outcome, long n) {
        counts.merge(outcome, n, Long::sum);
    }

    public long get(String outcome) {
        return counts.getOrDefault(outcome, 0L);
    }

    /** Adds these counts to those {@code context} holds. */
    public void addTo(ExecutionContext context) {
        counts.forEach((key, n) -> context.putLong(PREFIX + key, context.getLong(PREFIX + key, 0L) + n));
    }

    /** The sums of the counts these contexts hold. */
    public static MailingCounts of(Collection<ExecutionContext> contexts) {
        MailingCounts sum = new MailingCounts();
        for (ExecutionContext context : contexts) {
            KEYS.forEach(key -> sum.add(key, context.getLong(PREFIX + key, 0L)));
        }
        return sum;
    }

    @Override
    public String toString() {
        return get("sent") + " sent, " + get("settled") + " settled after an interruption, " + get("failed")
                + " refused by the printer, " + get("suppressed") + " suppressed (on the do-not-mail list)";
    }
}
