package io.paperrun.experiment;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Numbers as the reports show them to people, Locale.US style: counts and money with thousands separators,
 * percentages with one decimal, ratios with a {@code ×}. A value that rounds to zero never shows a minus sign.
 */
final class Figures {

    static final String UNDEFINED = "—";

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.US).withZone(ZoneOffset.UTC);

    private Figures() {}

    /** {@code 1000000} as {@code 1,000,000}. */
    static String count(long n) {
        return String.format(Locale.US, "%,d", n);
    }

    /** A count or a count with a fraction (incremental customers): {@code 24.0}, {@code 1,234.5}. */
    static String count(double n) {
        return signed(String.format(Locale.US, "%,.1f", n));
    }

    /** Money with two decimals and thousands separators, no currency sign: {@code 1,750.50}. */
    static String money(BigDecimal amount) {
        return amount == null ? UNDEFINED : signed(String.format(Locale.US, "%,.2f", amount));
    }

    static String money(double amount) {
        return signed(String.format(Locale.US, "%,.2f", amount));
    }

    /** Money per recipient: two decimals, more below 0.10 to keep two significant digits ({@code 0.0034}). */
    static String moneyPrecise(double amount) {
        double a = Math.abs(amount);
        int decimals = a == 0 || a >= 0.1 ? 2 : Math.min(8, (int) Math.ceil(-Math.log10(a)) + 1);
        return amount(amount, decimals);
    }

    /** A number with {@code decimals} decimals and thousands separators. */
    static String amount(double x, int decimals) {
        return signed(String.format(Locale.US, "%,." + decimals + "f", x));
    }

    /** A share as a percentage with one decimal ({@code 0.0213} is {@code 2.1%}); two decimals below 0.1%. */
    static String percent(double share) {
        double p = share * 100;
        String digits = Math.abs(p) < 0.1 && p != 0 ? "%.2f" : "%,.1f";
        return signed(String.format(Locale.US, digits, p)) + "%";
    }

    /** A difference of two rates in percentage points: {@code 0.041} is {@code 4.1 points}. */
    static String points(double difference) {
        String p = percent(difference);
        return p.substring(0, p.length() - 1) + " points";
    }

    /** A probability in whole percent, never rounded up to 100% nor down to 0%: {@code over 99%}. */
    static String probability(double p) {
        long whole = Math.round(p * 100);
        if (whole >= 100 && p < 1) {
            return "over 99%";
        }
        if (whole <= 0 && p > 0) {
            return "under 1%";
        }
        return whole + "%";
    }

    /** A ratio with one decimal, two when one would show 1.0 for a ratio that is not 1: {@code 1.7×}. */
    static String ratio(double r) {
        String one = String.format(Locale.US, "%,.1f", r);
        if (one.equals("1.0") && r != 1) {
            return String.format(Locale.US, "%.2f", r) + "×";
        }
        return signed(one) + "×";
    }

    /** A return on spend with two decimals: {@code 2.18×}. */
    static String roas(double r) {
        return signed(String.format(Locale.US, "%,.2f", r)) + "×";
    }

    /** A p-value with four decimals, {@code < 0.0001} below. */
    static String pValue(double p) {
        return p < 0.0001 ? "< 0.0001" : String.format(Locale.US, "%.4f", p);
    }

    /** An instant to the minute in UTC: {@code 2026-12-04 15:14 UTC}. */
    static String time(Instant t) {
        return t == null ? UNDEFINED : TIME.format(t);
    }

    /** {@code 1 recipient}, {@code 2 recipients}. */
    static String plural(long n, String one, String many) {
        return count(n) + " " + (n == 1 ? one : many);
    }

    /** Drops the minus of a number that rounds to zero: {@code -0.0} is {@code 0.0}. */
    private static String signed(String formatted) {
        if (formatted.startsWith("-") && formatted.chars().noneMatch(c -> c >= '1' && c <= '9')) {
            return formatted.substring(1);
        }
        return formatted;
    }
}
