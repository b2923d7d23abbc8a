package io.paperrun.cli;

import io.paperrun.batch.StorableValues;
import java.io.PrintWriter;
import java.time.LocalDate;

/** The {@code --from}/{@code --to} UTC dates of orders a command reads: from inclusive, to exclusive, either open. */
final class OrderDates {

    private OrderDates() {}

    /** False, and why said in one line after {@code command}, when the dates cannot be used. */
    static boolean usable(String command, LocalDate from, LocalDate to, PrintWriter err) {
        if (from != null && to != null && !from.isBefore(to)) {
            err.println(command + ": --from " + from + " must be before --to " + to);
            return false;
        }
        for (LocalDate date : new LocalDate[] {from, to}) {
            if (date != null && !StorableValues.date(date)) {
                err.println(command + ": --from and --to must be within " + StorableValues.YEARS + ", not " + date);
                return false;
            }
        }
        return true;
    }
}
