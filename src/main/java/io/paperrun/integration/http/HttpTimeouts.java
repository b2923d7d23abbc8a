package io.paperrun.integration.http;

import java.time.Duration;

/**
 * How long one attempt may take: to connect, between two reads (or writes), and in all (the call
 * timeout, which also bounds the wait for a rate-limit permit).
 */
public record HttpTimeouts(Duration connect, Duration read, Duration call) {

    /** Connect 10 s, read 30 s, whole attempt 60 s. */
    public static final HttpTimeouts DEFAULT =
            new HttpTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60));

    public HttpTimeouts {
        requirePositive(connect, "connect");
        requirePositive(read, "read");
        requirePositive(call, "call");
    }

    private static void requirePositive(Duration timeout, String name) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the " + name + " timeout must be positive");
        }
    }
}
