package io.paperrun.experiment;

import static io.paperrun.experiment.ReportSamples.group;
import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.experiment.ExperimentAnalysis.MinimumDetectableEffect;
import io.paperrun.experiment.ExperimentAnalysis.SampleRatio;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The verdict in plain words: the headline, the money line and the warnings, exact sentences. */
class ExperimentVerdictTest {

    private static ExperimentVerdict verdict(ReportSamples.Analysis analysis) {
        return verdict(analysis, 500, 0, 0);
    }

    private static ExperimentVerdict verdict(
            ReportSamples.Analysis analysis, Integer holdoutMaximum, long inProgress, long unprocessed) {
        return ExperimentVerdict.of(ReportSamples.report(
                "Winback",
                holdoutMaximum,
                analysis == null ? null : analysis.build(),
                ReportSamples.daily(),
                ReportSamples.funnel(),
                inProgress,
                unprocessed));
    }

    private static ReportSamples.Analysis significant() {
        ReportSamples.Analysis a = new ReportSamples.Analysis();
        a.winProbability = 0.96;
        a.pValue = 0.04;
        a.significant = true;
        return a;
    }

    @Test
    void mailedCustomersBoughtMoreOften() {
        ExperimentVerdict v = verdict(significant());

        assertThat(v.headline())
                .isEqualTo("Mailed customers bought 1.7× as often; 96% likely the postcards caused it.");
        assertThat(v.money()).isEqualTo("Incremental revenue 1,750.50 on a cost of 801.00: 2.18× return.");
        assertThat(v.warnings()).isEmpty();
    }

    @Test
    void noOneInTheControlGroupBought() {
        ReportSamples.Analysis a =
                new ReportSamples.Analysis().groups(group(1000, 21, 22, "900.00"), group(100, 0, 0, "0"));
        a.uplift = null;

        assertThat(verdict(a).headline())
                .isEqualTo("Mailed customers converted at 2.1%; no one in the control group bought,"
                        + " so the lift cannot be measured as a ratio.");
    }

    @Test
    void theExperimentDidWorse() {
        ReportSamples.Analysis a =
                new ReportSamples.Analysis().groups(group(1000, 24, 24, "900.00"), group(100, 3, 3, "150.00"));
        a.winProbability = 0.23;
        a.winner = "control";

        assertThat(verdict(a).headline())
                .isEqualTo(
                        "Mailed customers bought 0.8× as often as the control group; 23% likely the postcards helped.");
    }

    @Test
    void aGroupWithoutRecipientsIsNotEnoughData() {
        ReportSamples.Analysis a = new ReportSamples.Analysis()
                .groups(group(1_000_000, 21, 22, "900.00"), GroupTotals.EMPTY)
                .undefined();

        ExperimentVerdict v = verdict(a);

        assertThat(v.headline()).isEqualTo("Not enough data yet: 1,000,000 mailed and 0 held out.");
        assertThat(v.money()).isNull();
        assertThat(v.warnings()).isEmpty();
    }

    @Test
    void withoutAnAnalysisBothGroupsAreEmpty() {
        ExperimentVerdict v = verdict(null, null, 0, 0);

        assertThat(v.headline()).isEqualTo("Not enough data yet: 0 mailed and 0 held out.");
        assertThat(v.money()).isNull();
    }

    @Test
    void noOneBoughtInEitherGroup() {
        ReportSamples.Analysis a = new ReportSamples.Analysis()
                .groups(group(900, 0, 0, "0"), group(100, 0, 0, "0"))
                .undefined();
        a.experimentRate = 0.0;
        a.controlRate = 0.0;

        assertThat(verdict(a).headline())
                .isEqualTo("No one has bought yet: neither the 900 mailed nor the 100 held out.");
    }

    @Test
    void equalRatesSayNoDifference() {
        ReportSamples.Analysis a = new ReportSamples.Analysis().groups(group(900, 27, 27, "0"), group(100, 3, 3, "0"));

        assertThat(verdict(a).headline())
                .isEqualTo("Mailed customers bought exactly as often as the control group (3.0%).");
    }

    @Test
    void aRatioCloseToOneKeepsTwoDecimalsAndProbabilitiesNeverRoundToCertainty() {
        ReportSamples.Analysis a = new ReportSamples.Analysis()
                .groups(group(100_000, 5_200, 5_200, "0"), group(100_000, 5_000, 5_000, "0"));
        a.winProbability = 0.9996;

        assertThat(verdict(a).headline())
                .isEqualTo("Mailed customers bought 1.04× as often; over 99% likely the postcards caused it.");
    }

    @Test
    void withoutAWinProbabilityTheHeadlineStopsAtTheRatio() {
        ReportSamples.Analysis a = new ReportSamples.Analysis();
        a.winProbability = null;

        assertThat(verdict(a).headline()).isEqualTo("Mailed customers bought 1.7× as often.");
    }

    @Test
    void moneyWithoutCostHasNoReturn() {
        ReportSamples.Analysis a = significant();
        a.totalCost = null;
        a.incrementalRoas = null;

        assertThat(verdict(a).money()).isEqualTo("Incremental revenue 1,750.50 (no cost recorded).");
    }

    @Test
    void negativeIncrementalRevenueIsShownAsIs() {
        ReportSamples.Analysis a = significant();
        a.incrementalRevenue = -1234567.891;
        a.incrementalRoas = -1541.28;

        assertThat(verdict(a).money())
                .isEqualTo("Incremental revenue -1,234,567.89 on a cost of 801.00: -1,541.28× return.");
    }

    @Test
    void aSampleRatioMismatchSaysTheShares() {
        ReportSamples.Analysis a = significant();
        a.sampleRatio = new SampleRatio(0.10, 0.142, 18.2, 0.0002, true);

        assertThat(verdict(a).warnings())
                .containsExactly("The control group is 14.2% of recipients where 10.0% was expected"
                        + " (sample-ratio mismatch, p = 0.0002): the groups may not be comparable.");
    }

    @Test
    void aCappedHoldoutSkipsTheShareCheck() {
        ReportSamples.Analysis a = significant();
        a.sampleRatio = new SampleRatio(0.10, 0.10, 0.0, 1.0, true);

        assertThat(verdict(a, 100, 0, 0).warnings())
                .containsExactly("The holdout reached its maximum of 100 recipients, so the control group's share is"
                        + " not checked against the holdout percentage.");
        assertThat(verdict(a, 101, 0, 0).warnings())
                .hasSize(1)
                .first()
                .asString()
                .startsWith("The control group is");
    }

    @Test
    void tooFewRecipientsToTellWhenTheLiftIsBelowTheDetectableEffect() {
        assertThat(verdict(new ReportSamples.Analysis()).warnings())
                .containsExactly("Too few recipients to tell: with these group sizes only a lift of at least 4.1"
                        + " points (137.0% relative) could be detected; the observed lift is 2.0 points.");
    }

    @Test
    void noTooFewWarningWhenSignificantOrTheLiftIsDetectable() {
        ReportSamples.Analysis detectable = new ReportSamples.Analysis();
        detectable.mde = new MinimumDetectableEffect(0.8, 0.015, 0.5);
        ReportSamples.Analysis noMde = new ReportSamples.Analysis();
        noMde.mde = null;

        assertThat(verdict(significant()).warnings()).isEmpty();
        assertThat(verdict(detectable).warnings()).isEmpty();
        assertThat(verdict(noMde).warnings()).isEmpty();
    }

    @Test
    void aNegativeLiftBelowTheDetectableEffectWithoutARelativeOne() {
        ReportSamples.Analysis a =
                new ReportSamples.Analysis().groups(group(1000, 24, 24, "900.00"), group(100, 3, 3, "0"));
        a.mde = new MinimumDetectableEffect(0.8, 0.041, null);

        assertThat(verdict(a).warnings())
                .containsExactly("Too few recipients to tell: with these group sizes only a lift of at least 4.1"
                        + " points could be detected; the observed lift is -0.6 points.");
    }

    @Test
    void recipientsInProgressAndUnprocessedAttributions() {
        assertThat(verdict(significant(), 500, 1234, 57).warnings())
                .containsExactly(
                        "1,234 recipients are still in progress (pending, proofed or sending), so the groups are not"
                                + " final.",
                        "57 attributions are not processed yet, so their orders are not counted:"
                                + " run paperrun run attribution-processing.");
        assertThat(verdict(significant(), 500, 1, 1).warnings())
                .containsExactly(
                        "1 recipient is still in progress (pending, proofed or sending), so the groups are not final.",
                        "1 attribution is not processed yet, so their orders are not counted:"
                                + " run paperrun run attribution-processing.");
    }

    @Test
    void linesForTheCommandLine() {
        assertThat(verdict(new ReportSamples.Analysis(), 500, 0, 3).lines())
                .containsExactly(
                        "Mailed customers bought 1.7× as often; 81% likely the postcards caused it.",
                        "Incremental revenue 1,750.50 on a cost of 801.00: 2.18× return.",
                        "Warning: Too few recipients to tell: with these group sizes only a lift of at least 4.1"
                                + " points (137.0% relative) could be detected; the observed lift is 2.0 points.",
                        "Warning: 3 attributions are not processed yet, so their orders are not counted:"
                                + " run paperrun run attribution-processing.");
    }

    @Test
    void numbersForPeople() {
        assertThat(Figures.percent(0.02125)).isEqualTo("2.1%");
        assertThat(Figures.percent(0.0004)).isEqualTo("0.04%");
        assertThat(Figures.percent(-0.0001)).isEqualTo("-0.01%");
        assertThat(Figures.percent(-0.00001)).isEqualTo("0.00%");
        assertThat(Figures.money(new BigDecimal("1234567.005"))).isEqualTo("1,234,567.01");
        assertThat(Figures.money(-0.001)).isEqualTo("0.00");
        assertThat(Figures.count(1_000_000L)).isEqualTo("1,000,000");
        assertThat(Figures.probability(0.004)).isEqualTo("under 1%");
        assertThat(Figures.probability(1.0)).isEqualTo("100%");
        assertThat(Figures.ratio(0.96)).isEqualTo("0.96×");
        assertThat(Figures.ratio(12345.0)).isEqualTo("12,345.0×");
        assertThat(Figures.pValue(0.00001)).isEqualTo("< 0.0001");
        assertThat(List.of(Figures.points(0.041), Figures.roas(2.1849))).containsExactly("4.1 points", "2.18×");
    }
}
