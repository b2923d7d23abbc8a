package io.paperrun.experiment;

import java.math.BigDecimal;

/**
 * One group's totals for one metric: its recipients, those with at least one counted order, the counted orders,
 * their revenue, and the sum over the group's recipients of the square of each one's revenue (for the t-test).
 */
public record GroupTotals(
        long recipients, long conversions, long orders, BigDecimal revenue, BigDecimal revenueSquares) {

    public static final GroupTotals EMPTY = new GroupTotals(0, 0, 0, BigDecimal.ZERO, BigDecimal.ZERO);
}
