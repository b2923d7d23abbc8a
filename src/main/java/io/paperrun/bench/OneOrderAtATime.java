package io.paperrun.bench;

import io.paperrun.attribution.AttributionMethod;
import io.paperrun.attribution.AttributionRules;
import io.paperrun.campaign.CampaignStatus;
import io.paperrun.campaign.FlowTrigger;
import io.paperrun.enrichment.AddressKey;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's baseline: the seed's approach. Each order in its own transaction: upsert it, then
 * one query per lookup (email, address, each code, holdout), insert the attribution, then decide it
 * with a query for the recipient and campaign and one for the recipient's other attributions. Writes
 * to copies of the product's tables (schema bench_base); reads the product's recipients and campaigns.
 */
final class OneOrderAtATime {

    private static final String FIND = """
            SELECT r.id, r.campaign_id FROM recipient r
            WHERE r.organization_id = ? AND r.%s = ? AND r.status = 'sent' AND r.sent_at <= ?
            ORDER BY r.created_at DESC, r.id DESC LIMIT 1
            """;

    private final Connection db;
    private final long org;

    OneOrderAtATime(Connection db, long org) {
        this.db = db;
        this.org = org;
    }

    /** Runs the first {@code limit} orders of the benchmark's orders file; returns the seconds taken. */
    double run(Path ordersCsv, int limit) throws Exception {
        db.setAutoCommit(false);
        try (Reader reader = Files.newBufferedReader(ordersCsv, StandardCharsets.UTF_8);
             CSVParser csv = CSVParser.builder().setReader(reader)
                     .setFormat(CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()).get();
             PreparedStatement upsert = db.prepareStatement("""
                     INSERT INTO bench_base.customer_order (organization_id, provider, provider_order_id, ordered_at,
                         email, email_lower, total, currency, discount_codes, shipping_address1, shipping_zip,
                         address_key)
                     VALUES (?, 'csv', ?, ?, ?, ?, ?, ?, string_to_array(?, ';'), ?, ?, ?)
                     ON CONFLICT (organization_id, provider, provider_order_id) DO UPDATE SET total = EXCLUDED.total
                     RETURNING id
                     """);
             PreparedStatement byEmail = db.prepareStatement(FIND.formatted("email_lower"));
             PreparedStatement byAddress = db.prepareStatement(FIND.formatted("address_key"));
             PreparedStatement byUniqueCode = db.prepareStatement("""
                     SELECT r.id, r.campaign_id FROM recipient r JOIN campaign c ON c.id = r.campaign_id
                     WHERE r.organization_id = ? AND r.discount_code_upper = ? AND c.use_unique_discount
                       AND r.status <> 'holdout' ORDER BY r.created_at DESC, r.id DESC LIMIT 1
                     """);
             PreparedStatement byCampaignCode = db.prepareStatement("""
                     SELECT id FROM campaign WHERE organization_id = ? AND upper(btrim(discount_code)) = ?
                     ORDER BY start_date DESC NULLS LAST, id DESC LIMIT 1
                     """);
             PreparedStatement holdout = db.prepareStatement("""
                     SELECT r.id, r.campaign_id, r.email_lower = ? FROM recipient r JOIN campaign c ON c.id = r.campaign_id
                     WHERE r.organization_id = ? AND (r.email_lower = ? OR r.address_key = ?) AND r.status = 'holdout'
                       AND r.created_at < ? AND c.status IN ('active', 'completed', 'paused')
                     ORDER BY r.created_at DESC, r.id DESC LIMIT 1
                     """);
             PreparedStatement insert = db.prepareStatement("""
                     INSERT INTO bench_base.attribution (order_id, organization_id, campaign_id, recipient_id, method,
                         holdout, ordered_at, order_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                     """);
             PreparedStatement facts = db.prepareStatement("""
                     SELECT r.created_at, r.sent_at, c.status, c.flow_trigger, c.holdout_enabled, c.end_date,
                            COALESCE(c.first_send_date, (SELECT min(x.sent_at) FROM recipient x
                                                          WHERE x.campaign_id = c.id AND x.sent_at IS NOT NULL))
                     FROM campaign c LEFT JOIN recipient r ON r.id = ? WHERE c.id = ?
                     """);
             PreparedStatement history = db.prepareStatement("""
                     SELECT order_id, ordered_at, order_value, method, holdout FROM bench_base.attribution
                     WHERE recipient_id = ? AND campaign_id = ?
                     """);
             PreparedStatement decide = db.prepareStatement("""
                     UPDATE bench_base.attribution SET processed = true, passes_rules = ?, order_count = ?,
                         archived = ? WHERE id = ?
                     """)) {
            long start = System.nanoTime();
            int done = 0;
            for (CSVRecord row : csv) {
                if (done++ == limit) {
                    break;
                }
                Instant at = OffsetDateTime.parse(row.get("created_at")).toInstant();
                String email = row.get("email").trim().toLowerCase(Locale.ROOT);
                BigDecimal total = new BigDecimal(row.get("total"));
                String codes = row.get("discount_codes").trim().toUpperCase(Locale.ROOT);
                String key = AddressKey.of(row.get("shipping_address1"), null, row.get("shipping_zip"), "US");
                upsert.setLong(1, org);
                upsert.setString(2, row.get("order_id"));
                upsert.setTimestamp(3, Timestamp.from(at));
                upsert.setString(4, row.get("email"));
                upsert.setString(5, email);
                upsert.setBigDecimal(6, total);
                upsert.setString(7, row.get("currency"));
                upsert.setString(8, codes);
                upsert.setString(9, row.get("shipping_address1"));
                upsert.setString(10, row.get("shipping_zip"));
                upsert.setString(11, key);
                long orderId = single(upsert);

                Long recipient = null;
                Long campaign = null;
                String method = null;
                boolean isHoldout = false;
                long[] found = find(byEmail, email, at);
                if (found != null) {
                    method = "email";
                } else if ((found = find(byAddress, key, at)) != null) {
                    method = "physical_address";
                }
                if (found == null && !codes.isEmpty()) {
                    for (String code : codes.split(";")) {
                        byUniqueCode.setLong(1, org);
                        byUniqueCode.setString(2, code);
                        found = first(byUniqueCode);
                        if (found != null) {
                            method = "discount_code";
                            break;
                        }
                        byCampaignCode.setLong(1, org);
                        byCampaignCode.setString(2, code);
                        try (ResultSet rs = byCampaignCode.executeQuery()) {
                            if (rs.next()) {
                                campaign = rs.getLong(1);
                                method = "discount_code";
                                break;
                            }
                        }
                    }
                }
                if (found == null && method == null && total.compareTo(BigDecimal.ONE) >= 0) {
                    holdout.setString(1, email);
                    holdout.setLong(2, org);
                    holdout.setString(3, email);
                    holdout.setString(4, key);
                    holdout.setTimestamp(5, Timestamp.from(at));
                    try (ResultSet rs = holdout.executeQuery()) {
                        if (rs.next()) {
                            found = new long[] {rs.getLong(1), rs.getLong(2)};
                            method = rs.getBoolean(3) ? "email" : "physical_address";
                            isHoldout = true;
                        }
                    }
                }
                if (found != null) {
                    recipient = found[0];
                    campaign = found[1];
                }
                if (method != null) {
                    insert.setLong(1, orderId);
                    insert.setLong(2, org);
                    insert.setLong(3, campaign);
                    insert.setObject(4, recipient);
                    insert.setString(5, method);
                    insert.setBoolean(6, isHoldout);
                    insert.setTimestamp(7, Timestamp.from(at));
                    insert.setBigDecimal(8, total);
                    long attributionId = single(insert);
                    decide(facts, history, decide, attributionId, orderId, at, total, method, isHoldout, recipient,
                            campaign);
                }
                db.commit();
            }
            return (System.nanoTime() - start) / 1e9;
        } finally {
            db.setAutoCommit(true);
        }
    }

    private void decide(PreparedStatement facts, PreparedStatement history, PreparedStatement decide,
                        long attributionId, long orderId, Instant at, BigDecimal total, String method,
                        boolean isHoldout, Long recipient, long campaign) throws SQLException {
        facts.setObject(1, recipient);
        facts.setLong(2, campaign);
        AttributionRules.Recipient r;
        AttributionRules.Campaign c;
        try (ResultSet rs = facts.executeQuery()) {
            rs.next();
            r = recipient == null ? null : new AttributionRules.Recipient(rs.getTimestamp(1).toInstant(),
                    rs.getTimestamp(2) == null ? null : rs.getTimestamp(2).toInstant());
            c = new AttributionRules.Campaign(CampaignStatus.of(rs.getString(3)), FlowTrigger.of(rs.getString(4)),
                    rs.getBoolean(5), rs.getObject(6, LocalDate.class),
                    rs.getTimestamp(7) == null ? null : rs.getTimestamp(7).toInstant());
        }
        AttributionRules.Attributed self = new AttributionRules.Attributed(orderId, at, total,
                AttributionMethod.of(method), isHoldout);
        List<AttributionRules.Attributed> others = new ArrayList<>();
        if (recipient != null) {
            history.setLong(1, recipient);
            history.setLong(2, campaign);
            try (ResultSet rs = history.executeQuery()) {
                while (rs.next()) {
                    others.add(new AttributionRules.Attributed(rs.getLong(1), rs.getTimestamp(2).toInstant(),
                            rs.getBigDecimal(3), AttributionMethod.of(rs.getString(4)), rs.getBoolean(5)));
                }
            }
        }
        AttributionRules.Decision d = AttributionRules.decide(self, r, c, others);
        decide.setBoolean(1, d.passesRules());
        decide.setInt(2, d.orderCount());
        decide.setBoolean(3, d.archived());
        decide.setLong(4, attributionId);
        decide.executeUpdate();
    }

    private long[] find(PreparedStatement lookup, String value, Instant at) throws SQLException {
        if (value == null || value.isEmpty()) {
            return null;
        }
        lookup.setLong(1, org);
        lookup.setString(2, value);
        lookup.setTimestamp(3, Timestamp.from(at));
        return first(lookup);
    }

    private static long[] first(PreparedStatement query) throws SQLException {
        try (ResultSet rs = query.executeQuery()) {
            return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : null;
        }
    }

    private static long single(PreparedStatement query) throws SQLException {
        try (ResultSet rs = query.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
