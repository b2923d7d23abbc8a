package io.paperrun.order;

import io.paperrun.batch.Excerpt;
import io.paperrun.batch.RejectedRowException;
import io.paperrun.batch.StorableValues;
import java.math.BigDecimal;
import java.time.Instant;

/** The checks every order source applies to an order's values; a value that fails rejects the order. */
public final class OrderValues {

    /** The largest total customer_order.total (numeric(14,2)) holds. */
    public static final BigDecimal MAX_TOTAL = new BigDecimal("999999999999.99");

    private OrderValues() {}

    /** A total: given, not negative, with at most two decimals, and storable. */
    public static BigDecimal total(BigDecimal total) throws RejectedRowException {
        if (total == null) {
            throw new RejectedRowException("total is required");
        }
        if (total.signum() < 0) {
            throw new RejectedRowException("total " + total.toPlainString() + " is negative");
        }
        if (total.scale() > 2) {
            throw new RejectedRowException("total " + total.toPlainString() + " has more than 2 decimals");
        }
        if (total.compareTo(MAX_TOTAL) > 0) {
            throw new RejectedRowException("total " + total.toPlainString() + " is more than the largest an order "
                    + "can have, " + MAX_TOTAL.toPlainString());
        }
        return total;
    }

    /** An email, which may be absent, but when given must look like one. */
    public static String email(String email) throws RejectedRowException {
        if (email != null && !email.isBlank() && !email.contains("@")) {
            throw new RejectedRowException("email " + Excerpt.quote(email) + " is not an email address");
        }
        return email == null || email.isBlank() ? null : email;
    }

    /** A time the database can store ({@link StorableValues#YEARS}); {@code what} names it in the reason. */
    public static Instant time(String what, Instant time) throws RejectedRowException {
        if (time != null && !StorableValues.instant(time)) {
            throw new RejectedRowException(what + " " + time + " is outside " + StorableValues.YEARS);
        }
        return time;
    }
}
