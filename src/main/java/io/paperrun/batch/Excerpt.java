package io.paperrun.batch;

/** A value from the user's input as a message quotes it: whole when short, else its start and its length. */
public final class Excerpt {

    /** The most characters of a value a message quotes. */
    public static final int LIMIT = 200;

    private Excerpt() {}

    /** {@code 'value'}, or {@code 'its first 200 characters...' (N characters)}. */
    public static String quote(String value) {
        if (value.length() <= LIMIT) {
            return "'" + value + "'";
        }
        int end = Character.isHighSurrogate(value.charAt(LIMIT - 1)) ? LIMIT - 1 : LIMIT;
        return "'" + value.substring(0, end) + "...' (" + value.length() + " characters)";
    }

    /** The value, or its first 200 characters and its length, unquoted. */
    public static String of(String value) {
        if (value.length() <= LIMIT) {
            return value;
        }
        int end = Character.isHighSurrogate(value.charAt(LIMIT - 1)) ? LIMIT - 1 : LIMIT;
        return value.substring(0, end) + "... (" + value.length() + " characters)";
    }
}
