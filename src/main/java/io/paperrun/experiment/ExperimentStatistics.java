package io.paperrun.experiment;

import io.paperrun.experiment.ExperimentAnalysis.Interval;
import io.paperrun.experiment.ExperimentAnalysis.LiftInterval;
import io.paperrun.experiment.ExperimentAnalysis.MinimumDetectableEffect;
import io.paperrun.experiment.ExperimentAnalysis.RevenueTest;
import io.paperrun.experiment.ExperimentAnalysis.SampleRatio;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Objects;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.distribution.TDistribution;

/**
 * The holdout analysis of attribution-rules.md ("Experiment analysis") and interface.md ({@code report experiment}):
 * pooled z-test, uplift, incremental revenue and customers, lift intervals, sample-ratio check, Welch's t-test on
 * revenue per recipient and minimum detectable effect. A value that is undefined is null, never NaN or infinite.
 *
 * <p>The minimum detectable effect is the usual normal approximation with the control's rate as the variance of
 * both groups: {@code (z[1-alpha] + z[power]) * sqrt(p0 (1 - p0) (1/n_e + 1/n_c))}, absolute, and that over
 * {@code p0}, relative. It is therefore 0 when the control converts never or always.
 */
public final class ExperimentStatistics {

    static final String EXPERIMENT = "experiment";
    static final String CONTROL = "control";
    static final double CONFIDENCE_LEVEL = 0.95;
    static final double POWER = 0.8;
    static final double MISMATCH_P_VALUE = 0.001;

    private static final MathContext DECIMAL = MathContext.DECIMAL128;
    private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);
    private static final ChiSquaredDistribution CHI_SQUARED_1 = ChiSquaredDistribution.of(1);
    private static final double Z_CONFIDENCE = STANDARD_NORMAL.inverseSurvivalProbability((1 - CONFIDENCE_LEVEL) / 2);
    private static final double Z_POWER = STANDARD_NORMAL.inverseCumulativeProbability(POWER);

    private ExperimentStatistics() {}

    /** Analyses one campaign's groups; {@code alpha} must lie strictly between 0 and 1. */
    public static ExperimentAnalysis analyze(ExperimentInput input) {
        Objects.requireNonNull(input, "input");
        GroupTotals e = Objects.requireNonNull(input.experiment(), "experiment");
        GroupTotals c = Objects.requireNonNull(input.control(), "control");
        double alpha = input.alpha();
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must lie strictly between 0 and 1: " + alpha);
        }
        requireConsistent("experiment", e);
        requireConsistent("control", c);

        Double crE = rate(e);
        Double crC = rate(c);
        boolean bothGroups = e.recipients() > 0 && c.recipients() > 0;

        Double z = bothGroups ? zScore(e, c, crE, crC) : null;
        Double pValue = z == null ? null : finite(STANDARD_NORMAL.survivalProbability(z));
        Double winProbability = z == null ? null : finite(STANDARD_NORMAL.cumulativeProbability(z));
        Boolean significant = pValue == null ? null : pValue < alpha;
        String winner = winProbability == null ? null : winProbability > 0.5 ? EXPERIMENT : CONTROL;
        Double uplift = bothGroups && crC > 0 ? finite((crE - crC) / crC) : null;

        BigDecimal cost = input.totalCost();
        BigDecimal incrementalRevenue = bothGroups ? e.revenue().subtract(scaledToExperiment(c.revenue(), e, c)) : null;
        Double incrementalRoas = incrementalRevenue == null || cost == null || cost.signum() == 0
                ? null
                : finite(incrementalRevenue.divide(cost, DECIMAL).doubleValue());
        BigDecimal incrementalCustomers = bothGroups
                ? BigDecimal.valueOf(e.orders()).subtract(scaledToExperiment(BigDecimal.valueOf(c.orders()), e, c))
                : null;
        Double cac = incrementalCustomers == null || incrementalCustomers.signum() <= 0 || cost == null
                ? null
                : finite(cost.divide(incrementalCustomers, DECIMAL).doubleValue());

        return new ExperimentAnalysis(
                e,
                c,
                crE,
                crC,
                wilson(e),
                wilson(c),
                uplift,
                z,
                pValue,
                winProbability,
                significant,
                winner,
                alpha,
                cost,
                incrementalRevenue == null ? null : finite(incrementalRevenue.doubleValue()),
                incrementalRoas,
                incrementalCustomers == null ? null : finite(incrementalCustomers.doubleValue()),
                cac,
                liftInterval(e, c, crE, crC, uplift),
                sampleRatio(e, c, input.expectedControlShare(), input.holdoutCapped()),
                revenueTest(e, c),
                minimumDetectableEffect(e, c, crC, alpha));
    }

    private static void requireConsistent(String group, GroupTotals g) {
        Objects.requireNonNull(g.revenue(), group + " revenue");
        Objects.requireNonNull(g.revenueSquares(), group + " revenueSquares");
        if (g.recipients() < 0 || g.conversions() < 0 || g.conversions() > g.recipients() || g.orders() < 0) {
            throw new IllegalArgumentException(group + " totals are inconsistent: " + g);
        }
    }

    /** The conversion rate, null without recipients. */
    private static Double rate(GroupTotals g) {
        return g.recipients() == 0 ? null : (double) g.conversions() / g.recipients();
    }

    /** {@code amount / n_c * n_e}: the control's total at the experiment group's size. */
    private static BigDecimal scaledToExperiment(BigDecimal amount, GroupTotals e, GroupTotals c) {
        return amount.multiply(BigDecimal.valueOf(e.recipients())).divide(BigDecimal.valueOf(c.recipients()), DECIMAL);
    }

    /** The Wilson score interval of a group's rate at the confidence level; undefined without recipients. */
    private static Interval wilson(GroupTotals g) {
        if (g.recipients() == 0) {
            return Interval.UNDEFINED;
        }
        double n = g.recipients();
        double p = g.conversions() / n;
        double z2 = Z_CONFIDENCE * Z_CONFIDENCE;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2 * n)) / denominator;
        double half = Z_CONFIDENCE * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator;
        double low = g.conversions() == 0 ? 0 : Math.max(0, centre - half);
        double high = g.conversions() == g.recipients() ? 1 : Math.min(1, centre + half);
        return new Interval(finite(low), finite(high));
    }

    /** The pooled two-proportion z statistic; null when the pooled standard error is 0. */
    private static Double zScore(GroupTotals e, GroupTotals c, double crE, double crC) {
        double pooled = (double) (e.conversions() + c.conversions()) / (e.recipients() + c.recipients());
        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / c.recipients() + 1.0 / e.recipients()));
        return se > 0 ? finite((crE - crC) / se) : null;
    }

    private static LiftInterval liftInterval(GroupTotals e, GroupTotals c, Double crE, Double crC, Double uplift) {
        Interval absolute = Interval.UNDEFINED;
        Interval relative = Interval.UNDEFINED;
        if (crE != null && crC != null) {
            double ne = e.recipients();
            double nc = c.recipients();
            double variance = crE * (1 - crE) / ne + crC * (1 - crC) / nc;
            absolute = around(crE - crC, variance);
            if (uplift != null) {
                double relativeVariance =
                        crE * (1 - crE) / (crC * crC * ne) + crC * (1 - crC) * crE * crE / (crC * crC * crC * crC * nc);
                relative = around(uplift, relativeVariance);
            }
        }
        return new LiftInterval(CONFIDENCE_LEVEL, absolute, relative);
    }

    /** {@code estimate ± z * sqrt(variance)}: the normal interval at the confidence level. */
    private static Interval around(double estimate, double variance) {
        double half = Z_CONFIDENCE * Math.sqrt(variance);
        return new Interval(finite(estimate - half), finite(estimate + half));
    }

    private static SampleRatio sampleRatio(GroupTotals e, GroupTotals c, Double expectedShare, boolean capped) {
        long total = e.recipients() + c.recipients();
        Double observedShare = total == 0 ? null : finite((double) c.recipients() / total);
        if (expectedShare == null || !(expectedShare > 0 && expectedShare < 1) || total == 0 || capped) {
            return new SampleRatio(expectedShare, observedShare, null, null, false);
        }
        double expectedControl = total * expectedShare;
        double expectedExperiment = total * (1 - expectedShare);
        double dc = c.recipients() - expectedControl;
        double de = e.recipients() - expectedExperiment;
        Double chiSquare = finite(dc * dc / expectedControl + de * de / expectedExperiment);
        Double pValue = chiSquare == null ? null : finite(CHI_SQUARED_1.survivalProbability(chiSquare));
        return new SampleRatio(
                expectedShare, observedShare, chiSquare, pValue, pValue != null && pValue < MISMATCH_P_VALUE);
    }

    /** Welch's t-test, one-tailed (experiment greater), on revenue per recipient; a recipient without orders is 0. */
    private static RevenueTest revenueTest(GroupTotals e, GroupTotals c) {
        BigDecimal meanE = mean(e);
        BigDecimal meanC = mean(c);
        Double meanExperiment = meanE == null ? null : finite(meanE.doubleValue());
        Double meanControl = meanC == null ? null : finite(meanC.doubleValue());
        if (e.recipients() < 2 || c.recipients() < 2) {
            return new RevenueTest(meanExperiment, meanControl, null, null, null);
        }
        double ve = sampleVariance(e) / e.recipients();
        double vc = sampleVariance(c) / c.recipients();
        double se2 = ve + vc;
        if (!(se2 > 0) || !Double.isFinite(se2)) {
            return new RevenueTest(meanExperiment, meanControl, null, null, null);
        }
        Double t = finite(meanE.subtract(meanC).doubleValue() / Math.sqrt(se2));
        Double df = finite(se2 * se2 / (ve * ve / (e.recipients() - 1) + vc * vc / (c.recipients() - 1)));
        if (t == null || df == null) {
            return new RevenueTest(meanExperiment, meanControl, null, null, null);
        }
        Double pValue = finite(TDistribution.of(df).survivalProbability(t));
        return new RevenueTest(meanExperiment, meanControl, t, df, pValue);
    }

    private static BigDecimal mean(GroupTotals g) {
        return g.recipients() == 0 ? null : g.revenue().divide(BigDecimal.valueOf(g.recipients()), DECIMAL);
    }

    /** {@code (Σr² − (Σr)²/n) / (n − 1)}, exact but for one rounding to 34 digits; rounding below 0 is 0. */
    private static double sampleVariance(GroupTotals g) {
        BigDecimal n = BigDecimal.valueOf(g.recipients());
        BigDecimal deviations =
                g.revenueSquares().subtract(g.revenue().multiply(g.revenue()).divide(n, DECIMAL));
        double variance = deviations
                .divide(BigDecimal.valueOf(g.recipients() - 1), DECIMAL)
                .doubleValue();
        return Math.max(0, variance);
    }

    private static MinimumDetectableEffect minimumDetectableEffect(
            GroupTotals e, GroupTotals c, Double p0, double alpha) {
        if (e.recipients() == 0 || p0 == null) {
            return new MinimumDetectableEffect(POWER, null, null);
        }
        double z = STANDARD_NORMAL.inverseSurvivalProbability(alpha) + Z_POWER;
        Double absolute = finite(z * Math.sqrt(p0 * (1 - p0) * (1.0 / e.recipients() + 1.0 / c.recipients())));
        Double relative = absolute == null || p0 == 0 ? null : finite(absolute / p0);
        return new MinimumDetectableEffect(POWER, absolute, relative);
    }

    /** The value, or null when it is NaN or infinite. */
    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
