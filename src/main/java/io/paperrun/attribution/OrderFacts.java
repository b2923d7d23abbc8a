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

    /** Discount codes in the form stage A matches them: {@link #codeUpper}, without empty ones or repeats. */
    public static List<String> codesUpper(Collection<String> codes) {
        return codes.stream().map(OrderFacts::codeUpper).filter(c -> !c.isEmpty()).distinct().toList();
    }

    /**
     * A discount code in the form stage A compares codes in ("trimmed and case-insensitive"): trimmed, upper case
     * in the root locale. Orders', recipients' and campaigns' codes all take this one form, computed here, never
     * by the database (whose upper() depends on its locale).
     */
    public static String codeUpper(String code) {
        return code.trim().toUpperCase(Locale.ROOT);
    }
}
