package io.paperrun.integration.csv;

import io.paperrun.batch.Excerpt;
import io.paperrun.batch.RejectedRowException;
import io.paperrun.batch.StorableValues;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVRecord;

/** One record of a CSV file, with typed accessors that reject the row with a clear reason. */
public final class CsvRow {

    private final CSVRecord record;
    private final Map<String, Integer> columns;

    /** @param columns the file's header: each column's index, read once per file */
    CsvRow(CSVRecord record, Map<String, Integer> columns) {
        this.record = record;
        this.columns = columns;
    }

    /**
     * The longest value a column may have, in characters (Shopify caps ids, emails, codes and address lines at
     * 255): some are indexed, and PostgreSQL refuses an index entry over about 2,700 bytes.
     */
    static final int MAX_LENGTH = 255;

    /**
     * The trimmed value of a column, or null when the column is absent or blank. A value the database cannot
     * store (longer than {@link #MAX_LENGTH}, or with a NUL character, even one the trim would drop) rejects
     * the row; the columns a file has and nothing reads are not checked.
     */
    public String text(String column) throws RejectedRowException {
        Integer index = columns.get(column);
        if (index == null || index >= record.size()) {
            return null;
        }
        String raw = record.get(index);
        String v = raw.trim();
        if (v.length() > MAX_LENGTH || !StorableValues.text(raw)) {
            throw unstorable(column, v);
        }
        return v.isEmpty() ? null : v;
    }

    /** The rejection of a value {@link #text} cannot give, built out of it: it runs for every field read. */
    private static RejectedRowException unstorable(String column, String v) {
        return new RejectedRowException(column
                + (v.length() > MAX_LENGTH
                        ? " is longer than " + MAX_LENGTH + " characters (" + v.length() + ")"
                        : " contains a NUL character (byte 0), which the database cannot store"));
    }

    public String required(String column) throws RejectedRowException {
        String v = text(column);
        if (v == null) {
            throw new RejectedRowException(column + " is required");
        }
        return v;
    }

    /** An ISO-8601 instant with offset or Z. */
    public Instant instant(String column) throws RejectedRowException {
        String v = text(column);
        if (v == null) {
            return null;
        }
        Instant instant;
        try {
            Instant utc = utcSeconds(v);
            instant = utc != null ? utc : OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw new RejectedRowException(
                    column + " " + Excerpt.quote(v) + " is not an ISO-8601 instant with offset or Z");
        }
        return withinYears(column, v, instant);
    }

    /** The instant as it is stored ({@link StorableValues#asStored}), unless it lies outside the years stored. */
    private static Instant withinYears(String column, String v, Instant instant) throws RejectedRowException {
        if (!StorableValues.instant(instant)) {
            throw new RejectedRowException(column + " " + Excerpt.quote(v) + " is outside " + StorableValues.YEARS);
        }
        return StorableValues.asStored(instant);
    }

    /**
     * The instant of {@code yyyy-MM-ddTHH:mm:ssZ}, the form nearly every export writes, read directly; null for
     * any other form (or an impossible date or time), which {@link OffsetDateTime#parse} then reads or refuses.
     */
    static Instant utcSeconds(String v) {
        if (v.length() != 20
                || v.charAt(4) != '-'
                || v.charAt(7) != '-'
                || v.charAt(10) != 'T'
                || v.charAt(13) != ':'
                || v.charAt(16) != ':'
                || v.charAt(19) != 'Z') {
            return null;
        }
        int year = digits(v, 0, 4), month = digits(v, 5, 7), day = digits(v, 8, 10);
        int hour = digits(v, 11, 13), minute = digits(v, 14, 16), second = digits(v, 17, 19);
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59
                || day > Month.of(month).length(Year.isLeap(year))) {
            return null;
        }
        return Instant.ofEpochSecond(
                LocalDate.of(year, month, day).toEpochDay() * 86_400L + hour * 3_600L + minute * 60L + second);
    }

    /** The decimal number written in {@code v[from, to)} with ASCII digits only, or -1. */
    private static int digits(String v, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** An ISO-8601 instant, or a calendar date taken as the start of that day in UTC. */
    public Instant instantOrDate(String column) throws RejectedRowException {
        String v = text(column);
        if (v != null && v.length() == 10) {
            try {
                return withinYears(
                        column,
                        v,
                        LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant());
            } catch (DateTimeParseException e) {
                throw new RejectedRowException(
                        column + " " + Excerpt.quote(v) + " is not a date or an ISO-8601 instant");
            }
        }
        return instant(column);
    }

    /**
     * An amount of money written as a plain decimal ({@code 12}, {@code 12.5}, {@code -3.20}): an exponent, a
     * thousands separator or a currency sign rejects the row, saying which.
     */
    public BigDecimal money(String column) throws RejectedRowException {
        String v = text(column);
        if (v == null) {
            return null;
        }
        if (!isPlainDecimal(v)) {
            String quoted = column + " " + Excerpt.quote(v);
            if (CURRENCY_SIGN.matcher(v).find()) {
                throw new RejectedRowException(quoted + " is not a plain decimal amount: it has a currency sign");
            }
            if (v.matches("[-+]?[0-9.,]*[0-9][.,][0-9]{3}([.,][0-9]*)?")) {
                throw new RejectedRowException(
                        quoted + " is not a plain decimal amount: it has a thousands " + "separator");
            }
            if (v.matches("[-+]?[0-9]*\\.?[0-9]+[eE][-+]?[0-9]+")) {
                throw new RejectedRowException(quoted + " is not a plain decimal amount: it has an exponent");
            }
            throw new RejectedRowException(quoted + " is not a number");
        }
        return new BigDecimal(v);
    }

    /** {@code -?([0-9]+(\.[0-9]*)?|\.[0-9]+)}, read without a regular expression: it runs for every order. */
    static boolean isPlainDecimal(String v) {
        int i = v.startsWith("-") ? 1 : 0;
        boolean digits = false;
        boolean point = false;
        for (; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c >= '0' && c <= '9') {
                digits = true;
            } else if (c == '.' && !point) {
                point = true;
            } else {
                return false;
            }
        }
        return digits;
    }

    private static final Pattern CURRENCY_SIGN = Pattern.compile("\\p{Sc}");
}
