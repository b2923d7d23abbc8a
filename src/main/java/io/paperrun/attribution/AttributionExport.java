package io.paperrun.attribution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import javax.sql.DataSource;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes an organization's attributions as CSV, ordered by order time then order
 * id, streamed from a cursor (never the whole table in memory).
 */
@Component
public class AttributionExport {

    public static final String[] HEADER = {
        "order_id",
        "order_created_at",
        "order_value",
        "campaign",
        "recipient_external_id",
        "recipient_email",
        "method",
        "holdout",
        "passes_rules",
        "order_count",
        "archived"
    };

    private final JdbcTemplate jdbc;

    public AttributionExport(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.jdbc.setFetchSize(5000);
    }

    public record Summary(long rows, long unprocessed) {}

    /** @param from inclusive, or null; @param to exclusive, or null (UTC dates of the order) */
    @Transactional(readOnly = true)
    public Summary write(long organizationId, LocalDate from, LocalDate to, Writer out) {
        Timestamp fromTs = from == null
                ? null
                : Timestamp.from(from.atStartOfDay(ZoneOffset.UTC).toInstant());
        Timestamp toTs = to == null
                ? null
                : Timestamp.from(to.atStartOfDay(ZoneOffset.UTC).toInstant());
        long[] counts = new long[2];
        try {
            CSVPrinter printer = new CSVPrinter(
                    out,
                    CSVFormat.DEFAULT
                            .builder()
                            .setHeader(HEADER)
                            .setRecordSeparator("\n")
                            .get());
            jdbc.query(
                    """
                    SELECT o.provider_order_id, o.ordered_at, o.total, c.key, r.external_id, r.email, a.method,
                           a.holdout, a.processed, a.passes_rules, a.order_count, a.archived
                    FROM attribution a
                    JOIN customer_order o ON o.id = a.order_id
                    JOIN campaign c ON c.id = a.campaign_id
                    LEFT JOIN recipient r ON r.id = a.recipient_id
                    WHERE a.organization_id = ?
                      AND (CAST(? AS timestamptz) IS NULL OR o.ordered_at >= ?)
                      AND (CAST(? AS timestamptz) IS NULL OR o.ordered_at < ?)
                    ORDER BY o.ordered_at, o.provider_order_id
                    """,
                    rs -> {
                        try {
                            boolean processed = rs.getBoolean(9);
                            Object orderCount = rs.getObject(11);
                            printer.printRecord(
                                    rs.getString(1),
                                    rs.getTimestamp(2)
                                            .toInstant()
                                            .truncatedTo(ChronoUnit.MICROS)
                                            .toString(),
                                    rs.getBigDecimal(3).toPlainString(),
                                    rs.getString(4),
                                    empty(rs.getString(5)),
                                    empty(rs.getString(6)),
                                    rs.getString(7),
                                    Boolean.toString(rs.getBoolean(8)),
                                    processed ? Boolean.toString(rs.getBoolean(10)) : "",
                                    processed && orderCount != null ? orderCount.toString() : "",
                                    Boolean.toString(rs.getBoolean(12)));
                            counts[0]++;
                            counts[1] += processed ? 0 : 1;
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    },
                    organizationId,
                    fromTs,
                    fromTs,
                    toTs,
                    toTs);
            printer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Summary(counts[0], counts[1]);
    }

    private static String empty(String s) {
        return s == null ? "" : s;
    }
}
