package io.paperrun.batch;

import org.apache.commons.csv.CSVRecord;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** One record of a CSV file, with typed accessors that reject the row with a clear reason. */
public final class CsvRow {

    private final CSVRecord record;

    CsvRow(CSVRecord record) {
        this.record = record;
    }

    /** The trimmed value of a column, or null when the column is absent or blank. */
    public String text(String column) {
        if (!record.isMapped(column) || !record.isSet(column)) {
            return null;
        }
        String v = record.get(column).trim();
        return v.isEmpty() ? null : v;
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
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw new RejectedRowException(column + " '" + v + "' is not an ISO-8601 instant with offset or Z");
        }
    }

    /** An ISO-8601 instant, or a calendar date taken as the start of that day in UTC. */
    public Instant instantOrDate(String column) throws RejectedRowException {
        String v = text(column);
        if (v != null && v.length() == 10) {
            try {
                return java.time.LocalDate.parse(v).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e) {
                throw new RejectedRowException(column + " '" + v + "' is not a date or an ISO-8601 instant");
            }
        }
        return instant(column);
    }

    public BigDecimal decimal(String column) throws RejectedRowException {
        String v = text(column);
        if (v == null) {
            return null;
        }
        try {
            return new BigDecimal(v);
        } catch (NumberFormatException e) {
            throw new RejectedRowException(column + " '" + v + "' is not a number");
        }
    }
}
