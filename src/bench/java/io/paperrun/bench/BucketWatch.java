package io.paperrun.bench;

import io.paperrun.integration.shopify.FakeShopify;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * A fake shop's requests, passed on to it, watching its cost bucket: the points the bucket could not hold while
 * it stood full between two requests (the API idle while the client was busy elsewhere), in all, at most at once,
 * and when last.
 */
final class BucketWatch extends Dispatcher {

    /**
     * Points lost to a full bucket: in all, before how many requests, the most before one, and how long after the
     * first request the last of those requests came.
     */
    record Lost(double points, int requests, double most, double lastSeconds) {}

    private final FakeShopify shop;
    private final double size;
    private final double restoreRate;
    private double level;
    private long at;
    private long first;
    private boolean started;
    private double lost;
    private int requestsAfterLoss;
    private double most;
    private long lastLoss;

    /** Watches {@code shop}, whose bucket holds {@code size} points, full at the start, restoring {@code restoreRate}. */
    BucketWatch(FakeShopify shop, double size, double restoreRate) {
        this.shop = shop;
        this.size = size;
        this.restoreRate = restoreRate;
        this.level = size;
    }

    @Override
    public synchronized MockResponse dispatch(RecordedRequest request) {
        long now = System.nanoTime();
        if (started) {
            double restored = level + (now - at) * restoreRate / 1e9;
            if (restored > size) {
                lost += restored - size;
                lastLoss = now - first;
                most = Math.max(most, restored - size);
                requestsAfterLoss++;
            }
            level = Math.min(size, restored);
        }
        if (!started) {
            first = now;
        }
        started = true;
        at = now;
        double spentBefore = shop.pointsSpent();
        MockResponse response = shop.dispatch(request);
        level -= shop.pointsSpent() - spentBefore;
        return response;
    }

    synchronized Lost lost() {
        return new Lost(lost, requestsAfterLoss, most, lastLoss / 1e9);
    }
}
