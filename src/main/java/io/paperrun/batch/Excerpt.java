package io.paperrun.batch;

/** A value from the user's input as a message quotes it: whole when short, else its start and its length. */
public final class Excerpt {

    /** The most characters of a value a message quotes. */
    public static final int LIMIT = 200;

    private Excerpt() {}

    /** {@code 'value'}, or {@code 'its first 200 characters...' (N characters)}. */
    public static String quote(String value) {
        return value.length() <= LIMIT
                ? "'" + value + "'"
                : "'" + start(value) + "...' (" + value.length() + " characters)";
    }

    /** The value, or its first 200 characters and its length, unquoted. */
    public static String of(String value) {
        return value.length() <= LIMIT ? value : start(value) + "... (" + value.length() + " characters)";
    }

    /** The first {@link #LIMIT} characters, not splitting a surrogate pair. */
    private static String start(String value) {
        return value.substring(0, Character.isHighSurrogate(value.charAt(LIMIT - 1)) ? LIMIT - 1 : LIMIT);
    }
}
