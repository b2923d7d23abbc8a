package io.paperrun.batch;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collection;

/**
 * A text array as one PostgreSQL array literal ({@code {"a","b",NULL}}), bound as a single text parameter and
 * cast in SQL ({@code :values::text[]}): cheaper for a chunk's thousands of values than the driver's array encoder.
 */
public final class TextArray {

    private TextArray() {}

    public static String of(String[] values) {
        StringBuilder literal = new StringBuilder(values.length * 16 + 2).append('{');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                literal.append(',');
            }
            append(literal, values[i]);
        }
        return literal.append('}').toString();
    }

    public static String of(Collection<String> values) {
        return of(values.toArray(String[]::new));
    }

    /**
     * Instants as a literal of ISO-8601 UTC texts, for {@code ::timestamptz[]}: {@code yyyy-MM-ddTHH:mm:ssZ}
     * with the fraction of a second when there is one.
     */
    public static String of(Instant[] values) {
        StringBuilder literal = new StringBuilder(values.length * 24 + 2).append('{');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                literal.append(',');
            }
            Instant value = values[i];
            if (value == null) {
                literal.append("NULL");
            } else {
                appendIso(literal, value);
            }
        }
        return literal.append('}').toString();
    }

    static void appendIso(StringBuilder out, Instant value) {
        LocalDateTime utc = LocalDateTime.ofEpochSecond(value.getEpochSecond(), value.getNano(), ZoneOffset.UTC);
        if (utc.getYear() < 1 || utc.getYear() > 9999) {
            out.append(value); // outside four-digit years: the general form
            return;
        }
        digits(out, utc.getYear(), 4).append('-');
        digits(out, utc.getMonthValue(), 2).append('-');
        digits(out, utc.getDayOfMonth(), 2).append('T');
        digits(out, utc.getHour(), 2).append(':');
        digits(out, utc.getMinute(), 2).append(':');
        digits(out, utc.getSecond(), 2);
        if (utc.getNano() > 0) {
            out.append('.');
            digits(out, utc.getNano(), 9);
        }
        out.append('Z');
    }

    /** {@code value} in {@code width} decimal digits, zero-padded on the left. */
    private static StringBuilder digits(StringBuilder out, int value, int width) {
        int at = out.length();
        out.setLength(at + width);
        for (int i = at + width - 1; i >= at; i--, value /= 10) {
            out.setCharAt(i, (char) ('0' + value % 10));
        }
        return out;
    }

    private static void append(StringBuilder literal, String value) {
        if (value == null) {
            literal.append("NULL");
            return;
        }
        literal.append('"');
        if (value.indexOf('"') < 0 && value.indexOf('\\') < 0) {
            literal.append(value).append('"'); // nothing to escape: copied whole (most values)
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                literal.append('\\');
            }
            literal.append(c);
        }
        literal.append('"');
    }
}
