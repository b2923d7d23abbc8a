package io.paperrun.campaign;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.ZoneOffset;

/**
 * How long after a mailing an order can be credited to it: a campaign's
 * {@code min_days}/{@code max_days}, and the BFCM cutoff. "N days" is N × 24 hours.
 */
public record AttributionWindow(int minDays, int maxDays) {

    public static final AttributionWindow HOLDOUT = new AttributionWindow(1, 60);
    public static final AttributionWindow FIRST_PURCHASE = new AttributionWindow(3, 180);
    public static final AttributionWindow BFCM = new AttributionWindow(3, 63);
    public static final AttributionWindow STANDARD = new AttributionWindow(3, 63);

    private static final MonthDay BFCM_EARLIEST_END = MonthDay.of(11, 13);

    /** The window of a campaign: holdout-enabled campaigns first, whatever their trigger. */
    public static AttributionWindow of(boolean holdoutEnabled, FlowTrigger trigger) {
        if (holdoutEnabled) {
            return HOLDOUT;
        }
        return switch (trigger) {
            case FIRST_PURCHASE -> FIRST_PURCHASE;
            case BFCM -> BFCM;
            case STANDARD -> STANDARD;
        };
    }

    /**
     * Whether an order falls in the window: {@code start = max(firstSend, recipientCreated) + min_days},
     * passes iff {@code start <= orderTime < start + max_days}. No first send date: it never does.
     */
    public boolean contains(Instant orderTime, Instant firstSendDate, Instant recipientCreatedAt) {
        if (firstSendDate == null || recipientCreatedAt == null) {
            return false;
        }
        Instant later = firstSendDate.isAfter(recipientCreatedAt) ? firstSendDate : recipientCreatedAt;
        Instant start = later.plus(Duration.ofDays(minDays));
        Instant end = start.plus(Duration.ofDays(maxDays));
        return !orderTime.isBefore(start) && orderTime.isBefore(end);
    }

    /** BFCM cutoff date: {@code min(end_date + 2 days, 31 December of end_date's year)}. */
    public static LocalDate bfcmCutoff(LocalDate endDate) {
        LocalDate plusTwo = endDate.plusDays(2);
        LocalDate yearEnd = LocalDate.of(endDate.getYear(), 12, 31);
        return plusTwo.isAfter(yearEnd) ? yearEnd : plusTwo;
    }

    /** Whether an order's UTC calendar date is after the BFCM cutoff date. */
    public static boolean afterBfcmCutoff(Instant orderTime, LocalDate endDate) {
        return orderTime.atZone(ZoneOffset.UTC).toLocalDate().isAfter(bfcmCutoff(endDate));
    }

    /** A BFCM campaign's end date must lie between 13 November and 31 December. */
    public static boolean isValidBfcmEndDate(LocalDate endDate) {
        return endDate != null && !MonthDay.from(endDate).isBefore(BFCM_EARLIEST_END);
    }
}
