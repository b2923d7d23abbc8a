package io.paperrun.integration.shopify;

import io.paperrun.integration.http.Sleeper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A clock that moves only when slept on: a source's waits and a fake shop's bucket share it, and nothing waits. */
final class VirtualClock implements Sleeper {

    static final Instant START = Instant.parse("2026-06-01T12:00:00Z");

    private Instant now = START;
    private final List<Duration> sleeps = new ArrayList<>();

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public synchronized void sleep(Duration duration) {
        sleeps.add(duration);
        now = now.plus(duration);
    }

    synchronized List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }

    synchronized Duration slept() {
        return sleeps.stream().reduce(Duration.ZERO, Duration::plus);
    }
}
