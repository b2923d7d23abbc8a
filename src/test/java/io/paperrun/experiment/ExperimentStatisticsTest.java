package io.paperrun.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.paperrun.experiment.ExperimentAnalysis.Interval;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link ExperimentStatistics} against reference values computed apart from it: {@code reference_statistics.json},
 * written by {@code reference_statistics.py} with scipy (its {@code sources} name the function behind each field),
 * and published examples typed in from their sources.
 */
class ExperimentStatisticsTest {

    /**
     * Relative tolerance against scipy. Both sides compute each field the same way, to within a few ulps: the
     * largest gap seen is 2e-14 (a one-tailed p-value of a million recipients, where a rounding in z is amplified
     * by the normal tail's slope), so 1e-12 leaves room for another platform's libm.
     */
    private static final double RELATIVE = 1e-12;

    /** What counts as 0 when the reference is exactly 0 (a chi-square of a perfect split, a collapsed interval). */
    private static final double ZERO = 1e-15;

    /** Components that are the inputs passed through, compared with the fixture's input rather than its output. */
    private static final Set<String> PASSED_THROUGH = Set.of("experiment", "control", "alpha", "totalCost");

    private static final JsonNode REFERENCE = load();

    static Stream<String> fixtures() {
        List<String> names = new ArrayList<>();
        REFERENCE.get("fixtures").forEach(f -> names.add(f.get("name").asString()));
        return names.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void matchesTheScipyReference(String name) {
        JsonNode fixture = fixture(name);
        assertThat(fixture.get("source").asString()).contains("scipy");
        ExperimentInput input = input(fixture.get("input"));
        ExperimentAnalysis analysis = ExperimentStatistics.analyze(input);

        assertThat(analysis.experiment()).isEqualTo(input.experiment());
        assertThat(analysis.control()).isEqualTo(input.control());
        assertThat(analysis.alpha()).isEqualTo(input.alpha());
        assertThat(analysis.totalCost()).isEqualTo(input.totalCost());
        Set<String> compared = components(analysis).stream()
                .map(RecordComponent::getName)
                .filter(c -> !PASSED_THROUGH.contains(c))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(new TreeSet<>(fixture.get("expected").propertyNames()))
                .as("the reference covers every computed field")
                .isEqualTo(compared);
        assertMatches(name, analysis, fixture.get("expected"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void everyNumberIsFiniteOrNull(String name) {
        List<String> notFinite = new ArrayList<>();
        collectNotFinite(name, ExperimentStatistics.analyze(input(fixture(name).get("input"))), notFinite);
        assertThat(notFinite).isEmpty();
    }

    /**
     * interface.md, "{@code report experiment --format json}": experiment 900 recipients, 45 conversions, 51 orders,
     * 3,100.50 revenue; control 100, 3, 3, 150.00; cost 801.00. The example shows the values rounded, but for ROAS
     * and CAC, which it cuts: 2.1854 as 2.18 and 33.375 as 33.37. The revenue squares only feed the t-test, which
     * the example does not show.
     */
    @Test
    void theInterfaceSpecificationsExample() {
        ExperimentAnalysis a = ExperimentStatistics.analyze(new ExperimentInput(
                new GroupTotals(900, 45, 51, new BigDecimal("3100.50"), new BigDecimal("286696.5032")),
                new GroupTotals(100, 3, 3, new BigDecimal("150.00"), new BigDecimal("7700.00")),
                new BigDecimal("801.00"),
                ExperimentInput.DEFAULT_ALPHA,
                0.10,
                false));

        assertThat(a.experimentRate()).isCloseTo(0.05, within(0.005));
        assertThat(a.controlRate()).isCloseTo(0.03, within(0.005));
        assertThat(a.uplift()).isCloseTo(0.6667, within(0.00005));
        assertThat(a.zScore()).isCloseTo(0.89, within(0.005));
        assertThat(a.pValue()).isCloseTo(0.19, within(0.005));
        assertThat(a.winProbability()).isCloseTo(0.81, within(0.005));
        assertThat(a.significant()).isFalse();
        assertThat(a.winner()).isEqualTo("experiment");
        assertThat(a.incrementalRevenue()).isCloseTo(1750.50, within(0.005));
        assertThat(a.incrementalRoas()).isBetween(2.18, 2.19);
        assertThat(a.incrementalCustomers()).isCloseTo(24.0, within(0.05));
        assertThat(a.cac()).isBetween(33.37, 33.38);
    }

    /**
     * Newcombe, R. G. (1998), "Two-sided confidence intervals for the single proportion: comparison of seven
     * methods", Statistics in Medicine 17, 857–872: the score method without continuity correction on the worked
     * examples 81/263, 15/148, 0/20 and 1/29, to four places.
     */
    @Test
    void wilsonIntervalsOfNewcombesExamples() {
        ExperimentAnalysis first = analyzeRates(263, 81, 148, 15);
        assertInterval(first.experimentRateInterval(), 0.2553, 0.3662);
        assertInterval(first.controlRateInterval(), 0.0624, 0.1605);

        ExperimentAnalysis second = analyzeRates(20, 0, 29, 1);
        assertInterval(second.experimentRateInterval(), 0.0000, 0.1611);
        assertInterval(second.controlRateInterval(), 0.0061, 0.1718);
        assertThat(second.experimentRateInterval().low()).isZero();
    }

    @Test
    void zeroControlConversionsLeaveUpliftAndTheRelativeIntervalUndefined() {
        ExperimentAnalysis a = analyzeFixture("zero_control_conversions");
        assertThat(a.controlRate()).isZero();
        assertThat(a.uplift()).isNull();
        assertThat(a.liftInterval().relative()).isEqualTo(Interval.UNDEFINED);
        assertThat(a.liftInterval().absolute().low()).isNotNull();
        assertThat(a.zScore()).isNotNull();
        assertThat(a.mde().relative()).isNull();
    }

    @Test
    void noConversionsInEitherGroupLeaveTheTestsUndefined() {
        ExperimentAnalysis a = analyzeFixture("no_conversions");
        assertThat(Arrays.asList(a.zScore(), a.pValue(), a.winProbability())).containsOnlyNulls();
        assertThat(a.significant()).isNull();
        assertThat(a.winner()).isNull();
        assertThat(a.revenueTest().t()).isNull();
        assertThat(a.revenueTest().meanExperiment()).isZero();
        assertThat(a.cac()).isNull();
    }

    @Test
    void anEmptyControlGroupLeavesEveryComparisonUndefined() {
        ExperimentAnalysis a = analyzeFixture("empty_control");
        assertThat(a.controlRate()).isNull();
        assertThat(a.controlRateInterval()).isEqualTo(Interval.UNDEFINED);
        assertThat(Arrays.asList(
                        a.zScore(),
                        a.uplift(),
                        a.incrementalRevenue(),
                        a.incrementalRoas(),
                        a.incrementalCustomers(),
                        a.cac(),
                        a.mde().absolute(),
                        a.revenueTest().meanControl()))
                .containsOnlyNulls();
        assertThat(a.liftInterval().absolute()).isEqualTo(Interval.UNDEFINED);
        assertThat(a.sampleRatio().observedControlShare()).isZero();
        assertThat(a.sampleRatio().mismatch()).isTrue();
    }

    @Test
    void aGroupOfOneRecipientHasNoTTestButItsMean() {
        ExperimentAnalysis a = analyzeFixture("single_control_recipient");
        assertThat(a.revenueTest().meanControl()).isEqualTo(80.0);
        assertThat(a.revenueTest().meanExperiment()).isNotNull();
        assertThat(Arrays.asList(
                        a.revenueTest().t(),
                        a.revenueTest().df(),
                        a.revenueTest().pValue()))
                .containsOnlyNulls();
    }

    @Test
    void aControlShareOfFifteenPercentAgainstTenIsAMismatch() {
        ExperimentAnalysis.SampleRatio ratio = analyzeFixture("srm_mismatch").sampleRatio();
        assertThat(ratio.expectedControlShare()).isEqualTo(0.10);
        assertThat(ratio.observedControlShare()).isEqualTo(0.15);
        assertThat(ratio.pValue()).isPositive().isLessThan(1e-60);
        assertThat(ratio.mismatch()).isTrue();

        ExperimentAnalysis.SampleRatio exact = analyzeFixture("srm_exact").sampleRatio();
        assertThat(exact.chiSquare()).isZero();
        assertThat(exact.pValue()).isEqualTo(1.0);
        assertThat(exact.mismatch()).isFalse();
    }

    @Test
    void aCappedHoldoutOrNoShareIsNotTested() {
        ExperimentAnalysis.SampleRatio capped = analyzeFixture("holdout_capped").sampleRatio();
        assertThat(capped.expectedControlShare()).isEqualTo(0.10);
        assertThat(capped.observedControlShare()).isEqualTo(0.15);
        assertThat(capped.chiSquare()).isNull();
        assertThat(capped.pValue()).isNull();
        assertThat(capped.mismatch()).isFalse();

        ExperimentAnalysis.SampleRatio none = analyzeFixture("no_holdout_share").sampleRatio();
        assertThat(none.expectedControlShare()).isNull();
        assertThat(none.observedControlShare()).isNotNull();
        assertThat(none.chiSquare()).isNull();
        assertThat(none.mismatch()).isFalse();
    }

    @Test
    void zeroVarianceCollapsesTheLiftIntervalsToTheirPoint() {
        ExperimentAnalysis a = analyzeFixture("all_converted");
        assertThat(a.zScore()).isNull();
        assertThat(a.liftInterval().absolute()).isEqualTo(new Interval(0.0, 0.0));
        assertThat(a.liftInterval().relative()).isEqualTo(new Interval(0.0, 0.0));
        assertThat(a.experimentRateInterval().high()).isEqualTo(1.0);
    }

    @Test
    void aMillionRecipientsKeepTheirPrecision() {
        ExperimentAnalysis a = analyzeFixture("large");
        assertThat(a.experiment().recipients()).isEqualTo(1_000_000);
        assertThat(a.revenueTest().meanExperiment()).isEqualTo(6.52329389);
        assertThat(a.experimentRate()).isEqualTo(0.051234);
        assertMatches("large", a, fixture("large").get("expected"));
    }

    @Test
    void theControlWinsWhenItConvertsBetter() {
        ExperimentAnalysis a = analyzeFixture("experiment_worse");
        assertThat(a.winner()).isEqualTo("control");
        assertThat(a.significant()).isFalse();
        assertThat(a.incrementalCustomers()).isNegative();
        assertThat(a.cac()).isNull();
    }

    @Test
    void withoutCostThereIsNoRoas() {
        ExperimentAnalysis free = analyzeFixture("zero_cost");
        assertThat(free.incrementalRoas()).isNull();
        assertThat(free.cac()).isZero();

        ExperimentInput unknown = input(fixture("zero_cost").get("input"));
        ExperimentAnalysis a = ExperimentStatistics.analyze(
                new ExperimentInput(unknown.experiment(), unknown.control(), null, unknown.alpha(), 0.10, false));
        assertThat(a.incrementalRoas()).isNull();
        assertThat(a.cac()).isNull();
        assertThat(a.incrementalRevenue()).isNotNull();
    }

    /** Every shape of degenerate group, share, flag and cost: never an exception, never NaN or an infinity. */
    @Test
    void degenerateInputsGiveFiniteOrNullNumbers() {
        long[] sizes = {0, 1, 2, 3, 1_000_000, 1_000_000_000_000L};
        // Each share, flag and cost once: they touch only the sample ratio and the money, never each other.
        List<ExperimentInput> settings = List.of(
                new ExperimentInput(GroupTotals.EMPTY, GroupTotals.EMPTY, null, 0.05, null, false),
                new ExperimentInput(GroupTotals.EMPTY, GroupTotals.EMPTY, BigDecimal.ZERO, 0.05, 0.0, false),
                new ExperimentInput(GroupTotals.EMPTY, GroupTotals.EMPTY, BigDecimal.TEN, 0.05, 0.1, false),
                new ExperimentInput(GroupTotals.EMPTY, GroupTotals.EMPTY, BigDecimal.TEN, 0.05, 1.0, false),
                new ExperimentInput(GroupTotals.EMPTY, GroupTotals.EMPTY, null, 0.01, 0.1, true));
        int cases = 0;
        List<String> notFinite = new ArrayList<>();
        for (long ne : sizes) {
            for (long nc : sizes) {
                for (GroupTotals e : groups(ne)) {
                    for (GroupTotals c : groups(nc)) {
                        for (ExperimentInput s : settings) {
                            ExperimentInput input = new ExperimentInput(
                                    e, c, s.totalCost(), s.alpha(), s.expectedControlShare(), s.holdoutCapped());
                            collectNotFinite("", ExperimentStatistics.analyze(input), notFinite);
                            if (!notFinite.isEmpty()) {
                                throw new AssertionError(input + " gives " + notFinite);
                            }
                            cases++;
                        }
                    }
                }
            }
        }
        assertThat(cases).isGreaterThan(1000);
    }

    @Test
    void anAlphaOutsideZeroAndOneIsRejected() {
        for (double alpha : new double[] {0, 1, -0.1, Double.NaN}) {
            assertThatThrownBy(() -> ExperimentStatistics.analyze(
                            new ExperimentInput(GroupTotals.EMPTY, GroupTotals.EMPTY, null, alpha, null, false)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** A group of {@code n} recipients: none, one and every one converting, with equal and unequal revenue. */
    private static List<GroupTotals> groups(long n) {
        if (n == 0) {
            return List.of(GroupTotals.EMPTY);
        }
        List<GroupTotals> groups = new ArrayList<>();
        groups.add(new GroupTotals(n, 0, 0, BigDecimal.ZERO, BigDecimal.ZERO));
        groups.add(new GroupTotals(n, 1, 1, new BigDecimal("25.00"), new BigDecimal("625.0000")));
        BigDecimal count = BigDecimal.valueOf(n);
        groups.add(new GroupTotals(n, n, n, count.multiply(BigDecimal.TEN), count.multiply(new BigDecimal(100))));
        if (n > 1) {
            // n − 1 recipients spent 10.00 and one spent 30.00.
            groups.add(new GroupTotals(
                    n,
                    n,
                    n + 1,
                    count.multiply(BigDecimal.TEN).add(new BigDecimal(20)),
                    count.multiply(new BigDecimal(100)).add(new BigDecimal(800))));
        }
        return groups;
    }

    private static ExperimentAnalysis analyzeRates(long ne, long xe, long nc, long xc) {
        return ExperimentStatistics.analyze(new ExperimentInput(
                new GroupTotals(ne, xe, xe, BigDecimal.ZERO, BigDecimal.ZERO),
                new GroupTotals(nc, xc, xc, BigDecimal.ZERO, BigDecimal.ZERO),
                null,
                ExperimentInput.DEFAULT_ALPHA,
                null,
                false));
    }

    private static void assertInterval(Interval interval, double low, double high) {
        assertThat(interval.low()).isCloseTo(low, within(0.00005));
        assertThat(interval.high()).isCloseTo(high, within(0.00005));
    }

    private static ExperimentAnalysis analyzeFixture(String name) {
        return ExperimentStatistics.analyze(input(fixture(name).get("input")));
    }

    private static JsonNode fixture(String name) {
        for (JsonNode f : REFERENCE.get("fixtures")) {
            if (f.get("name").asString().equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("no fixture " + name);
    }

    private static ExperimentInput input(JsonNode in) {
        JsonNode share = in.get("expectedControlShare");
        return new ExperimentInput(
                group(in.get("experiment")),
                group(in.get("control")),
                new BigDecimal(in.get("totalCost").asString()),
                in.get("alpha").doubleValue(),
                share.isNull() ? null : share.doubleValue(),
                in.get("holdoutCapped").booleanValue());
    }

    private static GroupTotals group(JsonNode g) {
        return new GroupTotals(
                g.get("recipients").longValue(),
                g.get("conversions").longValue(),
                g.get("orders").longValue(),
                new BigDecimal(g.get("revenue").asString()),
                new BigDecimal(g.get("revenueSquares").asString()));
    }

    /** Compares each of {@code expected}'s fields with the record component of the same name, recursively. */
    private static void assertMatches(String path, Object actual, JsonNode expected) {
        if (expected.isObject()) {
            assertThat(actual).as(path).isNotNull();
            for (Map.Entry<String, JsonNode> field : expected.properties()) {
                assertMatches(path + "." + field.getKey(), component(actual, field.getKey()), field.getValue());
            }
        } else if (expected.isNull()) {
            assertThat(actual).as(path).isNull();
        } else if (expected.isBoolean()) {
            assertThat(actual).as(path).isEqualTo(expected.booleanValue());
        } else if (expected.isString()) {
            assertThat(actual).as(path).isEqualTo(expected.asString());
        } else {
            double want = expected.doubleValue();
            assertThat(actual).as(path).isInstanceOf(Double.class);
            double got = (Double) actual;
            double tolerance = want == 0 ? ZERO : RELATIVE * Math.abs(want);
            assertThat(got).as(path).isCloseTo(want, within(tolerance));
        }
    }

    /** Walks a record and adds to {@code notFinite} each double that is NaN or infinite; a null Double is fine. */
    private static void collectNotFinite(String path, Object value, List<String> notFinite) {
        if (value instanceof Double d && !Double.isFinite(d)) {
            notFinite.add(path + " = " + d);
        } else if (value instanceof Record r) {
            for (RecordComponent c : components(r)) {
                collectNotFinite(path + "." + c.getName(), component(r, c.getName()), notFinite);
            }
        }
    }

    private static final ClassValue<List<RecordComponent>> COMPONENTS = new ClassValue<>() {
        @Override
        protected List<RecordComponent> computeValue(Class<?> type) {
            return List.of(type.getRecordComponents());
        }
    };

    private static List<RecordComponent> components(Object record) {
        return COMPONENTS.get(record.getClass());
    }

    private static Object component(Object record, String name) {
        for (RecordComponent c : components(record)) {
            if (c.getName().equals(name)) {
                try {
                    return c.getAccessor().invoke(record);
                } catch (IllegalAccessException | InvocationTargetException ex) {
                    throw new IllegalStateException(ex);
                }
            }
        }
        throw new AssertionError(record.getClass().getSimpleName() + " has no component " + name);
    }

    private static JsonNode load() {
        try (InputStream in = ExperimentStatisticsTest.class.getResourceAsStream("reference_statistics.json")) {
            if (in == null) {
                throw new IllegalStateException("reference_statistics.json is missing");
            }
            return JsonMapper.builder().build().readTree(in);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
