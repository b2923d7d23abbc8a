package io.paperrun.mailing;

import io.paperrun.batch.StepCounts;
import java.util.List;

/** What mailing did, by outcome, kept in a step's execution context (summed over partitions). */
public final class MailingCounts extends StepCounts {

    /** The outcomes, in the order a summary says them. */
    public static final List<String> KEYS = List.of("sent", "settled", "failed", "suppressed");

    public MailingCounts() {
        super("mailing.", KEYS);
    }

    /** {@code 5 sent, 1 refused by the printer, 0 suppressed (on the do-not-mail list)}. */
    @Override
    public String toString() {
        return get("sent") + " sent, " + get("failed") + " refused by the printer, " + get("suppressed")
                + " suppressed (on the do-not-mail list)";
    }
}
