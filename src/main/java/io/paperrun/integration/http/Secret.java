package io.paperrun.integration.http;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An API key or token. Its text form and its JSON form are {@value #REDACTED}; only
 * {@link #reveal()} gives the value, for the one place that puts it on the wire.
 */
public final class Secret {

    /** What a secret looks like in logs, messages and JSON. */
    public static final String REDACTED = "[redacted]";

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /** A secret holding {@code value}, which must not be empty. */
    public static Secret of(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("a secret cannot be empty");
        }
        return new Secret(value);
    }

    /** The value itself: for an authentication header, never for a message. */
    public String reveal() {
        return value;
    }

    @JsonValue
    @Override
    public String toString() {
        return REDACTED;
    }
}
