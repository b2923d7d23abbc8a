package io.paperrun.attribution;

import io.paperrun.campaign.DiscountCode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

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

    /** Discount codes in the form stage A matches them ({@link DiscountCode#upper}). */
    public static List<String> codesUpper(Collection<String> codes) {
        return DiscountCode.upper(codes);
    }
}
