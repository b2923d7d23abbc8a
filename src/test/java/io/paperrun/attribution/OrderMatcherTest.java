package io.paperrun.attribution;

import static io.paperrun.attribution.MatchFixtures.EMAIL;
import static io.paperrun.attribution.MatchFixtures.KEY;
import static io.paperrun.attribution.MatchFixtures.ORDER_TIME;
import static io.paperrun.attribution.MatchFixtures.OTHER_EMAIL;
import static io.paperrun.attribution.MatchFixtures.OTHER_KEY;
import static io.paperrun.attribution.MatchFixtures.assertAttributed;
import static io.paperrun.attribution.MatchFixtures.assertNotAttributed;
import static io.paperrun.attribution.MatchFixtures.campaignCode;
import static io.paperrun.attribution.MatchFixtures.codeOwner;
import static io.paperrun.attribution.MatchFixtures.daysBeforeOrder;
import static io.paperrun.attribution.MatchFixtures.holdout;
import static io.paperrun.attribution.MatchFixtures.scenario;
import static io.paperrun.attribution.MatchFixtures.sent;
import static io.paperrun.attribution.MatchFixtures.withStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paperrun.campaign.CampaignStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Stage A — matching (attribution rules). Organization scoping is the caller's job and not tested here. */
class OrderMatcherTest {

    private static final Instant SENT_AT = daysBeforeOrder(7);
    private static final Instant CREATED_AT = daysBeforeOrder(30);

    @Nested
    class Step0InternalOrder {

        private final OrganizationRules acme = new OrganizationRules("acme.com", List.of());

        @Test
        void internalOrderWithEmailDomainEqualToOrganizationDomainIsRecordedInternalAndNotAttributed() {
            MatchResult result = scenario()
                    .organization(acme)
                    .email("buyer@acme.com")
                    .byEmail(sent(1, 10, CREATED_AT, SENT_AT, "buyer@acme.com", null))
                    .match();
            assertNotAttributed(result, MatchResult.Outcome.INTERNAL);
        }

        @Test
        void internalOrderIncludesSubdomainsOfOrganizationDomain() {
            MatchResult result = scenario()
                    .organization(acme)
                    .email("buyer@shop.acme.com")
                    .byEmail(sent(1, 10, CREATED_AT, SENT_AT, "buyer@shop.acme.com", null))
                    .match();
            assertNotAttributed(result, MatchResult.Outcome.INTERNAL);
        }

        @Test
        void internalOrderDomainMatchIsCaseInsensitiveAndTrimmed() {
            OrganizationRules mixedCase = new OrganizationRules("Acme.COM", List.of());
            assertTrue(mixedCase.isInternal("  Buyer@ACME.com "));
            assertTrue(acme.isInternal("Buyer@Shop.Acme.Com"));
            MatchResult result = scenario()
                    .organization(mixedCase)
                    .email("  Buyer@ACME.com ")
                    .byEmail(sent(1, 10, CREATED_AT, SENT_AT, "buyer@acme.com", null))
                    .match();
            assertNotAttributed(result, MatchResult.Outcome.INTERNAL);
        }

        @Test
        void internalOrderDomainThatOnlyEndsWithOrganizationDomainIsNotInternal() {
            assertFalse(acme.isInternal("x@notacme.com"));
            assertFalse(acme.isInternal("x@acme.com.evil.org"));
            MatchResult result = scenario()
                    .organization(acme)
                    .email("x@notacme.com")
                    .byEmail(sent(1, 10, CREATED_AT, SENT_AT, "x@notacme.com", null))
                    .match();
            assertAttributed(result, AttributionMethod.EMAIL, 1L, 10, false, 0);
        }

        @Test
        void internalOrderRequiresOrganizationDomainLongerThanThreeCharacters() {
            assertFalse(new OrganizationRules("abc", List.of()).isInternal("x@abc"));
            assertFalse(new OrganizationRules("a.b", List.of()).isInternal("x@a.b"));
            assertFalse(new OrganizationRules("a.b", List.of()).isInternal("x@sub.a.b"));
            assertTrue(new OrganizationRules("a.io", List.of()).isInternal("x@a.io"));
            assertTrue(new OrganizationRules("abcd", List.of()).isInternal("x@abcd"));

            MatchResult result = scenario()
                    .organization(new OrganizationRules("a.b", List.of()))
                    .email("x@a.b")
                    .byEmail(sent(1, 10, CREATED_AT, SENT_AT, "x@a.b", null))
                    .match();
            assertAttributed(result, AttributionMethod.EMAIL, 1L, 10, false, 0);
        }

        @Test
        void internalOrderNeedsAnOrganizationDomainAndAnOrderEmail() {
            assertFalse(new OrganizationRules(null, List.of()).isInternal("x@acme.com"));
            assertFalse(new OrganizationRules("", List.of()).isInternal("x@acme.com"));
            assertFalse(acme.isInternal(null));
            assertFalse(acme.isInternal("not-an-email"));
        }

        @Test
        void internalOrderIsDecidedBeforeAnyMatchingOrBlacklist() {
            OrganizationRules acmeWithBlacklist = new OrganizationRules("acme.com", List.of("wholesale"));
            MatchResult result = scenario()
                    .organization(acmeWithBlacklist)
                    .email("buyer@acme.com")
                    .codes("WHOLESALE1")
                    .uniqueCodeOwners(codeOwner(5, 50, "sent", CREATED_AT, SENT_AT, "WHOLESALE1"))
                    .match();
            assertNotAttributed(result, MatchResult.Outcome.INTERNAL);
        }
    }

    @Nested
    class Step1Email {

        @Test
        void emailMatchCreditsSentRecipientWithSameEmail() {
            MatchResult result = scenario()
                    .byEmail(sent(1, 10, CREATED_AT, SENT_AT, EMAIL, null))
                    .match();
            assertAttributed(result, AttributionMethod.EMAIL, 1L, 10, false, 0);
        }

        @Test
        void emailMatchComparesTrimmedCaseInsensitiveEmail() {
            // The caller puts both sides in matching form (trimmed, lowercase); the raw order email differs.
            MatchResult result = scenario()
                    .email("  Jane@Example.COM ")
                    .byEmail(sent(1, 10, CREATED_AT, SENT_AT, EMAIL, null))
                    .match();
            assertAttributed(result, AttributionMethod.EMAIL, 1L, 10, false, 0);
        }

        @Test
        void emailMatchRequiresSameEmail() {
            MatchResult result = scenario()
                    .email(OTHER_EMAIL)
                    .byEmail(sent(1, 10, CREATED_AT, SENT_AT, EMAIL, null))
                    .match();
            assertNotAttributed(result, MatchResult.Outcome.UNMATCHED);
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "pending",
                    "proofing_staged",
                    "proofing",
                    "proofed",
                    "sending_staged",
                    "sending",
                    "suppressed",
                    "undeliverable",
                    "failed",
                    "cancelled"
                })
        void emailMatchRequiresStatusSent(String status) {
            MatchResult result = scenario()
                    .byEmail(withStatus(1, 10, status, SENT_AT, EMAIL, null))
                    .match();
            assertNotAttributed(result, MatchResult.Outcome.UNMATCHED);
        }

        @Test
        void emailMatchRequiresSentAtNotAfterOrderTime() {
            MatchResult later = scenario()
                    .byEmail(sent(1, 10, CREATED_AT, ORDER_TIME.plusSeconds(1), EMAIL, null))
                    .match();
            assertNotAttributed(later, MatchResult.Outcome.UNMATCHED);

            MatchResult sameInstant = scenario()
                    .byEmail(sent(1, 10, CREATED_AT, ORDER_TIME, EMAIL, null))
                    .match();
            assertAttributed(sameInstant, AttributionMethod.EMAIL, 1L, 10, false, 0);
        }

        @Test
        void emailMatchRequiresSentAt() {
            MatchResult result = scenario()
                    .byEmail(sent(1, 10, CREATED_AT, null, EMAIL, null))
                    .match();
            assertNotAttributed(result, MatchResult.Outcome.UNMATCHED);
        }

        @Test
        void emailMatchWinsOverAddressMatch() {
            MatchResult result = scenario()
                    .addressKey(KEY)
                    .byEmail(sent(1, 10, daysBeforeOrder(40), SENT_AT, EMAIL, OTHER_KEY))
                    .byAddress(sent(2, 20, daysBeforeOrder(10), SENT_AT, OTHER_EMAIL, KEY))
                    .match();
            assertAttributed(result, AttributionMethod.EMAIL, 1L, 10, false, 0);
        }

        @Test
        void emailMatchWinsOverDiscountCodeAndHoldout() {
            MatchResult result = scenario()
                    .codes("UNIQ1")
                    .byEmail(
                            sent(1, 10, CREATED_AT, SENT_AT, EMAIL, null),
                            holdout(2, 20, daysBeforeOrder(5), EMAIL, null, CampaignStatus.ACTIVE))
                    .uniqueCodeOwners(codeOwner(3, 30, "sent", daysBeforeOrder(2), SENT_AT, "UNIQ1"))
                    .match();
            assertAttributed(result, AttributionMethod.EMAIL, 1L, 10, false, 0);
        }
    }

    @Nested
    class TieBreakingAndDuplicateCandidates {

        @Test
        void mostRecentlyCreatedCandidateWinsAndOthersAreDuplicateCandidates() {
            MatchResult result = scenario()
                    .byEmail(
                            sent(1, 10, daysBeforeOrder(50), SENT_AT, EMAIL, null),
                            sent(2, 20, daysBeforeOrder(20), SENT_AT, EMAIL, null),
                            sent(3, 30, daysBeforeOrder(35), SENT_AT, EMAIL, null))
                    .match();
            assertAttributed(result, AttributionMethod.EMAIL, 2L, 20, false, 2);
        }

        @Test
        void sameCreatedAtHighestIdWins() {
            Instant created = daysBeforeOrder(20);
            MatchResult result = scenario()
                    .byEmail(
                            sent(7, 70, created, SENT_AT, EMAIL, null),
                            sent(9, 90, created, SENT_AT, EMAIL, null),
                            sent(8, 80, created, SENT_AT, EMAIL, null))
                    .match();
            assertAttributed(result, AttributionMethod.EMAIL, 9L, 90, false, 2);
        }

        @Test
        void createdAtDescendingTakesPrecedenceOverId() {
            MatchResult result = scenario()
                    .byEmail(
                            sent(100, 10, daysBeforeOrder(20), SENT_AT, EMAIL, null),
                            sent(1, 20, daysBeforeOrder(10), SENT_AT, EMAIL, null))
                    .match();
            assertAttributed(result, AttributionMethod.EMAIL, 1L, 20, false, 1);
        }

        @Test
        void duplicateCandidatesCountOnlyQualifyingRecipients() {
            MatchResult result = scenario()
                    .byEmail(
                            sent(1, 10, daysBeforeOrder(50), SENT_AT, EMAIL, null),
                            sent(2, 20, daysBeforeOrder(20), SENT_AT, EMAIL, null),
                            // Created most recently, but not eligible: sent after the order, or not sent.
                            sent(3, 30, daysBeforeOrder(1), ORDER_TIME.plusSeconds(60), EMAIL, null),
                            withStatus(4, 40, "sending", SENT_AT, EMAIL, null))
                    .match();
            assertAttributed(result, AttributionMethod.EMAIL, 2L, 20, false, 1);
        }

        @Test
        void sameRecipientListedTwiceIsNotADuplicateCandidate() {
            MatchCandidate recipient = sent(1, 10, CREATED_AT, SENT_AT, EMAIL, null);
            MatchResult result = scenario().byEmail(recipient, recipient).match();
            assertAttributed(result, AttributionMethod.EMAIL, 1L, 10, false, 0);
        }

        @Test
        void addressStepCountsDuplicateCandidates() {
            MatchResult result = scenario()
                    .email(OTHER_EMAIL)
                    .addressKey(KEY)
                    .byAddress(
                            sent(1, 10, daysBeforeOrder(50), SENT_AT, "a@example.com", KEY),
                            sent(2, 20, daysBeforeOrder(20), SENT_AT, "b@example.com", KEY))
                    .match();
            assertAttributed(result, AttributionMethod.PHYSICAL_ADDRESS, 2L, 20, false, 1);
        }
    }

    @Nested
    class Step2PhysicalAddress {

        @Test
        void addressMatchCreditsSentRecipientWithSameAddressKeyWhenEmailFoundNothing() {
            MatchResult result = scenario()
                    .email(OTHER_EMAIL)
                    .addressKey(KEY)
                    .byAddress(sent(1, 10, CREATED_AT, SENT_AT, EMAIL, KEY))
                    .match();
            assertAttributed(result, AttributionMethod.PHYSICAL_ADDRESS, 1L, 10, false, 0);
        }

        @Test
        void addressMatchRunsWhenEmailCandidateIsNotEligible() {
            MatchResult result = scenario()
                    .addressKey(KEY)
                    .byEmail(sent(1, 10, daysBeforeOrder(2), ORDER_TIME.plusSeconds(1), EMAIL, null))
                    .byAddress(sent(2, 20, CREATED_AT, SENT_AT, OTHER_EMAIL, KEY))
                    .match();
            assertAttributed(result, AttributionMethod.PHYSICAL_ADDRESS, 2L, 20, false, 0);
        }

        @Test
        void addressMatchRequiresSentAtNotAfterOrderTime() {
            MatchResult later = scenario()
                    .email(OTHER_EMAIL)
                    .addressKey(KEY)
                    .byAddress(sent(1, 10, CREATED_AT, ORDER_TIME.plusMillis(1), EMAIL, KEY))
                    .match();
            assertNotAttributed(later, MatchResult.Outcome.UNMATCHED);

            MatchResult sameInstant = scenario()
                    .email(OTHER_EMAIL)
                    .addressKey(KEY)
                    .byAddress(sent(1, 10, CREATED_AT, ORDER_TIME, EMAIL, KEY))
                    .match();
            assertAttributed(sameInstant, AttributionMethod.PHYSICAL_ADDRESS, 1L, 10, false, 0);
        }

        @ParameterizedTest
        @ValueSource(strings = {"pending", "proofed", "sending", "suppressed", "undeliverable", "failed", "cancelled"})
        void addressMatchRequiresStatusSent(String status) {
            MatchResult result = scenario()
                    .email(OTHER_EMAIL)
                    .addressKey(KEY)
                    .byAddress(withStatus(1, 10, status, SENT_AT, EMAIL, KEY))
                    .match();
            assertNotAttributed(result, MatchResult.Outcome.UNMATCHED);
        }

        @Test
        void addressMatchRequiresSameAddressKey() {
            MatchResult result = scenario()
                    .email(OTHER_EMAIL)
                    .addressKey(OTHER_KEY)
                    .byAddress(sent(1, 10, CREATED_AT, SENT_AT, EMAIL, KEY))
                    .match();
            assertNotAttributed(result, MatchResult.Outcome.UNMATCHED);
        }

        @Test
        void addressMatchNeedsAnAddressKey() {
            MatchResult result = scenario()
                    .email(OTHER_EMAIL)
                    .addressKey(null)
                    .byAddress(sent(1, 10, CREATED_AT, SENT_AT, EMAIL, null))
                    .match();
            assertNotAttributed(result, MatchResult.Outcome.UNMATCHED);
        }

        @Test
        void activeSubscriptionStartBeforeSentAtGivesNoAddressMatch() {
            MatchResult result = scenario()
                    .email(OTHER_EMAIL)
                    .addressKey(KEY)
                    .activeSubscriptionStart(SENT_AT.minusSeconds(1))
                    .byAddress(sent(1, 10, CREATED_AT, SENT_AT, EMAIL, KEY))
                    .match();
            assertNotAttributed(result, MatchResult.Outcome.UNMATCHED);
        }

        @Test
        void activeSubscriptionStartBeforeSentAtFallsThroughToDiscountCode() {
            MatchResult result = scenario()
                    .email(OTHER_EMAIL)
                    .addressKey(KEY)
                    .codes("SPRING")
                    .activeSubscriptionStart(daysBeforeOrder(100))
                    .byAddress(sent(1, 10, CREATED_AT, SENT_AT, EMAIL, KEY))
                    .campaignCodes(campaignCode(20, "SPRING", LocalDate.of(2025, 5, 1)))
                    .match();
            assertAttributed(result, AttributionMethod.DISCOUNT_CODE, null, 20, false, 0);
        }

        @Test
        void activeSubscriptionStartBeforeSentAtFallsThroughToHoldout() {
            MatchResult result = scenario()
                    .addressKey(KEY)
                    .activeSubscriptionStart(daysBeforeOrder(100))
                    .byEmail(holdout(2, 20, daysBeforeOrder(40), EMAIL, null, CampaignStatus.ACTIVE))
                    .byAddress(sent(1, 10, CREATED_AT, SENT_AT, OTHER_EMAIL, KEY))
                    .match();
            assertAttributed(result, AttributionMethod.EMAIL, 2L, 20, true, 0);
        }

        @Test
        void activeSubscriptionStartAtOrAfterSentAtKeepsAddressMatch() {
            MatchResult atSentAt = scenario()
                    .email(OTHER_EMAIL)
                    .addressKey(KEY)
                    .activeSubscriptionStart(SENT_AT)
                    .byAddress(sent(1, 10, CREATED_AT, SENT_AT, EMAIL, KEY))
                    .match();
            assertAttributed(atSentAt, AttributionMethod.PHYSICAL_ADDRESS, 1L, 10, false, 0);

            MatchResult afterSentAt = scenario()
                    .email(OTHER_EMAIL)
                    .addressKey(KEY)
                    .activeSubscriptionStart(SENT_AT.plusSeconds(3600))
                    .byAddress(sent(1, 10, CREATED_AT, SENT_AT, EMAIL, KEY))
                    .match();
            assertAttributed(afterSentAt, AttributionMethod.PHYSICAL_ADDRESS, 1L, 10, false, 0);
        }

        @Test
        void activeSubscriptionStartIsComparedWithTheChosenRecipientsSentAt() {
            // Chosen (most recently created) was sent 5 days ago; the other one 30 days ago.
            // The subscription started 10 days ago: before the chosen recipient's sent_at.
            MatchResult result = scenario()
                    .email(OTHER_EMAIL)
                    .addressKey(KEY)
                    .activeSubscriptionStart(daysBeforeOrder(10))
                    .byAddress(
                            sent(1, 10, daysBeforeOrder(60), daysBeforeOrder(30), EMAIL, KEY),
                            sent(2, 20, daysBeforeOrder(20), daysBeforeOrder(5), EMAIL, KEY))
                    .match();
            assertNotAttributed(result, MatchResult.Outcome.UNMATCHED);
        }

        @Test
        void activeSubscriptionStartDoesNotAffectEmailMatch() {
            MatchResult result = scenario()
                    .addressKey(KEY)
                    .activeSubscriptionStart(daysBeforeOrder(100))
                    .byEmail(sent(1, 10, CREATED_AT, SENT_AT, EMAIL, KEY))
                    .match();
            assertAttributed(result, AttributionMethod.EMAIL, 1L, 10, false, 0);
        }
    }

    @Nested
    class Step3DiscountCode {

        @Test
        void uniqueCodeCreditsItsOwner() {
            MatchResult result = scenario()
                    .email(OTHER_EMAIL)
                    .codes("  uniq-1 ")
                    .uniqueCodeOwners(codeOwner(5, 50, "sent", CREATED_AT, SENT_AT, "UNIQ-1"))
                    .match();
            assertAttributed(result, AttributionMethod.DISCOUNT_CODE, 5L, 50, false, 0);
        }

        @Test
        void uniqueCodeMatchesAnyOfTheOrdersCodes() {
            MatchResult result = scenario()
                    .email(OTHER_EMAIL)
                    .codes("NOTHING", "UNIQ-1")
                    .uniqueCodeOwners(codeOwner(5, 50, "sent", CREATED_AT, SENT_AT, "UNIQ-1"))
                    .match();
            assertAttributed(result, AttributionMethod.DISCOUNT_CODE, 5L, 50, false, 0);
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "pending",
                    "proofing_staged",
                    "proofing",
                    "proofed",
                    "sending_staged",
                    "sending",
                    "sent",
                    "suppressed",
                    "undeliverable",
                    "failed",
                    "cancelled"
                })
        void uniqueCodeOwnerIsCreditedWhateverItsStatusButHoldout(String status) {
            MatchResult result = scenario()
                    .email(OTHER_EMAIL)
                    .codes("UNIQ-1")
                    .uniqueCodeOwners(codeOwner(5, 50, status, CREATED_AT, null, "UNIQ-1"))
                    .match();
            assertAttributed(result, AttributionMethod.DISCOUNT_CODE, 5L, 50, false, 0);
        }

        @Test
        void uniqueCodeOwnerNeedsNoSentAtBeforeTheOrder() {
            MatchResult result = scenario()
                    .email(OTHER_EMAIL)
                    .codes("UNIQ-1")
                    .uniqueCodeOwners(codeOwner(5, 50, "sent", CREATED_AT, ORDER_TIME.plusSeconds(3600), "UNIQ-1"))
                    .match();
            assertAttributed(result, AttributionMethod.DISCOUNT_CODE, 5L, 50, false, 0);
        }

        @Test
        void uniqueCodeOwnerWithStatusHoldoutIsNotCredited() {
            MatchResult result = scenario()
                    .email(OTHER_EMAIL)
                    .codes("UNIQ-1")
                    .uniqueCodeOwners(codeOwner(5, 50, "holdout", CREATED_AT, null, "UNIQ-1"))
                    .match();
            assertNotAttributed(result, MatchResult.Outcome.UNMATCHED);
        }

        @Test
        void uniqueCodeCountsOnlyInCampaignsThatUseUniqueCodes() {
            MatchCandidate notUnique = new MatchCandidate(
                    5,
                    50,
                    "sent",
                    CREATED_AT,
                    SENT_AT,
                    "owner@example.com",
                    null,
                    "UNIQ-1",
                    CampaignStatus.ACTIVE,
                    false);
            MatchResult result = scenario()
                    .email(OTHER_EMAIL)
                    .codes("UNIQ-1")
                    .uniqueCodeOwners(notUnique)
                    .match();
            assertNotAttributed(result, MatchResult.Outcome.UNMATCHED);
        }

        @Test
        void uniqueCodeOwnersTieBreakByMostRecentlyCreated() {
            MatchResult result = scenario()
                    .email(OTHER_EMAIL)
                    .codes("UNIQ-1")
                    .uniqueCodeOwners(
                            codeOwner(5, 50, "sent", daysBeforeOrder(40), SENT_AT, "UNIQ-1"),
                            codeOwner(6, 60, "sent", daysBeforeOrder(20), SENT_AT, "UNIQ-1"))
                    .match();
            assertAttributed(result, AttributionMethod.DISCOUNT_CODE, 6L, 60, false, 1);
        }

        @Test
        void uniqueCodeBeatsCampaignCode() {
            MatchResult result = scenario()
                    .codes("CAMP10", "UNIQ-1")
                    .campaignCodes(campaignCode(20, "CAMP10", LocalDate.of(2025, 6, 1)))
                    .codeCampaignRecipients(withStatus(2, 20, "sent", SENT_AT, EMAIL, null))
                    .uniqueCodeOwners(codeOwner(5, 50, "sent", daysBeforeOrder(60), SENT_AT, "UNIQ-1"))
                    .match();
            assertAttributed(result, AttributionMethod.DISCOUNT_CODE, 5L, 50, false, 0);
        }

        @Test
        void discountCodeOnlyIfEmailAndAddressFoundNothing() {
            MatchResult byAddress = scenario()
                    .email(OTHER_EMAIL)
                    .addressKey(KEY)
                    .codes("UNIQ-1")
                    .byAddress(sent(1, 10, CREATED_AT, SENT_AT, EMAIL, KEY))
                    .uniqueCodeOwners(codeOwner(5, 50, "sent", daysBeforeOrder(2), SENT_AT, "UNIQ-1"))
                    .match();
            assertAttributed(byAddress, AttributionMethod.PHYSICAL_ADDRESS, 1L, 10, false, 0);
        }

        @Test
        void campaignCodeCreditsCampaignsRecipientWithOrdersEmail() {
            MatchResult result = scenario()
                    .addressKey(KEY)
                    .codes("CAMP10")
                    .campaignCodes(campaignCode(20, "CAMP10", LocalDate.of(2025, 6, 1)))
                    .codeCampaignRecipients(
                            withStatus(3, 20, "sent", SENT_AT, OTHER_EMAIL, KEY),
                            withStatus(2, 20, "pending", null, EMAIL, OTHER_KEY))
                    .match();
            assertAttributed(result, AttributionMethod.DISCOUNT_CODE, 2L, 20, false, 0);
        }

        @Test
        void campaignCodeCreditsRecipientWithOrdersAddressKeyWhenNoneHasItsEmail() {
            MatchResult result = scenario()
                    .addressKey(KEY)
                    .codes("CAMP10")
                    .campaignCodes(campaignCode(20, "CAMP10", LocalDate.of(2025, 6, 1)))
                    .codeCampaignRecipients(withStatus(3, 20, "pending", null, OTHER_EMAIL, KEY))
                    .match();
            assertAttributed(result, AttributionMethod.DISCOUNT_CODE, 3L, 20, false, 0);
        }

        @Test
        void campaignCodeWithoutMatchingRecipientCreditsCampaignWithNoRecipient() {
            MatchResult result = scenario()
                    .addressKey(KEY)
                    .codes("camp10")
                    .campaignCodes(campaignCode(20, "CAMP10", LocalDate.of(2025, 6, 1)))
                    .codeCampaignRecipients(withStatus(3, 20, "sent", SENT_AT, OTHER_EMAIL, OTHER_KEY))
                    .match();
            assertAttributed(result, AttributionMethod.DISCOUNT_CODE, null, 20, false, 0);
        }

        @Test
        void campaignCodeRecipientMustBelongToTheChosenCampaign() {
            MatchResult result = scenario()
                    .codes("CAMP10")
                    .campaignCodes(
                            campaignCode(20, "CAMP10", LocalDate.of(2025, 6, 1)),
                            campaignCode(30, "CAMP10", LocalDate.of(2025, 1, 1)))
                    .codeCampaignRecipients(withStatus(3, 30, "sent", SENT_AT, EMAIL, null))
                    .match();
            assertAttributed(result, AttributionMethod.DISCOUNT_CODE, null, 20, false, 0);
        }

        @Test
        void campaignCodeSharedByCampaignsGoesToLatestStartDate() {
            MatchResult result = scenario()
                    .codes("CAMP10")
                    .campaignCodes(
                            campaignCode(90, "CAMP10", LocalDate.of(2025, 3, 1)),
                            campaignCode(20, "CAMP10", LocalDate.of(2025, 5, 1)),
                            campaignCode(50, "CAMP10", LocalDate.of(2025, 4, 1)))
                    .codeCampaignRecipients(
                            withStatus(1, 90, "sent", SENT_AT, EMAIL, null),
                            withStatus(2, 20, "sent", SENT_AT, EMAIL, null),
                            withStatus(3, 50, "sent", SENT_AT, EMAIL, null))
                    .match();
            assertAttributed(result, AttributionMethod.DISCOUNT_CODE, 2L, 20, false, 0);
        }

        @Test
        void campaignCodeSharedByCampaignsWithSameStartDateGoesToHighestId() {
            LocalDate start = LocalDate.of(2025, 5, 1);
            MatchResult result = scenario()
                    .codes("CAMP10")
                    .campaignCodes(
                            campaignCode(20, "CAMP10", start),
                            campaignCode(90, "CAMP10", start),
                            campaignCode(50, "CAMP10", start))
                    .match();
            assertAttributed(result, AttributionMethod.DISCOUNT_CODE, null, 90, false, 0);
        }

        @Test
        void campaignCodeRecipientTieBreakByMostRecentlyCreated() {
            MatchCandidate older = new MatchCandidate(
                    1, 20, "sent", daysBeforeOrder(50), SENT_AT, EMAIL, null, null, CampaignStatus.ACTIVE, false);
            MatchCandidate newer = new MatchCandidate(
                    2, 20, "sent", daysBeforeOrder(10), SENT_AT, EMAIL, null, null, CampaignStatus.ACTIVE, false);
            MatchResult result = scenario()
                    .codes("CAMP10")
                    .campaignCodes(campaignCode(20, "CAMP10", LocalDate.of(2025, 5, 1)))
                    .codeCampaignRecipients(older, newer)
                    .match();
            assertAttributed(result, AttributionMethod.DISCOUNT_CODE, 2L, 20, false, 1);
        }

        @Test
        void campaignCodeMustBeOneOfTheOrdersCodes() {
            MatchResult result = scenario()
                    .codes("OTHER")
                    .campaignCodes(campaignCode(20, "CAMP10", LocalDate.of(2025, 5, 1)))
                    .match();
            assertNotAttributed(result, MatchResult.Outcome.UNMATCHED);
        }

        @Test
        void orderWithoutCodesHasNoDiscountCodeMatch() {
            MatchResult result = scenario()
                    .email(OTHER_EMAIL)
                    .uniqueCodeOwners(codeOwner(5, 50, "sent", CREATED_AT, SENT_AT, "UNIQ-1"))
                    .campaignCodes(campaignCode(20, "CAMP10", LocalDate.of(2025, 5, 1)))
                    .match();
            assertNotAttributed(result, MatchResult.Outcome.UNMATCHED);
        }
    }

    @Nested
    class Step4Holdout {

        @Test
        void holdoutMatchByEmailIsFlaggedHoldout() {
            MatchResult result = scenario()
                    .byEmail(holdout(1, 10, CREATED_AT, EMAIL, null, CampaignStatus.ACTIVE))
                    .match();
            assertAttributed(result, AttributionMethod.EMAIL, 1L, 10, true, 0);
        }

        @Test
        void holdoutMatchByAddressIsFlaggedHoldout() {
            MatchResult result = scenario()
                    .email(OTHER_EMAIL)
                    .addressKey(KEY)
                    .byAddress(holdout(1, 10, CREATED_AT, EMAIL, KEY, CampaignStatus.ACTIVE))
                    .match();
            assertAttributed(result, AttributionMethod.PHYSICAL_ADDRESS, 1L, 10, true, 0);
        }

        @Test
        void holdoutMatchRequiresOrderStrictlyAfterCreatedAt() {
            MatchResult same = scenario()
                    .byEmail(holdout(1, 10, ORDER_TIME, EMAIL, null, CampaignStatus.ACTIVE))
                    .match();
            assertNotAttributed(same, MatchResult.Outcome.UNMATCHED);

            MatchResult before = scenario()
                    .byEmail(holdout(1, 10, ORDER_TIME.plusSeconds(1), EMAIL, null, CampaignStatus.ACTIVE))
                    .match();
            assertNotAttributed(before, MatchResult.Outcome.UNMATCHED);

            MatchResult after = scenario()
                    .byEmail(holdout(1, 10, ORDER_TIME.minusMillis(1), EMAIL, null, CampaignStatus.ACTIVE))
                    .match();
            assertAttributed(after, AttributionMethod.EMAIL, 1L, 10, true, 0);
        }

        @ParameterizedTest
        @EnumSource(
                value = CampaignStatus.class,
                names = {"ACTIVE", "COMPLETED", "PAUSED"})
        void holdoutMatchWhenCampaignIsActiveCompletedOrPaused(CampaignStatus status) {
            MatchResult result = scenario()
                    .byEmail(holdout(1, 10, CREATED_AT, EMAIL, null, status))
                    .match();
            assertAttributed(result, AttributionMethod.EMAIL, 1L, 10, true, 0);
        }

        @ParameterizedTest
        @EnumSource(
                value = CampaignStatus.class,
                names = {"ACTIVE", "COMPLETED", "PAUSED"},
                mode = EnumSource.Mode.EXCLUDE)
        void holdoutMatchNotWhenCampaignIsInAnyOtherStatus(CampaignStatus status) {
            MatchResult result = scenario()
                    .byEmail(holdout(1, 10, CREATED_AT, EMAIL, null, status))
                    .match();
            assertNotAttributed(result, MatchResult.Outcome.UNMATCHED);
        }

        @Test
        void holdoutMatchRequiresOrderValueAtLeastOneDollar() {
            MatchCandidate h = holdout(1, 10, CREATED_AT, EMAIL, null, CampaignStatus.ACTIVE);
            assertNotAttributed(scenario().total("0.99").byEmail(h).match(), MatchResult.Outcome.UNMATCHED);
            assertNotAttributed(scenario().total("0").byEmail(h).match(), MatchResult.Outcome.UNMATCHED);
            assertAttributed(scenario().total("1.00").byEmail(h).match(), AttributionMethod.EMAIL, 1L, 10, true, 0);
            assertAttributed(scenario().total("1").byEmail(h).match(), AttributionMethod.EMAIL, 1L, 10, true, 0);
        }

        @Test
        void holdoutMatchOnlyIfStepsOneToThreeFoundNothing() {
            MatchCandidate h = holdout(1, 10, daysBeforeOrder(2), EMAIL, KEY, CampaignStatus.ACTIVE);
            MatchResult email = scenario()
                    .byEmail(h, sent(2, 20, CREATED_AT, SENT_AT, EMAIL, null))
                    .match();
            assertAttributed(email, AttributionMethod.EMAIL, 2L, 20, false, 0);

            MatchResult address = scenario()
                    .addressKey(KEY)
                    .byEmail(h)
                    .byAddress(h, sent(3, 30, CREATED_AT, SENT_AT, OTHER_EMAIL, KEY))
                    .match();
            assertAttributed(address, AttributionMethod.PHYSICAL_ADDRESS, 3L, 30, false, 0);

            MatchResult code = scenario()
                    .codes("CAMP10")
                    .byEmail(h)
                    .campaignCodes(campaignCode(40, "CAMP10", LocalDate.of(2025, 5, 1)))
                    .match();
            assertAttributed(code, AttributionMethod.DISCOUNT_CODE, null, 40, false, 0);
        }

        @Test
        void holdoutOwnerOfUniqueCodeIsMatchedAsHoldoutNotByCode() {
            MatchCandidate h = new MatchCandidate(
                    1, 10, "holdout", CREATED_AT, null, EMAIL, null, "UNIQ-1", CampaignStatus.ACTIVE, true);
            MatchResult result =
                    scenario().codes("UNIQ-1").byEmail(h).uniqueCodeOwners(h).match();
            assertAttributed(result, AttributionMethod.EMAIL, 1L, 10, true, 0);
        }

        @Test
        void holdoutCandidatesTieBreakByMostRecentlyCreatedAcrossEmailAndAddress() {
            MatchResult result = scenario()
                    .addressKey(KEY)
                    .byEmail(holdout(1, 10, daysBeforeOrder(40), EMAIL, OTHER_KEY, CampaignStatus.ACTIVE))
                    .byAddress(holdout(2, 20, daysBeforeOrder(10), OTHER_EMAIL, KEY, CampaignStatus.COMPLETED))
                    .match();
            assertAttributed(result, AttributionMethod.PHYSICAL_ADDRESS, 2L, 20, true, 1);
        }

        @Test
        void holdoutCandidateFoundByEmailAndAddressCountsOnce() {
            MatchCandidate h = holdout(1, 10, CREATED_AT, EMAIL, KEY, CampaignStatus.ACTIVE);
            MatchResult result =
                    scenario().addressKey(KEY).byEmail(h).byAddress(h).match();
            assertAttributed(result, AttributionMethod.EMAIL, 1L, 10, true, 0);
        }

        @Test
        void holdoutDuplicateCandidatesCountOnlyQualifyingHoldouts() {
            MatchResult result = scenario()
                    .byEmail(
                            holdout(1, 10, daysBeforeOrder(40), EMAIL, null, CampaignStatus.ACTIVE),
                            holdout(2, 20, daysBeforeOrder(10), EMAIL, null, CampaignStatus.PENDING),
                            holdout(3, 30, ORDER_TIME.plus(Duration.ofDays(1)), EMAIL, null, CampaignStatus.ACTIVE),
                            holdout(4, 40, daysBeforeOrder(30), EMAIL, null, CampaignStatus.PAUSED))
                    .match();
            assertAttributed(result, AttributionMethod.EMAIL, 4L, 40, true, 1);
        }
    }

    @Nested
    class Step5Blacklist {

        private final OrganizationRules wholesale = new OrganizationRules(null, List.of("wholesale"));

        @Test
        void blacklistedCodeSubstringDropsEmailAttribution() {
            MatchResult result = scenario()
                    .organization(wholesale)
                    .codes("SUMMER-WHOLESALE-25")
                    .byEmail(sent(1, 10, CREATED_AT, SENT_AT, EMAIL, null))
                    .match();
            assertNotAttributed(result, MatchResult.Outcome.BLACKLISTED);
        }

        @Test
        void blacklistComparisonIsCaseInsensitive() {
            OrganizationRules mixed = new OrganizationRules(null, List.of("WholeSale"));
            assertTrue(mixed.isBlacklisted(List.of("my-wholesale")));
            assertTrue(mixed.isBlacklisted(List.of("MY-WHOLESALE")));
            MatchResult result = scenario()
                    .organization(mixed)
                    .codes("xWHOLESALEx")
                    .byEmail(sent(1, 10, CREATED_AT, SENT_AT, EMAIL, null))
                    .match();
            assertNotAttributed(result, MatchResult.Outcome.BLACKLISTED);
        }

        @Test
        void blacklistComparisonIsCaseInsensitiveBeyondAscii() {
            // An order's codes are compared in upper case ("straße" is "STRASSE"): the entry is taken the same way.
            OrganizationRules german = new OrganizationRules(null, List.of("Straße"));
            MatchResult result = scenario()
                    .organization(german)
                    .codes("straße-1")
                    .byEmail(sent(1, 10, CREATED_AT, SENT_AT, EMAIL, null))
                    .match();
            assertNotAttributed(result, MatchResult.Outcome.BLACKLISTED);
            assertTrue(german.isBlacklisted(OrderFacts.codesUpper(List.of("STRASSE-2"))));
        }

        @Test
        void blacklistEntriesAreTrimmedAndABlankOneBlacklistsNothing() {
            OrganizationRules padded = new OrganizationRules(null, List.of(" ", "", "  Staff- "));
            assertFalse(padded.isBlacklisted(List.of("SUMMER10")));
            assertTrue(padded.isBlacklisted(List.of("STAFF-7")));
            assertFalse(padded.isBlacklisted(List.of("STAFF 7")));
        }

        @Test
        void blacklistAppliesIfAnyOfTheOrdersCodesContainsASubstring() {
            OrganizationRules two = new OrganizationRules(null, List.of("staff", "wholesale"));
            MatchResult result = scenario()
                    .organization(two)
                    .codes("SUMMER10", "STAFF-ONLY")
                    .byEmail(sent(1, 10, CREATED_AT, SENT_AT, EMAIL, null))
                    .match();
            assertNotAttributed(result, MatchResult.Outcome.BLACKLISTED);
        }

        @Test
        void blacklistDropsDiscountCodeAttribution() {
            MatchResult result = scenario()
                    .organization(wholesale)
                    .email(OTHER_EMAIL)
                    .codes("WHOLESALE-7")
                    .uniqueCodeOwners(codeOwner(5, 50, "sent", CREATED_AT, SENT_AT, "WHOLESALE-7"))
                    .match();
            assertNotAttributed(result, MatchResult.Outcome.BLACKLISTED);
        }

        @Test
        void blacklistDropsHoldoutAttribution() {
            MatchResult result = scenario()
                    .organization(wholesale)
                    .codes("WHOLESALE")
                    .byEmail(holdout(1, 10, CREATED_AT, EMAIL, null, CampaignStatus.ACTIVE))
                    .match();
            assertNotAttributed(result, MatchResult.Outcome.BLACKLISTED);
        }

        @Test
        void blacklistOnlyAppliesToAttributedOrders() {
            MatchResult result = scenario()
                    .organization(wholesale)
                    .email(OTHER_EMAIL)
                    .codes("WHOLESALE")
                    .match();
            assertNotAttributed(result, MatchResult.Outcome.UNMATCHED);
        }

        @Test
        void codesWithoutBlacklistedSubstringKeepTheAttribution() {
            MatchResult result = scenario()
                    .organization(wholesale)
                    .codes("SUMMER10")
                    .byEmail(sent(1, 10, CREATED_AT, SENT_AT, EMAIL, null))
                    .match();
            assertAttributed(result, AttributionMethod.EMAIL, 1L, 10, false, 0);
        }

        @Test
        void blacklistIsOrganizationConfigurationWithNoBuiltInSubstrings() {
            OrganizationRules none = new OrganizationRules("acme.com", List.of());
            assertFalse(none.isBlacklisted(List.of("WHOLESALE")));
            MatchResult result = scenario()
                    .organization(none)
                    .codes("WHOLESALE")
                    .byEmail(sent(1, 10, CREATED_AT, SENT_AT, EMAIL, null))
                    .match();
            assertAttributed(result, AttributionMethod.EMAIL, 1L, 10, false, 0);
        }
    }

    @Test
    void unmatchedOrderHasNoCampaignRecipientOrMethod() {
        MatchResult result = scenario().addressKey(KEY).codes("NOPE").match();
        assertNotAttributed(result, MatchResult.Outcome.UNMATCHED);
        assertEquals(MatchResult.UNMATCHED, result);
    }
}
