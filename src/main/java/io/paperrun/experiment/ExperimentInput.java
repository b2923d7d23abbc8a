package io.paperrun.experiment;

import java.math.BigDecimal;

/**
 * What the holdout analysis is computed from.
 *
 * @param totalCost the cost of the pieces mailed to the experiment group
 * @param alpha the significance level (one-tailed), 0.05 by default
 * @param expectedControlShare the campaign's holdout share (percentage / 100), or null when it has none
 * @param holdoutCapped true when the campaign's holdouts reached its absolute maximum, so the share no longer
 *     predicts the groups' sizes
 */
public record ExperimentInput(
        GroupTotals experiment,
        GroupTotals control,
        BigDecimal totalCost,
        double alpha,
        Double expectedControlShare,
        boolean holdoutCapped) {

    public static final double DEFAULT_ALPHA = 0.05;
}
