package io.paperrun.order;

import io.paperrun.attribution.OrderFacts;
import io.paperrun.batch.StorableValues;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * An order as an order source delivers it, before it is stored, with the forms
 * stage A matches on (email trimmed and lowercase, codes trimmed and uppercase)
 * computed once. Its times and total are as they will be stored (to the
 * microsecond, two decimals): stage A compares them before they are stored, and
 * a re-run or a re-import compares the stored ones. {@code changedAt} is the time
 * the source orders its records by and the sync checkpoint follows (a provider's
 * last update; the order time for a file); {@code cancelledAt} is set on a
 * cancelled order, which is kept.
 */
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
        Instant activeSubscriptionStart,
        String emailLower,
        List<String> codesUpper,
        Instant changedAt,
        Instant cancelledAt) {

    /** An order of a file: changed when ordered, not cancelled. */
    public static IncomingOrder of(
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
        return of(
                providerOrderId,
                orderedAt,
                email,
                total,
                currency,
                discountCodes,
                shippingAddress1,
                shippingAddress2,
                shippingCity,
                shippingRegion,
                shippingZip,
                shippingCountry,
                addressKey,
                activeSubscriptionStart,
                orderedAt,
                null);
    }

    /**
     * An order, with its matching forms derived from its email and codes; {@code changedAt} null means its
     * order time.
     */
    public static IncomingOrder of(
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
            Instant activeSubscriptionStart,
            Instant changedAt,
            Instant cancelledAt) {
        orderedAt = StorableValues.asStored(orderedAt);
        activeSubscriptionStart = StorableValues.asStored(activeSubscriptionStart);
        changedAt = changedAt == null ? orderedAt : StorableValues.asStored(changedAt);
        cancelledAt = StorableValues.asStored(cancelledAt);
        total = StorableValues.asStoredMoney(total);
        String emailLower =
                email == null || email.isBlank() ? null : email.trim().toLowerCase(Locale.ROOT);
        List<String> codesUpper = OrderFacts.codesUpper(discountCodes);
        return new IncomingOrder(
                providerOrderId,
                orderedAt,
                email,
                total,
                currency,
                discountCodes,
                shippingAddress1,
                shippingAddress2,
                shippingCity,
                shippingRegion,
                shippingZip,
                shippingCountry,
                addressKey,
                activeSubscriptionStart,
                emailLower,
                codesUpper,
                changedAt,
                cancelledAt);
    }

    public OrderFacts facts() {
        return new OrderFacts(orderedAt, email, emailLower(), addressKey, codesUpper(), total, activeSubscriptionStart);
    }
}
