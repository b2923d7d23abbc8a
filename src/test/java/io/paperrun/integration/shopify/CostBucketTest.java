package io.paperrun.integration.shopify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CostBucketTest {

    private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");

    private static QueryCost cost(double requested, double available, double restoreRate) {
        return new QueryCost(requested, requested, 1_000, available, restoreRate);
    }

    @Test
    void nothingIsWaitedForBeforeAnyAnswerTold() {
        assertThat(new CostBucket().take(T0)).isZero();
    }

    @Test
    void aQueryWaitsJustLongEnoughForTheBucketToHoldWhatTheLastOneRequested() {
        CostBucket bucket = new CostBucket();
        bucket.observe(cost(252, 100, 50), T0);

        assertThat(bucket.take(T0)).isEqualTo(Duration.ofMillis(3_040));
        assertThat(bucket.take(T0.plusMillis(1_000))).isEqualTo(Duration.ofMillis(2_040));
        assertThat(bucket.take(T0.plusMillis(3_040))).isZero();
        // What was taken is gone: the next query waits for its own cost.
        assertThat(bucket.take(T0.plusMillis(3_040))).isEqualTo(Duration.ofMillis(5_040));
    }

    @Test
    void enoughPointsAreTakenWithoutWaiting() {
        CostBucket bucket = new CostBucket();
        bucket.observe(cost(252, 1_000, 100), T0);

        assertThat(bucket.take(T0)).isZero();
        assertThat(bucket.take(T0)).isZero();
        assertThat(bucket.take(T0)).isZero();
        assertThat(bucket.take(T0)).isEqualTo(Duration.ofMillis(80));
    }

    @Test
    void theBucketNeverHoldsMoreThanItsSizeNorIsWaitedForBeyondIt() {
        CostBucket bucket = new CostBucket();
        bucket.observe(cost(1_500, 0, 100), T0);

        // A query requesting more than the bucket holds waits for a full bucket only.
        assertThat(bucket.take(T0)).isEqualTo(Duration.ofSeconds(10));
        bucket.observe(cost(500, 900, 100), T0);
        assertThat(bucket.take(T0.plusSeconds(60))).isZero();
        assertThat(bucket.take(T0.plusSeconds(60))).isZero();
        assertThat(bucket.take(T0.plusSeconds(60))).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void anExpectedCostReplacesWhatTheLastQueryRequested() {
        CostBucket bucket = new CostBucket();
        bucket.observe(cost(1_252, 500, 100), T0);
        bucket.expect(997);

        assertThat(bucket.take(T0)).isEqualTo(Duration.ofMillis(4_970));
    }
}
