package io.paperrun.experiment;

import java.math.BigDecimal;

/**
 * The holdout analysis of one campaign for one metric: the fields of interface.md's
 * {@code report experiment --format json}. A value that is undefined (a division by zero, a group without
 * recipients) is null, never NaN.
 */
public record ExperimentAnalysis(
        GroupTotals experiment,
        GroupTotals control,
        Double experimentRate,
        Double controlRate,
        Interval experimentRateInterval,
        Interval controlRateInterval,
        Double uplift,
        Double zScore,
        Double pValue,
        Double winProbability,
        Boolean significant,
        String winner,
        double alpha,
        BigDecimal totalCost,
        Double incrementalRevenue,
        Double incrementalRoas,
        Double incrementalCustomers,
        Double cac,
        LiftInterval liftInterval,
        SampleRatio sampleRatio,
        RevenueTest revenueTest,
        MinimumDetectableEffect mde) {

    /** A two-sided interval; either end null when undefined. */
    public record Interval(Double low, Double high) {
        public static final Interval UNDEFINED = new Interval(null, null);
    }

    /** The confidence interval ({@code level}, 0.95) of the absolute lift (Wald) and the relative lift (delta). */
    public record LiftInterval(double level, Interval absolute, Interval relative) {}

    /** The chi-square goodness of fit of the groups' sizes against the holdout share; mismatch below 0.001. */
    public record SampleRatio(
            Double expectedControlShare,
            Double observedControlShare,
            Double chiSquare,
            Double pValue,
            boolean mismatch) {}

    /** Welch's t-test on revenue per recipient, one-tailed (experiment greater). */
    public record RevenueTest(Double meanExperiment, Double meanControl, Double t, Double df, Double pValue) {}

    /** The smallest lift the groups' sizes detect at alpha (one-tailed) with {@code power}. */
    public record MinimumDetectableEffect(double power, Double absolute, Double relative) {}
}
