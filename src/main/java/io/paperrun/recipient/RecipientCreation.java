package io.paperrun.recipient;

import io.paperrun.batch.TextArray;
import io.paperrun.organization.Organization;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Creates recipients as pipeline-rules.md §1 does, a chunk at a time in the caller's transaction: a person already
 * in the campaign (by external id or email) is skipped; the others are suppressed (do-not-mail list, a returned
 * piece, the frequency cap, in that order), else held out by {@link HoldoutAssignment}, else pending.
 */
@Repository
public class RecipientCreation {

    /** What a chunk's creation did. */
    public record Created(int created, int skipped, int suppressed, int heldOut) {
        public Created plus(Created other) {
            return new Created(
                    created + other.created,
                    skipped + other.skipped,
                    suppressed + other.suppressed,
                    heldOut + other.heldOut);
        }
    }

    /** The suppression reasons of §1.2, as {@code status_reason} shows them. */
    public static final String DO_NOT_MAIL = "do_not_mail", RETURNED = "returned", FREQUENCY_CAP = "frequency_cap";

    private record CampaignHoldout(String key, boolean enabled, BigDecimal percentage, Integer maximum) {}

    private final JdbcClient jdbc;
    private final DoNotMailList doNotMail;

    public RecipientCreation(JdbcClient jdbc, DoNotMailList doNotMail) {
        this.jdbc = jdbc;
        this.doNotMail = doNotMail;
    }

    /** Creates the chunk's recipients of {@code organization}'s campaigns, in the chunk's order. */
    public Created create(Organization organization, List<IncomingRecipient> rows) {
        if (rows.isEmpty()) {
            return new Created(0, 0, 0, 0);
        }
        List<IncomingRecipient> fresh = newcomers(organization.id(), rows);
        int skipped = rows.size() - fresh.size();
        if (fresh.isEmpty()) {
            return new Created(0, skipped, 0, 0);
        }
        Map<IncomingRecipient, String> reasons = suppressed(organization, fresh);
        Map<Long, CampaignHoldout> holdouts = campaigns(fresh);
        Map<Long, Long> heldSoFar = holdoutCounts(holdouts);
        List<String> statuses = new ArrayList<>(fresh.size());
        int suppressedCount = 0, heldOutCount = 0;
        for (IncomingRecipient r : fresh) {
            String reason = reasons.get(r);
            CampaignHoldout campaign = holdouts.get(r.campaignId());
            if (reason != null) {
                statuses.add("suppressed");
                suppressedCount++;
            } else if (campaign.enabled()
                    && HoldoutAssignment.heldOut(
                            campaign.key(),
                            HoldoutAssignment.identity(r.email(), r.externalId()),
                            campaign.percentage(),
                            campaign.maximum(),
                            heldSoFar.getOrDefault(r.campaignId(), 0L))) {
                statuses.add("holdout");
                heldSoFar.merge(r.campaignId(), 1L, Long::sum);
                heldOutCount++;
            } else {
                statuses.add("pending");
            }
        }
        insert(organization.id(), fresh, statuses, reasons);
        return new Created(fresh.size(), skipped, suppressedCount, heldOutCount);
    }

    /** The rows whose person is not in their campaign yet (§1.1), the first of several in the chunk. */
    private List<IncomingRecipient> newcomers(long organizationId, List<IncomingRecipient> rows) {
        long[] campaigns = rows.stream()
                .mapToLong(IncomingRecipient::campaignId)
                .distinct()
                .toArray();
        Set<String> taken = new HashSet<>();
        // One index probe per key of the chunk (LATERAL, fenced by OFFSET 0): the plan cached for a statement
        // prepared while the table was small would otherwise scan the organization's recipients for each key.
        long[] keyCampaigns =
                rows.stream().mapToLong(IncomingRecipient::campaignId).toArray();
        jdbc.sql("""
                        SELECT r.campaign_id, r.natural_key, r.email_lower
                        FROM unnest(?::bigint[], ?::text[]) AS t(campaign_id, natural_key)
                        JOIN recipient r ON r.campaign_id = t.campaign_id AND r.natural_key = t.natural_key
                        UNION
                        SELECT r.campaign_id, r.natural_key, r.email_lower
                        FROM unnest(?::text[]) AS e(email_lower)
                        CROSS JOIN LATERAL (SELECT campaign_id, natural_key, email_lower FROM recipient
                                            WHERE organization_id = ? AND email_lower = e.email_lower
                                              AND campaign_id = ANY(?::bigint[]) OFFSET 0) r
                        """)
                .param(keyCampaigns)
                .param(TextArray.of(
                        rows.stream().map(IncomingRecipient::naturalKey).toArray(String[]::new)))
                .param(TextArray.of(rows.stream()
                        .map(IncomingRecipient::emailLower)
                        .filter(e -> e != null)
                        .distinct()
                        .toArray(String[]::new)))
                .param(organizationId)
                .param(campaigns)
                .query(rs -> {
                    taken.add(rs.getLong(1) + " key " + rs.getString(2));
                    if (rs.getString(3) != null) {
                        taken.add(rs.getLong(1) + " email " + rs.getString(3));
                    }
                });
        List<IncomingRecipient> fresh = new ArrayList<>(rows.size());
        for (IncomingRecipient r : rows) {
            String byKey = r.campaignId() + " key " + r.naturalKey();
            String byEmail = r.emailLower() == null ? null : r.campaignId() + " email " + r.emailLower();
            if (taken.contains(byKey) || (byEmail != null && taken.contains(byEmail))) {
                continue;
            }
            taken.add(byKey);
            if (byEmail != null) {
                taken.add(byEmail);
            }
            fresh.add(r);
        }
        return fresh;
    }

    /** The suppressed rows and their reasons, the first that applies (§1.2). */
    private Map<IncomingRecipient, String> suppressed(Organization organization, List<IncomingRecipient> rows) {
        String[] emails = rows.stream()
                .map(IncomingRecipient::emailLower)
                .filter(e -> e != null)
                .distinct()
                .toArray(String[]::new);
        String[] keys = rows.stream()
                .map(IncomingRecipient::addressKey)
                .filter(k -> k != null)
                .distinct()
                .toArray(String[]::new);
        Set<String> listed = new HashSet<>();
        for (DoNotMailList.Entry entry : doNotMail.matching(organization.id(), List.of(emails), List.of(keys))) {
            listed.add((entry.kind() == DoNotMailList.Kind.EMAIL ? "email " : "address ") + entry.value());
        }
        Set<String> returned = new HashSet<>(jdbc.sql("""
                        SELECT DISTINCT k.address_key FROM unnest(?::text[]) AS k(address_key)
                        WHERE EXISTS (SELECT 1 FROM recipient r
                                      WHERE r.organization_id = ? AND r.address_key = k.address_key
                                        AND r.delivery_status = 'returned_to_sender' OFFSET 0)
                        """)
                .param(TextArray.of(keys))
                .param(organization.id())
                .query(String.class)
                .list());
        Set<String> mailedRecently = new HashSet<>();
        if (organization.minDaysBetweenMailings() != null) {
            jdbc.sql("""
                            SELECT r.address_key, r.email_lower FROM unnest(:keys::text[]) AS k(address_key)
                            CROSS JOIN LATERAL (SELECT address_key, email_lower FROM recipient
                                                WHERE organization_id = :org AND address_key = k.address_key
                                                  AND sent_at >= now() - make_interval(days => :days) OFFSET 0) r
                            UNION
                            SELECT r.address_key, r.email_lower FROM unnest(:emails::text[]) AS e(email_lower)
                            CROSS JOIN LATERAL (SELECT address_key, email_lower FROM recipient
                                                WHERE organization_id = :org AND email_lower = e.email_lower
                                                  AND sent_at >= now() - make_interval(days => :days) OFFSET 0) r
                            """)
                    .param("org", organization.id())
                    .param("days", organization.minDaysBetweenMailings())
                    .param("keys", TextArray.of(keys))
                    .param("emails", TextArray.of(emails))
                    .query(rs -> {
                        if (rs.getString(1) != null) {
                            mailedRecently.add("address " + rs.getString(1));
                        }
                        if (rs.getString(2) != null) {
                            mailedRecently.add("email " + rs.getString(2));
                        }
                    });
        }
        Map<IncomingRecipient, String> reasons = new LinkedHashMap<>();
        for (IncomingRecipient r : rows) {
            String email = r.emailLower() == null ? null : "email " + r.emailLower();
            String address = r.addressKey() == null ? null : "address " + r.addressKey();
            if (listed.contains(email) || listed.contains(address)) {
                reasons.put(r, DO_NOT_MAIL);
            } else if (r.addressKey() != null && returned.contains(r.addressKey())) {
                reasons.put(r, RETURNED);
            } else if (mailedRecently.contains(email) || mailedRecently.contains(address)) {
                reasons.put(r, FREQUENCY_CAP);
            }
        }
        return reasons;
    }

    /**
     * The rows' campaigns' holdout settings, their rows locked for the transaction: one creator at a time counts
     * and adds a campaign's holdouts, so its maximum holds.
     */
    private Map<Long, CampaignHoldout> campaigns(List<IncomingRecipient> rows) {
        Map<Long, CampaignHoldout> out = new HashMap<>();
        jdbc.sql("""
                        SELECT id, key, holdout_enabled, holdout_percentage, holdout_absolute_maximum FROM campaign
                        WHERE id = ANY(?) ORDER BY id FOR UPDATE
                        """)
                .param(rows.stream()
                        .mapToLong(IncomingRecipient::campaignId)
                        .distinct()
                        .toArray())
                .query(rs -> {
                    out.put(
                            rs.getLong(1),
                            new CampaignHoldout(
                                    rs.getString(2), rs.getBoolean(3), rs.getBigDecimal(4), (Integer) rs.getObject(5)));
                });
        return out;
    }

    private Map<Long, Long> holdoutCounts(Map<Long, CampaignHoldout> campaigns) {
        Map<Long, Long> counts = new HashMap<>();
        long[] enabled = campaigns.entrySet().stream()
                .filter(e -> e.getValue().enabled())
                .mapToLong(Map.Entry::getKey)
                .toArray();
        if (enabled.length > 0) {
            jdbc.sql("SELECT campaign_id, count(*) FROM recipient WHERE campaign_id = ANY(?) AND status = 'holdout' "
                            + "GROUP BY campaign_id")
                    .param(enabled)
                    .query(rs -> {
                        counts.put(rs.getLong(1), rs.getLong(2));
                    });
        }
        return counts;
    }

    private void insert(
            long organizationId,
            List<IncomingRecipient> rows,
            List<String> statuses,
            Map<IncomingRecipient, String> reasons) {
        RecipientColumns.bind(jdbc.sql("""
                        INSERT INTO recipient (campaign_id, organization_id, natural_key, external_id, status,
                            suppression_reason, created_at, email, email_lower, first_name, last_name, address1,
                            address2, city, region, zip, country, address_key, discount_code, discount_code_upper,
                            address_source, joined_group_at)
                        SELECT t.campaign_id, :org, t.natural_key, t.external_id, t.status, t.reason, t.created_at,
                            t.email, t.email_lower, t.first_name, t.last_name, t.address1, t.address2, t.city,
                            t.region, t.zip, t.country, t.address_key, t.code, t.code_upper, t.source, t.joined
                        FROM unnest(:campaigns::bigint[], :keys::text[], :externalIds::text[], :status::text[],
                            :reason::text[], :created::timestamptz[], :emails::text[], :emailsLower::text[],
                            :first::text[], :last::text[], :a1::text[], :a2::text[], :city::text[], :region::text[],
                            :zip::text[], :country::text[], :addressKeys::text[], :codes::text[], :codesUpper::text[],
                            :sources::text[], :joined::timestamptz[])
                            AS t(campaign_id, natural_key, external_id, status, reason, created_at, email, email_lower,
                                 first_name, last_name, address1, address2, city, region, zip, country, address_key,
                                 code, code_upper, source, joined)
                        ON CONFLICT (campaign_id, natural_key) DO NOTHING
                        """), rows)
                .param("org", organizationId)
                .param("status", TextArray.of(statuses.toArray(String[]::new)))
                .param("reason", RecipientColumns.text(rows, reasons::get))
                .param("sources", RecipientColumns.text(rows, IncomingRecipient::addressSource))
                .param(
                        "joined",
                        RecipientColumns.text(
                                rows,
                                r -> r.joinedGroupAt() == null
                                        ? null
                                        : r.joinedGroupAt().toString()))
                .update();
    }
}
