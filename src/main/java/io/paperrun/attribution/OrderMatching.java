package io.paperrun.attribution;

import io.paperrun.batch.TextArray;
import io.paperrun.campaign.CampaignStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Stage A for a chunk of orders of one organization, set-based: one query per
 * kind of lookup for the whole chunk (emails, address keys, unique codes,
 * campaign codes, and the code campaigns' recipients), then {@link OrderMatcher}
 * per order in memory.
 */
@Component
public class OrderMatching {

    private static final String CANDIDATE_COLUMNS = """
            r.id, r.campaign_id, r.status, r.created_at, r.sent_at, r.email_lower, r.address_key,
            r.discount_code_upper, c.status AS campaign_status, c.use_unique_discount
            """;

    private final JdbcClient jdbc;

    public OrderMatching(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Matches a chunk. An internal order's email and address are not looked up (it is never credited),
     * nor the address of an order that its email already credits (step 1 wins before step 2 is looked
     * at).
     */
    public List<MatchResult> match(long organizationId, OrganizationRules rules, List<OrderFacts> orders) {
        // Each pass over the chunk is a method of its own, which the JIT compiles once (docs/performance.md).
        boolean[] internal = internal(rules, orders);
        Map<String, List<MatchCandidate>> byEmail =
                group(candidates("""
                r.organization_id = :org AND r.email_lower = ANY(:values::text[]) AND r.status IN ('sent','holdout')
                """, organizationId, emailsToLookUp(orders, internal)), MatchCandidate::emailLower);
        Map<String, List<MatchCandidate>> byAddress = group(
                candidates("""
                r.organization_id = :org AND r.address_key = ANY(:values::text[]) AND r.status IN ('sent','holdout')
                """, organizationId, addressKeysToLookUp(orders, internal, byEmail)),
                MatchCandidate::addressKey);
        Set<String> codes = codes(orders);
        Map<String, List<MatchCandidate>> byUniqueCode =
                group(candidates("""
                r.organization_id = :org AND r.discount_code_upper = ANY(:values::text[]) AND c.use_unique_discount
                AND r.status <> 'holdout'
                """, organizationId, codes), MatchCandidate::discountCodeUpper);
        List<CampaignCode> campaignCodes = campaignCodes(organizationId, codes);
        Map<Long, List<MatchCandidate>> codeRecipientsByCampaign =
                codeRecipientsByCampaign(organizationId, orders, campaignCodes);
        List<MatchResult> results = new ArrayList<>(orders.size());
        for (OrderFacts o : orders) {
            results.add(match(o, rules, byEmail, byAddress, byUniqueCode, campaignCodes, codeRecipientsByCampaign));
        }
        return results;
    }

    /** Step 0 for each order: an internal order is never credited, so nothing of it is looked up. */
    private static boolean[] internal(OrganizationRules rules, List<OrderFacts> orders) {
        boolean[] internal = new boolean[orders.size()];
        for (int i = 0; i < orders.size(); i++) {
            internal[i] = rules.isInternal(orders.get(i).email());
        }
        return internal;
    }

    private static Set<String> emailsToLookUp(List<OrderFacts> orders, boolean[] internal) {
        Set<String> emails = new LinkedHashSet<>();
        for (int i = 0; i < orders.size(); i++) {
            if (!internal[i] && orders.get(i).emailLower() != null) {
                emails.add(orders.get(i).emailLower());
            }
        }
        return emails;
    }

    /** The address keys of the orders that are not internal and that their email does not already credit. */
    private static Set<String> addressKeysToLookUp(
            List<OrderFacts> orders, boolean[] internal, Map<String, List<MatchCandidate>> byEmail) {
        Set<String> keys = new LinkedHashSet<>();
        for (int i = 0; i < orders.size(); i++) {
            OrderFacts o = orders.get(i);
            if (!internal[i]
                    && o.addressKey() != null
                    && !OrderMatcher.creditedByEmail(o, emailCandidates(o, byEmail))) {
                keys.add(o.addressKey());
            }
        }
        return keys;
    }

    private static Set<String> codes(List<OrderFacts> orders) {
        Set<String> codes = new LinkedHashSet<>();
        for (OrderFacts o : orders) {
            codes.addAll(o.codesUpper());
        }
        return codes;
    }

    /**
     * The recipients of the campaigns whose codes the chunk's orders carry, by campaign: looked up by the email or
     * address of the orders carrying that code.
     */
    private Map<Long, List<MatchCandidate>> codeRecipientsByCampaign(
            long organizationId, List<OrderFacts> orders, List<CampaignCode> campaignCodes) {
        Set<String> codeEmails = new LinkedHashSet<>();
        Set<String> codeKeys = new LinkedHashSet<>();
        if (!campaignCodes.isEmpty()) {
            Set<String> campaignCodeValues = new HashSet<>();
            campaignCodes.forEach(cc -> campaignCodeValues.add(cc.codeUpper()));
            for (OrderFacts o : orders) {
                if (o.codesUpper().stream().anyMatch(campaignCodeValues::contains)) {
                    if (o.emailLower() != null) {
                        codeEmails.add(o.emailLower());
                    }
                    if (o.addressKey() != null) {
                        codeKeys.add(o.addressKey());
                    }
                }
            }
        }
        Map<Long, List<MatchCandidate>> byCampaign = new HashMap<>();
        for (MatchCandidate c : codeCampaignRecipients(organizationId, campaignCodes, codeEmails, codeKeys)) {
            byCampaign.computeIfAbsent(c.campaignId(), k -> new ArrayList<>()).add(c);
        }
        return byCampaign;
    }

    /** One order, with the chunk's candidates. */
    private static MatchResult match(
            OrderFacts o,
            OrganizationRules rules,
            Map<String, List<MatchCandidate>> byEmail,
            Map<String, List<MatchCandidate>> byAddress,
            Map<String, List<MatchCandidate>> byUniqueCode,
            List<CampaignCode> campaignCodes,
            Map<Long, List<MatchCandidate>> codeRecipientsByCampaign) {
        List<MatchCandidate> owners = new ArrayList<>();
        List<CampaignCode> orderCampaignCodes = new ArrayList<>();
        List<MatchCandidate> orderCodeRecipients = new ArrayList<>();
        for (String code : o.codesUpper()) {
            owners.addAll(byUniqueCode.getOrDefault(code, List.of()));
        }
        for (CampaignCode cc : campaignCodes) {
            if (o.codesUpper().contains(cc.codeUpper())) {
                orderCampaignCodes.add(cc);
                orderCodeRecipients.addAll(codeRecipientsByCampaign.getOrDefault(cc.campaignId(), List.of()));
            }
        }
        return OrderMatcher.match(
                o,
                rules,
                emailCandidates(o, byEmail),
                o.addressKey() == null ? List.of() : byAddress.getOrDefault(o.addressKey(), List.of()),
                owners,
                orderCampaignCodes,
                orderCodeRecipients);
    }

    private static List<MatchCandidate> emailCandidates(OrderFacts o, Map<String, List<MatchCandidate>> byEmail) {
        return o.emailLower() == null ? List.of() : byEmail.getOrDefault(o.emailLower(), List.of());
    }

    private List<MatchCandidate> candidates(String where, long organizationId, Collection<String> values) {
        if (values.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT " + CANDIDATE_COLUMNS + " FROM recipient r JOIN campaign c ON c.id = r.campaign_id "
                        + "WHERE " + where)
                .param("org", organizationId)
                .param("values", TextArray.of(values))
                .query(OrderMatching::candidate)
                .list();
    }

    private List<CampaignCode> campaignCodes(long organizationId, Collection<String> codes) {
        if (codes.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                SELECT id, discount_code_upper, start_date FROM campaign
                WHERE organization_id = :org AND discount_code_upper = ANY(:codes::text[])
                """)
                .param("org", organizationId)
                .param("codes", TextArray.of(codes))
                .query((rs, i) -> new CampaignCode(rs.getLong(1), rs.getString(2), rs.getObject(3, LocalDate.class)))
                .list();
    }

    private List<MatchCandidate> codeCampaignRecipients(
            long organizationId, List<CampaignCode> campaignCodes, Collection<String> emails, Collection<String> keys) {
        if (campaignCodes.isEmpty() || (emails.isEmpty() && keys.isEmpty())) {
            return List.of();
        }
        long[] campaignIds = campaignCodes.stream()
                .mapToLong(CampaignCode::campaignId)
                .distinct()
                .toArray();
        return jdbc.sql("SELECT " + CANDIDATE_COLUMNS + """
                         FROM recipient r JOIN campaign c ON c.id = r.campaign_id
                        WHERE r.organization_id = :org
                          AND (r.email_lower = ANY(:emails::text[]) OR r.address_key = ANY(:keys::text[]))
                          AND r.campaign_id = ANY(:campaigns)
                        """)
                .param("org", organizationId)
                .param("campaigns", campaignIds)
                .param("emails", TextArray.of(emails))
                .param("keys", TextArray.of(keys))
                .query(OrderMatching::candidate)
                .list();
    }

    private static <K> Map<K, List<MatchCandidate>> group(
            List<MatchCandidate> candidates, Function<MatchCandidate, K> key) {
        Map<K, List<MatchCandidate>> out = new HashMap<>();
        for (MatchCandidate c : candidates) {
            out.computeIfAbsent(key.apply(c), k -> new ArrayList<>()).add(c);
        }
        return out;
    }

    static MatchCandidate candidate(ResultSet rs, int row) throws SQLException {
        return new MatchCandidate(
                rs.getLong("id"),
                rs.getLong("campaign_id"),
                rs.getString("status"),
                instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("sent_at")),
                rs.getString("email_lower"),
                rs.getString("address_key"),
                rs.getString("discount_code_upper"),
                CampaignStatus.of(rs.getString("campaign_status")),
                rs.getBoolean("use_unique_discount"));
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }
}
