package io.paperrun.integration.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A {@code Retry-After} header's wait: delay-seconds, or an HTTP date; nothing when absent or unreadable. Without
 * it, a rate-limit reset header ({@code X-Rate-Limit-Reset}, {@code X-RateLimit-Reset}, {@code RateLimit-Reset})
 * says when the window resets: seconds from now, or epoch seconds when larger than a billion.
 */
public final class RetryAfter {

    private RetryAfter() {}

    /** The wait that {@code header} asks for at {@code now}, never negative. */
    public static Optional<Duration> parse(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.strip();
        if (value.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
            } catch (NumberFormatException tooLarge) {
                return Optional.of(Duration.ofSeconds(Long.MAX_VALUE / 1_000_000_000L));
            }
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
            Duration wait = Duration.between(now, at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException unreadable) {
            return Optional.empty();
        }
    }

    /** The headers that say when a rate-limit window resets, as Lob, Stannp and Klaviyo name them. */
    private static final List<String> RESET_HEADERS =
            List.of("X-Rate-Limit-Reset", "X-RateLimit-Reset", "RateLimit-Reset");

    /** The wait {@code Retry-After} asks for, else the wait until the window a reset header names resets. */
    public static Optional<Duration> of(UnaryOperator<String> headers, Instant now) {
        Optional<Duration> retryAfter = parse(headers.apply("Retry-After"), now);
        if (retryAfter.isPresent()) {
            return retryAfter;
        }
        for (String name : RESET_HEADERS) {
            String value = headers.apply(name);
            if (value != null && !value.isBlank() && value.strip().chars().allMatch(Character::isDigit)) {
                try {
                    long seconds = Long.parseLong(value.strip());
                    Duration wait = seconds > 1_000_000_000L
                            ? Duration.between(now, Instant.ofEpochSecond(seconds))
                            : Duration.ofSeconds(seconds);
                    return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
                } catch (NumberFormatException tooLarge) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
