package io.paperrun.integration.http;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/** The time source of retries: what time it is, and waiting. Tests replace it to wait for nothing. */
public interface Sleeper {

    Instant now();

    void sleep(Duration duration) throws InterruptedException;

    /** The system clock and {@link TimeUnit#sleep(long)}. */
    static Sleeper system() {
        return new Sleeper() {
            @Override
            public Instant now() {
                return Instant.now();
            }

            @Override
            public void sleep(Duration duration) throws InterruptedException {
                TimeUnit.NANOSECONDS.sleep(duration.toNanos());
            }
        };
    }
}
