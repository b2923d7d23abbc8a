package io.paperrun.attribution;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * What stage A needs of an order: its time, matching forms of email, address
 * key and discount codes (trimmed, uppercase), value and subscription start.
 */
public record OrderFacts(
        Instant orderedAt,
        String email,
        String emailLower,
        String addressKey,
        List<String> codesUpper,
        BigDecimal total,
        Instant activeSubscriptionStart) {

    /** Discount codes in the form stage A matches them: trimmed, uppercase, without empty ones or repeats. */
    public static List<String> codesUpper(Collection<String> codes) {
        return codes.stream().map(c -> c.trim().toUpperCase(Locale.ROOT)).filter(c -> !c.isEmpty()).distinct()
                .toList();
    }
}
