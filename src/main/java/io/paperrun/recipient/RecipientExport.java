package io.paperrun.recipient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.temporal.ChronoUnit;
import javax.sql.DataSource;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes an organization's recipients as CSV ({@code export recipients}), ordered by campaign key then external_id
 * (byte order; recipients without one last), streamed from a cursor (never the whole table in memory).
 */
@Component
public class RecipientExport {

    public static final String[] HEADER = {
        "campaign",
        "external_id",
        "email",
        "first_name",
        "last_name",
        "address1",
        "address2",
        "city",
        "region",
        "zip",
        "country",
        "address_source",
        "status",
        "status_reason",
        "holdout",
        "created_at",
        "sent_at",
        "printer",
        "provider_piece_id",
        "cost",
        "delivery_status",
        "in_home_date",
        "discount_code",
        "proof_front",
        "proof_back",
        "preview"
    };

    private final JdbcTemplate jdbc;

    public RecipientExport(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.jdbc.setFetchSize(5000);
    }

    /**
     * Writes the recipients of the organization, or of its campaign {@code campaignId} (null: all campaigns).
     *
     * @return how many rows were written
     */
    @Transactional(readOnly = true)
    public long write(long organizationId, Long campaignId, Writer out) {
        long[] rows = {0};
        try {
            CSVPrinter printer = new CSVPrinter(
                    out,
                    CSVFormat.DEFAULT
                            .builder()
                            .setHeader(HEADER)
                            .setRecordSeparator("\n")
                            .get());
            // status_reason only for the statuses that have one; holdout only for the control group: a holdout
            // later suppressed (no_address) or undeliverable belongs to neither group (pipeline-rules.md §1).
            jdbc.query(
                    """
                    SELECT c.key, r.external_id, r.email, r.first_name, r.last_name, r.address1, r.address2, r.city,
                           r.region, r.zip, r.country, r.address_source, r.status,
                           CASE WHEN r.status IN ('suppressed', 'undeliverable', 'failed')
                                THEN r.suppression_reason END,
                           r.status = 'holdout', r.created_at, r.sent_at, r.provider, r.provider_piece_id, r.cost,
                           r.delivery_status, r.in_home_date, r.discount_code, r.proof_front, r.proof_back, r.preview
                    FROM recipient r
                    JOIN campaign c ON c.id = r.campaign_id
                    WHERE r.organization_id = ?
                      AND (CAST(? AS bigint) IS NULL OR r.campaign_id = ?)
                    ORDER BY c.key COLLATE "C", r.external_id COLLATE "C" NULLS LAST, r.natural_key, r.id
                    """,
                    rs -> {
                        try {
                            printer.printRecord(
                                    text(rs, 1),
                                    text(rs, 2),
                                    text(rs, 3),
                                    text(rs, 4),
                                    text(rs, 5),
                                    text(rs, 6),
                                    text(rs, 7),
                                    text(rs, 8),
                                    text(rs, 9),
                                    text(rs, 10),
                                    text(rs, 11),
                                    text(rs, 12),
                                    text(rs, 13),
                                    text(rs, 14),
                                    Boolean.toString(rs.getBoolean(15)),
                                    instant(rs, 16),
                                    instant(rs, 17),
                                    text(rs, 18),
                                    text(rs, 19),
                                    money(rs.getBigDecimal(20)),
                                    text(rs, 21),
                                    text(rs, 22), // a date: yyyy-MM-dd
                                    text(rs, 23),
                                    text(rs, 24),
                                    text(rs, 25),
                                    text(rs, 26));
                            rows[0]++;
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    },
                    organizationId,
                    new SqlParameterValue(Types.BIGINT, campaignId),
                    new SqlParameterValue(Types.BIGINT, campaignId));
            printer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows[0];
    }

    private static String text(ResultSet rs, int column) throws SQLException {
        String value = rs.getString(column);
        return value == null ? "" : value;
    }

    /** ISO-8601 UTC with Z, to the microsecond PostgreSQL keeps; empty for none. */
    private static String instant(ResultSet rs, int column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null
                ? ""
                : value.toInstant().truncatedTo(ChronoUnit.MICROS).toString();
    }

    /** An amount with the decimals it needs, at least two ({@code 0.89}, {@code 1.00}, {@code 0.6531}). */
    static String money(BigDecimal value) {
        if (value == null) {
            return "";
        }
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.setScale(Math.max(2, stripped.scale())).toPlainString();
    }
}
