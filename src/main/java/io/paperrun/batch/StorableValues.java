package io.paperrun.batch;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * What PostgreSQL can store of the values users give (files, apply files, command-line dates), where Java
 * accepts more: checked where the value comes in, so that a value out of range is refused with its reason
 * instead of failing, later, the statement (and the chunk, the job and every restart) that writes it.
 */
public final class StorableValues {

    /** The years a date or an instant may fall in, as the refusals say: within {@value}. */
    public static final String YEARS = "the years 0001 to 9999";

    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private StorableValues() {}

    /** Whether the date falls within {@link #YEARS}. */
    public static boolean date(LocalDate date) {
        return date.getYear() >= 1 && date.getYear() <= 9999;
    }

    /** Whether the instant falls within {@link #YEARS} (in UTC). */
    public static boolean instant(Instant instant) {
        return !instant.isBefore(EARLIEST) && !instant.isAfter(LATEST);
    }

    /**
     * The instant as it is stored: truncated to the microsecond a {@code timestamptz} holds. Every instant that
     * comes in passes through here first; PostgreSQL would round it, which can carry it across midnight, a
     * window's edge or a BFCM cutoff.
     */
    public static Instant asStored(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * An amount as a {@code numeric(14,2)} column stores it: two decimals, rounded half away from zero as
     * PostgreSQL rounds. {@code 45} and {@code 45.00} are then the same amount, as they are once stored.
     */
    public static BigDecimal asStoredMoney(BigDecimal amount) {
        return amount == null || amount.scale() == 2 ? amount : amount.setScale(2, RoundingMode.HALF_UP);
    }

    /** Whether PostgreSQL can store the text: it refuses the NUL character (byte 0) in any text. */
    public static boolean text(String text) {
        return text.indexOf('\0') < 0;
    }
}
