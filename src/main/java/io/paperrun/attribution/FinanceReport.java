package io.paperrun.attribution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import javax.sql.DataSource;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code report finance}: an organization's attributed orders and revenue by campaign, UTC month of the order and
 * currency, over the orders {@code export attributions} writes for the same dates. An order counts when its
 * attribution passes the rules and is not archived; the mailed group's are the campaign's, the control group's
 * are given apart.
 */
@Component
public class FinanceReport {

    public static final String[] HEADER = {
        "campaign", "month", "currency", "orders", "revenue", "holdout_orders", "holdout_revenue"
    };

    private final JdbcTemplate jdbc;

    public FinanceReport(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** What was written: rows, the mailed group's orders and revenue, and attributions not processed yet. */
    public record Summary(long rows, long orders, BigDecimal revenue, long unprocessed) {}

    /** @param from inclusive; @param to exclusive (UTC dates of the order) */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public Summary write(long organizationId, LocalDate from, LocalDate to, Writer out) {
        Timestamp fromTs = Timestamp.from(from.atStartOfDay(ZoneOffset.UTC).toInstant());
        Timestamp toTs = Timestamp.from(to.atStartOfDay(ZoneOffset.UTC).toInstant());
        long[] counts = new long[2];
        BigDecimal[] revenue = {BigDecimal.ZERO};
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
                    SELECT c.key,
                           to_char(o.ordered_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month,
                           coalesce(o.currency, '') AS currency,
                           count(*) FILTER (WHERE NOT a.holdout) AS orders,
                           coalesce(sum(o.total) FILTER (WHERE NOT a.holdout), 0) AS revenue,
                           count(*) FILTER (WHERE a.holdout) AS holdout_orders,
                           coalesce(sum(o.total) FILTER (WHERE a.holdout), 0) AS holdout_revenue
                    FROM attribution a
                    JOIN customer_order o ON o.id = a.order_id
                    JOIN campaign c ON c.id = a.campaign_id
                    WHERE a.organization_id = ? AND o.ordered_at >= ? AND o.ordered_at < ?
                      AND a.processed AND a.passes_rules AND NOT a.archived
                    GROUP BY 1, 2, 3
                    ORDER BY 1, 2, 3
                    """,
                    rs -> {
                        try {
                            printer.printRecord(
                                    rs.getString(1),
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getLong(4),
                                    rs.getBigDecimal(5).toPlainString(),
                                    rs.getLong(6),
                                    rs.getBigDecimal(7).toPlainString());
                            counts[0]++;
                            counts[1] += rs.getLong(4);
                            revenue[0] = revenue[0].add(rs.getBigDecimal(5));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    },
                    organizationId,
                    fromTs,
                    toTs);
            printer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Long unprocessed = jdbc.queryForObject("""
                SELECT count(*) FROM attribution_pending p
                JOIN attribution a ON a.id = p.attribution_id JOIN customer_order o ON o.id = a.order_id
                WHERE p.organization_id = ? AND o.ordered_at >= ? AND o.ordered_at < ?
                """, Long.class, organizationId, fromTs, toTs);
        return new Summary(counts[0], counts[1], revenue[0], unprocessed == null ? 0 : unprocessed);
    }
}
