package io.paperrun.mailing;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * What the printer says of a sent piece: its delivery status ({@code null} while it is not yet in the mail), the
 * in-home date once delivered, whether the printer will say no more of it ({@code finished}: delivered, returned,
 * cancelled), and its events so far, oldest first.
 */
public record PieceTracking(DeliveryStatus status, LocalDate inHomeDate, boolean finished, List<Event> events) {

    public PieceTracking {
        events = List.copyOf(events);
    }

    /** One event of the printer's tracking, by its id at the printer (stable across reads). */
    public record Event(String id, String name, Instant time) {}
}
