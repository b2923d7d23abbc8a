package io.paperrun.bench;

import io.paperrun.attribution.AttributionMethod;
import io.paperrun.attribution.AttributionRules;
import io.paperrun.attribution.OrganizationRules;
import io.paperrun.campaign.CampaignStatus;
import io.paperrun.campaign.FlowTrigger;
import io.paperrun.enrichment.AddressKey;
import io.paperrun.integration.csv.CsvFile;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The benchmark's baseline: the seed's approach, one order at a time in its own transaction, one query per lookup,
 * into copies of the product's tables (schema {@code bench_base}); it reads the product's recipients and campaigns.
 */
final class OneOrderAtATime {

    private static final BigDecimal HOLDOUT_MINIMUM = new BigDecimal("1.00");

    private static final String FIND_SENT = """
            SELECT r.id, r.campaign_id, r.sent_at FROM recipient r
            WHERE r.organization_id = ? AND r.%s = ? AND r.status = 'sent' AND r.sent_at <= ?
            ORDER BY r.created_at DESC, r.id DESC LIMIT 1
            """;

    private final Connection db;
    private final long org;
    private final OrganizationRules rules;

    OneOrderAtATime(Connection db, long org, OrganizationRules rules) {
        this.db = db;
        this.org = org;
        this.rules = rules;
    }

    /** Creates the copies of the product's tables (not timed). */
    static void prepare(Connection db) throws SQLException {
        try (Statement st = db.createStatement()) {
            st.execute("CREATE SCHEMA bench_base");
            st.execute("CREATE TABLE bench_base.customer_order (LIKE customer_order INCLUDING ALL)");
            st.execute("CREATE TABLE bench_base.attribution (LIKE attribution INCLUDING ALL)");
            st.execute("CREATE SEQUENCE bench_base.customer_order_id_seq OWNED BY bench_base.customer_order.id");
            st.execute("CREATE SEQUENCE bench_base.attribution_id_seq OWNED BY bench_base.attribution.id");
            st.execute("ALTER TABLE bench_base.customer_order ALTER id SET DEFAULT "
                    + "nextval('bench_base.customer_order_id_seq')");
            st.execute(
                    "ALTER TABLE bench_base.attribution ALTER id SET DEFAULT nextval('bench_base.attribution_id_seq')");
            st.execute("ALTER TABLE bench_base.attribution ADD FOREIGN KEY (order_id) "
                    + "REFERENCES bench_base.customer_order(id)");
        }
    }

    /** Runs the first {@code limit} orders of the orders file; returns the seconds taken. */
    double run(Path ordersCsv, int limit) throws Exception {
        db.setAutoCommit(false);
        try (Reader reader = Files.newBufferedReader(ordersCsv, StandardCharsets.UTF_8);
                CSVParser csv = CSVParser.builder()
                        .setReader(reader)
                        .setFormat(CsvFile.FORMAT)
                        .get();
                PreparedStatement upsert = db.prepareStatement("""
                     INSERT INTO bench_base.customer_order (organization_id, provider, provider_order_id, ordered_at,
                         email, email_lower, total, currency, discount_codes, shipping_address1, shipping_address2,
                         shipping_city, shipping_region, shipping_zip, shipping_country, address_key,
                         active_subscription_start)
                     VALUES (?, 'csv', ?, ?, ?, ?, ?, ?, string_to_array(?, ';'), ?, ?, ?, ?, ?, ?, ?, ?)
                     ON CONFLICT (organization_id, provider, provider_order_id) DO UPDATE SET
                         ordered_at = EXCLUDED.ordered_at, email = EXCLUDED.email, email_lower = EXCLUDED.email_lower,
                         total = EXCLUDED.total, discount_codes = EXCLUDED.discount_codes,
                         address_key = EXCLUDED.address_key, updated_at = now()
                     RETURNING id
                     """);
                PreparedStatement flag = db.prepareStatement(
                        "UPDATE bench_base.customer_order SET internal = ?, blacklisted = ? WHERE id = ?");
                PreparedStatement byEmail = db.prepareStatement(FIND_SENT.formatted("email_lower"));
                PreparedStatement byAddress = db.prepareStatement(FIND_SENT.formatted("address_key"));
                PreparedStatement byUniqueCode = db.prepareStatement("""
                     SELECT r.id, r.campaign_id FROM recipient r JOIN campaign c ON c.id = r.campaign_id
                     WHERE r.organization_id = ? AND r.discount_code_upper = ? AND c.use_unique_discount
                       AND r.status <> 'holdout' ORDER BY r.created_at DESC, r.id DESC LIMIT 1
                     """);
                PreparedStatement byCampaignCode = db.prepareStatement("""
                     SELECT id FROM campaign WHERE organization_id = ? AND discount_code IS NOT NULL
                       AND upper(btrim(discount_code)) = ?
                     ORDER BY start_date DESC NULLS LAST, id DESC LIMIT 1
                     """);
                PreparedStatement codeRecipient = db.prepareStatement("""
                     SELECT r.id FROM recipient r WHERE r.campaign_id = ? AND (r.email_lower = ? OR r.address_key = ?)
                     ORDER BY (r.email_lower = ?) DESC, r.created_at DESC, r.id DESC LIMIT 1
                     """);
                PreparedStatement holdout = db.prepareStatement("""
                     SELECT r.id, r.campaign_id, r.email_lower = ? FROM recipient r JOIN campaign c ON c.id = r.campaign_id
                     WHERE r.organization_id = ? AND (r.email_lower = ? OR r.address_key = ?) AND r.status = 'holdout'
                       AND r.created_at < ? AND c.status IN ('active', 'completed', 'paused')
                     ORDER BY r.created_at DESC, r.id DESC LIMIT 1
                     """);
                PreparedStatement insert = db.prepareStatement("""
                     INSERT INTO bench_base.attribution (order_id, organization_id, campaign_id, recipient_id, method,
                         holdout, ordered_at, order_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                     ON CONFLICT (order_id) DO UPDATE SET campaign_id = EXCLUDED.campaign_id,
                         recipient_id = EXCLUDED.recipient_id, method = EXCLUDED.method, holdout = EXCLUDED.holdout,
                         processed = false
                     RETURNING id
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
                         archived = ?, updated_at = now() WHERE id = ?
                     """)) {
            long start = System.nanoTime();
            int done = 0;
            for (CSVRecord row : csv) {
                if (done++ == limit) {
                    break;
                }
                Instant at = OffsetDateTime.parse(row.get("created_at")).toInstant();
                String rawEmail = blankToNull(row.get("email"));
                String email = rawEmail == null ? null : rawEmail.trim().toLowerCase(Locale.ROOT);
                BigDecimal total = new BigDecimal(row.get("total"));
                List<String> codes = Arrays.stream(row.get("discount_codes").split(";"))
                        .map(String::trim)
                        .filter(c -> !c.isEmpty())
                        .map(c -> c.toUpperCase(Locale.ROOT))
                        .toList();
                String a1 = blankToNull(row.get("shipping_address1"));
                String a2 = blankToNull(row.get("shipping_address2"));
                String zip = blankToNull(row.get("shipping_zip"));
                String country = blankToNull(row.get("shipping_country"));
                String key = AddressKey.of(a1, a2, zip, country);
                String sub = blankToNull(row.get("active_subscription_start_date"));
                Instant subscription = sub == null
                        ? null
                        : sub.length() == 10
                                ? LocalDate.parse(sub)
                                        .atStartOfDay(ZoneOffset.UTC)
                                        .toInstant()
                                : OffsetDateTime.parse(sub).toInstant();
                int p = 1;
                upsert.setLong(p++, org);
                upsert.setString(p++, row.get("order_id"));
                upsert.setTimestamp(p++, Timestamp.from(at));
                upsert.setString(p++, rawEmail);
                upsert.setString(p++, email);
                upsert.setBigDecimal(p++, total);
                upsert.setString(p++, blankToNull(row.get("currency")));
                upsert.setString(p++, String.join(";", codes));
                upsert.setString(p++, a1);
                upsert.setString(p++, a2);
                upsert.setString(p++, blankToNull(row.get("shipping_city")));
                upsert.setString(p++, blankToNull(row.get("shipping_region")));
                upsert.setString(p++, zip);
                upsert.setString(p++, country);
                upsert.setString(p++, key);
                upsert.setTimestamp(p, subscription == null ? null : Timestamp.from(subscription));
                long orderId = single(upsert);

                if (rules.isInternal(rawEmail)) {
                    flag(flag, true, false, orderId);
                    db.commit();
                    continue;
                }
                Long recipient = null;
                Long campaign = null;
                String method = null;
                boolean isHoldout = false;
                Object[] found = find(byEmail, email, at);
                if (found != null) {
                    method = "email";
                } else if ((found = find(byAddress, key, at)) != null) {
                    if (subscription != null && subscription.isBefore(((Timestamp) found[2]).toInstant())) {
                        found = null;
                    } else {
                        method = "physical_address";
                    }
                }
                if (found == null && !codes.isEmpty()) {
                    for (String code : codes) {
                        byUniqueCode.setLong(1, org);
                        byUniqueCode.setString(2, code);
                        found = first(byUniqueCode);
                        if (found != null) {
                            method = "discount_code";
                            break;
                        }
                    }
                    for (int i = 0; found == null && method == null && i < codes.size(); i++) {
                        byCampaignCode.setLong(1, org);
                        byCampaignCode.setString(2, codes.get(i));
                        try (ResultSet rs = byCampaignCode.executeQuery()) {
                            if (rs.next()) {
                                campaign = rs.getLong(1);
                                method = "discount_code";
                            }
                        }
                        if (campaign != null) {
                            codeRecipient.setLong(1, campaign);
                            codeRecipient.setString(2, email);
                            codeRecipient.setString(3, key);
                            codeRecipient.setString(4, email);
                            try (ResultSet rs = codeRecipient.executeQuery()) {
                                if (rs.next()) {
                                    recipient = rs.getLong(1);
                                }
                            }
                        }
                    }
                }
                if (found == null && method == null && total.compareTo(HOLDOUT_MINIMUM) >= 0) {
                    holdout.setString(1, email);
                    holdout.setLong(2, org);
                    holdout.setString(3, email);
                    holdout.setString(4, key);
                    holdout.setTimestamp(5, Timestamp.from(at));
                    try (ResultSet rs = holdout.executeQuery()) {
                        if (rs.next()) {
                            found = new Object[] {rs.getLong(1), rs.getLong(2)};
                            method = rs.getBoolean(3) ? "email" : "physical_address";
                            isHoldout = true;
                        }
                    }
                }
                if (found != null) {
                    recipient = (Long) found[0];
                    campaign = (Long) found[1];
                }
                if (method != null && rules.isBlacklisted(codes)) {
                    flag(flag, false, true, orderId);
                    method = null;
                }
                if (method != null) {
                    insert.setLong(1, orderId);
                    insert.setLong(2, org);
                    insert.setLong(3, campaign);
                    insert.setObject(4, recipient, Types.BIGINT);
                    insert.setString(5, method);
                    insert.setBoolean(6, isHoldout);
                    insert.setTimestamp(7, Timestamp.from(at));
                    insert.setBigDecimal(8, total);
                    long attributionId = single(insert);
                    decide(
                            facts,
                            history,
                            decide,
                            attributionId,
                            orderId,
                            at,
                            total,
                            method,
                            isHoldout,
                            recipient,
                            campaign);
                }
                db.commit();
            }
            return (System.nanoTime() - start) / 1e9;
        } finally {
            db.rollback();
            db.setAutoCommit(true);
        }
    }

    private void decide(
            PreparedStatement facts,
            PreparedStatement history,
            PreparedStatement decide,
            long attributionId,
            long orderId,
            Instant at,
            BigDecimal total,
            String method,
            boolean isHoldout,
            Long recipient,
            long campaign)
            throws SQLException {
        facts.setObject(1, recipient, Types.BIGINT);
        facts.setLong(2, campaign);
        AttributionRules.Recipient r;
        AttributionRules.Campaign c;
        try (ResultSet rs = facts.executeQuery()) {
            rs.next();
            r = recipient == null
                    ? null
                    : new AttributionRules.Recipient(
                            rs.getTimestamp(1).toInstant(),
                            rs.getTimestamp(2) == null
                                    ? null
                                    : rs.getTimestamp(2).toInstant());
            c = new AttributionRules.Campaign(
                    CampaignStatus.of(rs.getString(3)),
                    FlowTrigger.of(rs.getString(4)),
                    rs.getBoolean(5),
                    rs.getObject(6, LocalDate.class),
                    rs.getTimestamp(7) == null ? null : rs.getTimestamp(7).toInstant());
        }
        AttributionRules.Attributed self =
                new AttributionRules.Attributed(orderId, at, total, AttributionMethod.of(method), isHoldout);
        List<AttributionRules.Attributed> others = new ArrayList<>();
        if (recipient != null) {
            history.setLong(1, recipient);
            history.setLong(2, campaign);
            try (ResultSet rs = history.executeQuery()) {
                while (rs.next()) {
                    others.add(new AttributionRules.Attributed(
                            rs.getLong(1),
                            rs.getTimestamp(2).toInstant(),
                            rs.getBigDecimal(3),
                            AttributionMethod.of(rs.getString(4)),
                            rs.getBoolean(5)));
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

    private static void flag(PreparedStatement flag, boolean internal, boolean blacklisted, long orderId)
            throws SQLException {
        flag.setBoolean(1, internal);
        flag.setBoolean(2, blacklisted);
        flag.setLong(3, orderId);
        flag.executeUpdate();
    }

    private Object[] find(PreparedStatement lookup, String value, Instant at) throws SQLException {
        if (value == null || value.isEmpty()) {
            return null;
        }
        lookup.setLong(1, org);
        lookup.setString(2, value);
        lookup.setTimestamp(3, Timestamp.from(at));
        try (ResultSet rs = lookup.executeQuery()) {
            return rs.next() ? new Object[] {rs.getLong(1), rs.getLong(2), rs.getTimestamp(3)} : null;
        }
    }

    private static Object[] first(PreparedStatement query) throws SQLException {
        try (ResultSet rs = query.executeQuery()) {
            return rs.next() ? new Object[] {rs.getLong(1), rs.getLong(2)} : null;
        }
    }

    private static long single(PreparedStatement query) throws SQLException {
        try (ResultSet rs = query.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
