package io.paperrun.attribution;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.paperrun.campaign.CampaignStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Builders for stage A (OrderMatcher) tests. */
final class MatchFixtures {

    static final Instant ORDER_TIME = Instant.parse("2025-06-15T12:00:00Z");
    static final String EMAIL = "jane@example.com";
    static final String OTHER_EMAIL = "john@example.com";
    static final String KEY = "123mainst12345";
    static final String OTHER_KEY = "9elmave54321";
    static final OrganizationRules NO_RULES = new OrganizationRules(null, List.of());

    private MatchFixtures() {}

    static Instant daysBeforeOrder(long days) {
        return ORDER_TIME.minus(Duration.ofDays(days));
    }

    /** A recipient with status {@code sent}, in an active campaign that does not use unique codes. */
    static MatchCandidate sent(long id, long campaignId, Instant createdAt, Instant sentAt, String email, String key) {
        return new MatchCandidate(
                id, campaignId, "sent", createdAt, sentAt, email, key, null, CampaignStatus.ACTIVE, false);
    }

    /** A recipient with any status, sent a week before the order if {@code sent}-like. */
    static MatchCandidate withStatus(
            long id, long campaignId, String status, Instant sentAt, String email, String key) {
        return new MatchCandidate(
                id, campaignId, status, daysBeforeOrder(30), sentAt, email, key, null, CampaignStatus.ACTIVE, false);
    }

    /** A holdout (control group) recipient: never sent. */
    static MatchCandidate holdout(
            long id, long campaignId, Instant createdAt, String email, String key, CampaignStatus campaignStatus) {
        return new MatchCandidate(id, campaignId, "holdout", createdAt, null, email, key, null, campaignStatus, false);
    }

    /** The owner of a unique code, in a campaign that uses unique codes. */
    static MatchCandidate codeOwner(
            long id, long campaignId, String status, Instant createdAt, Instant sentAt, String codeUpper) {
        return new MatchCandidate(
                id,
                campaignId,
                status,
                createdAt,
                sentAt,
                "owner" + id + "@example.com",
                null,
                codeUpper,
                CampaignStatus.ACTIVE,
                true);
    }

    static CampaignCode campaignCode(long campaignId, String codeUpper, LocalDate startDate) {
        return new CampaignCode(campaignId, codeUpper, startDate);
    }

    static Scenario scenario() {
        return new Scenario();
    }

    static void assertAttributed(
            MatchResult result,
            AttributionMethod method,
            Long recipientId,
            long campaignId,
            boolean holdout,
            int duplicateCandidates) {
        assertAll(
                () -> assertEquals(MatchResult.Outcome.ATTRIBUTED, result.outcome(), "outcome"),
                () -> assertEquals(method, result.method(), "method"),
                () -> assertEquals(recipientId, result.recipientId(), "recipientId"),
                () -> assertEquals(Long.valueOf(campaignId), result.campaignId(), "campaignId"),
                () -> assertEquals(holdout, result.holdout(), "holdout"),
                () -> assertEquals(duplicateCandidates, result.duplicateCandidates(), "duplicateCandidates"));
    }

    static void assertNotAttributed(MatchResult result, MatchResult.Outcome outcome) {
        assertAll(
                () -> assertEquals(outcome, result.outcome(), "outcome"),
                () -> assertEquals(null, result.campaignId(), "campaignId"),
                () -> assertEquals(null, result.recipientId(), "recipientId"),
                () -> assertEquals(null, result.method(), "method"),
                () -> assertEquals(false, result.holdout(), "holdout"),
                () -> assertEquals(0, result.duplicateCandidates(), "duplicateCandidates"));
    }

    /**
     * One order and the candidates a caller would have looked up for it. The order's
     * matching forms are computed as the caller does: email trimmed and lowercased,
     * codes trimmed and uppercased.
     */
    static final class Scenario {
        private Instant orderedAt = ORDER_TIME;
        private String email = EMAIL;
        private String addressKey;
        private List<String> codes = List.of();
        private BigDecimal total = new BigDecimal("50.00");
        private Instant activeSubscriptionStart;
        private OrganizationRules organization = NO_RULES;
        private final List<MatchCandidate> emailCandidates = new ArrayList<>();
        private final List<MatchCandidate> addressCandidates = new ArrayList<>();
        private final List<MatchCandidate> uniqueCodeOwners = new ArrayList<>();
        private final List<CampaignCode> campaignCodes = new ArrayList<>();
        private final List<MatchCandidate> codeCampaignRecipients = new ArrayList<>();

        Scenario orderedAt(Instant orderedAt) {
            this.orderedAt = orderedAt;
            return this;
        }

        Scenario email(String email) {
            this.email = email;
            return this;
        }

        Scenario addressKey(String addressKey) {
            this.addressKey = addressKey;
            return this;
        }

        Scenario codes(String... codes) {
            this.codes = Arrays.asList(codes);
            return this;
        }

        Scenario total(String total) {
            this.total = new BigDecimal(total);
            return this;
        }

        Scenario activeSubscriptionStart(Instant start) {
            this.activeSubscriptionStart = start;
            return this;
        }

        Scenario organization(OrganizationRules organization) {
            this.organization = organization;
            return this;
        }

        Scenario byEmail(MatchCandidate... candidates) {
            emailCandidates.addAll(Arrays.asList(candidates));
            return this;
        }

        Scenario byAddress(MatchCandidate... candidates) {
            addressCandidates.addAll(Arrays.asList(candidates));
            return this;
        }

        Scenario uniqueCodeOwners(MatchCandidate... candidates) {
            uniqueCodeOwners.addAll(Arrays.asList(candidates));
            return this;
        }

        Scenario campaignCodes(CampaignCode... codes) {
            campaignCodes.addAll(Arrays.asList(codes));
            return this;
        }

        Scenario codeCampaignRecipients(MatchCandidate... candidates) {
            codeCampaignRecipients.addAll(Arrays.asList(candidates));
            return this;
        }

        OrderFacts facts() {
            String emailLower = email == null ? null : email.trim().toLowerCase(Locale.ROOT);
            List<String> codesUpper =
                    codes.stream().map(c -> c.trim().toUpperCase(Locale.ROOT)).toList();
            return new OrderFacts(orderedAt, email, emailLower, addressKey, codesUpper, total, activeSubscriptionStart);
        }

        MatchResult match() {
            return OrderMatcher.match(
                    facts(),
                    organization,
                    emailCandidates,
                    addressCandidates,
                    uniqueCodeOwners,
                    campaignCodes,
                    codeCampaignRecipients);
        }
    }
}
