package io.paperrun.integration.shopify;

import java.time.Duration;
import java.time.Instant;

/**
 * What this process knows of one shop's cost bucket: the points the last response reported, restored since at
 * its rate, less the expected cost of the queries sent since. The sources reading one shop share it.
 */
final class CostBucket {

    private boolean known;
    private double maximumAvailable;
    private double available;
    private double restoreRate;
    private double expectedCost;
    private Instant at;

    /**
     * Takes the expected cost of the next query, sent at {@code now}, and answers zero; or, when fewer points
     * are left, takes nothing and answers how long until there will be enough. Nothing known yet: zero.
     */
    synchronized Duration take(Instant now) {
        if (!known) {
            return Duration.ZERO;
        }
        double points = availableAt(now);
        double needed = Math.min(expectedCost, maximumAvailable);
        if (points >= needed) {
            available = points - expectedCost;
            at = now;
            return Duration.ZERO;
        }
        return Duration.ofMillis(Math.max(1, (long) Math.ceil((needed - points) * 1000 / restoreRate)));
    }

    /** Records what a response received at {@code now} reported; its requested cost is the next one's expected. */
    synchronized void observe(QueryCost cost, Instant now) {
        known = true;
        maximumAvailable = cost.maximumAvailable();
        available = cost.currentlyAvailable();
        restoreRate = cost.restoreRate();
        expectedCost = cost.requested();
        at = now;
    }

    /** The next query is expected to cost {@code points}, not what the last one requested. */
    synchronized void expect(double points) {
        expectedCost = points;
    }

    private double availableAt(Instant now) {
        double nanos = Math.max(0, Duration.between(at, now).toNanos());
        return Math.min(maximumAvailable, available + nanos * restoreRate / 1e9);
    }
}
