package io.paperrun.order;

import io.paperrun.attribution.OrderFacts;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** An order as an order source delivers it, before it is stored. */
public record IncomingOrder(
        String providerOrderId,
        Instant orderedAt,
        String email,
        BigDecimal total,
        String currency,
        List<String> discountCodes,
        String shippingAddress1,
        String shippingAddress2,
        String shippingCity,
        String shippingRegion,
        String shippingZip,
        String shippingCountry,
        String addressKey,
        Instant activeSubscriptionStart) {

    /** The matching form of the email: trimmed, lowercase; null when there is none. */
    public String emailLower() {
        if (email == null || email.isBlank()) {
            return null;
        }
        return email.trim().toLowerCase(Locale.ROOT);
    }

    public List<String> codesUpper() {
        return discountCodes.stream().map(c -> c.trim().toUpperCase(Locale.ROOT)).filter(c -> !c.isEmpty())
                .distinct().toList();
    }

    public OrderFacts facts() {
        return new OrderFacts(orderedAt, email, emailLower(), addressKey, codesUpper(), total,
                activeSubscriptionStart);
    }
}
