package io.paperrun.campaign;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class CampaignRepository {

    private final JdbcClient jdbc;

    public CampaignRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<Campaign> findByOrganization(long organizationId) {
        return jdbc.sql("SELECT * FROM campaign WHERE organization_id = ? ORDER BY id")
                .param(organizationId)
                .query(CampaignRepository::map)
                .list();
    }

    /** The active campaigns whose audience is a Klaviyo segment, by organization then key. */
    public List<Campaign> fillingFromSegments() {
        return jdbc.sql("SELECT * FROM campaign WHERE status = 'active' AND audience_source = 'klaviyo' "
                        + "ORDER BY organization_id, key")
                .query(CampaignRepository::map)
                .list();
    }

    public Optional<Campaign> findById(long id) {
        return jdbc.sql("SELECT * FROM campaign WHERE id = ?")
                .param(id)
                .query(CampaignRepository::map)
                .optional();
    }

    public Optional<Campaign> find(long organizationId, String key) {
        return jdbc.sql("SELECT * FROM campaign WHERE organization_id = ? AND key = ?")
                .param(organizationId)
                .param(key)
                .query(CampaignRepository::map)
                .optional();
    }

    /** Creates or updates by (organization, key): "created", "updated" or "unchanged". */
    public String upsert(Campaign c) {
        Optional<Campaign> existing = find(c.organizationId(), c.key());
        if (existing.isPresent()
                && existing.get().equals(c.withId(existing.get().id()))) {
            return "unchanged";
        }
        jdbc.sql("""
                INSERT INTO campaign (organization_id, key, name, status, start_date, end_date, first_send_date,
                    flow_trigger, discount_code, discount_code_upper, use_unique_discount, holdout_enabled,
                    holdout_percentage, holdout_absolute_maximum, cost_per_piece, audience_source, audience_segment_id,
                    printer, unique_codes, postcard)
                VALUES (:org, :key, :name, :status, :start, :end, :firstSend, :trigger, :code, :codeUpper, :unique,
                    :holdout, :pct, :max, :cost, :audience, :segment, :printer, CAST(:uniqueCodes AS jsonb),
                    CAST(:postcard AS jsonb))
                ON CONFLICT (organization_id, key) DO UPDATE SET name = EXCLUDED.name, status = EXCLUDED.status,
                    start_date = EXCLUDED.start_date, end_date = EXCLUDED.end_date,
                    first_send_date = EXCLUDED.first_send_date, flow_trigger = EXCLUDED.flow_trigger,
                    discount_code = EXCLUDED.discount_code, discount_code_upper = EXCLUDED.discount_code_upper,
                    use_unique_discount = EXCLUDED.use_unique_discount,
                    holdout_enabled = EXCLUDED.holdout_enabled, holdout_percentage = EXCLUDED.holdout_percentage,
                    holdout_absolute_maximum = EXCLUDED.holdout_absolute_maximum,
                    cost_per_piece = EXCLUDED.cost_per_piece, audience_source = EXCLUDED.audience_source,
                    audience_segment_id = EXCLUDED.audience_segment_id, printer = EXCLUDED.printer,
                    unique_codes = EXCLUDED.unique_codes, postcard = EXCLUDED.postcard, updated_at = now()
                """)
                .param("org", c.organizationId())
                .param("key", c.key())
                .param("name", c.name())
                .param("status", c.status().code())
                .param("start", c.startDate())
                .param("end", c.endDate())
                .param("firstSend", c.firstSendDate() == null ? null : Timestamp.from(c.firstSendDate()))
                .param("trigger", c.flowTrigger().code())
                .param("code", c.discountCode())
                .param("codeUpper", c.discountCode() == null ? null : DiscountCode.upper(c.discountCode()))
                .param("unique", c.useUniqueDiscount())
                .param("holdout", c.holdoutEnabled())
                .param("pct", c.holdoutPercentage())
                .param("max", c.holdoutAbsoluteMaximum())
                .param("cost", c.costPerPiece())
                .param("audience", c.audience().source())
                .param("segment", c.audience().segmentId())
                .param("printer", c.postcards().printer().code())
                .param("uniqueCodes", PostcardColumns.uniqueCodes(c.postcards().uniqueCodes()))
                .param("postcard", PostcardColumns.design(c.postcards().design()))
                .update();
        return existing.isPresent() ? "updated" : "created";
    }

    static Campaign map(ResultSet rs, int row) throws SQLException {
        Timestamp firstSend = rs.getTimestamp("first_send_date");
        return new Campaign(
                rs.getLong("id"),
                rs.getLong("organization_id"),
                rs.getString("key"),
                rs.getString("name"),
                CampaignStatus.of(rs.getString("status")),
                rs.getObject("start_date", LocalDate.class),
                rs.getObject("end_date", LocalDate.class),
                firstSend == null ? null : firstSend.toInstant(),
                FlowTrigger.of(rs.getString("flow_trigger")),
                rs.getString("discount_code"),
                rs.getBoolean("use_unique_discount"),
                rs.getBoolean("holdout_enabled"),
                scaled(rs.getBigDecimal("holdout_percentage")),
                (Integer) rs.getObject("holdout_absolute_maximum"),
                scaled(rs.getBigDecimal("cost_per_piece")),
                new Campaign.Audience(rs.getString("audience_source"), rs.getString("audience_segment_id")),
                new PostcardSettings(
                        PostcardSettings.PrinterName.of(rs.getString("printer")),
                        PostcardColumns.uniqueCodes(rs.getString("unique_codes")),
                        PostcardColumns.design(rs.getString("postcard"))));
    }

    private static BigDecimal scaled(BigDecimal value) {
        return value == null ? null : value.stripTrailingZeros();
    }
}
