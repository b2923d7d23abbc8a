package io.paperrun.integration.klaviyo;

import io.paperrun.integration.http.Sleeper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A sleeper that waits for nothing: each sleep moves its clock on and is recorded. */
final class FakeSleeper implements Sleeper {

    private Instant now = Instant.parse("2026-06-01T12:00:00Z");
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
}
