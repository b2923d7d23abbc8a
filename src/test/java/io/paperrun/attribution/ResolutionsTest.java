package io.paperrun.attribution;

import static io.paperrun.attribution.MatchFixtures.EMAIL;
import static io.paperrun.attribution.MatchFixtures.ORDER_TIME;
import static io.paperrun.attribution.MatchFixtures.OTHER_EMAIL;
import static io.paperrun.attribution.MatchFixtures.assertAttributed;
import static io.paperrun.attribution.MatchFixtures.assertNotAttributed;
import static io.paperrun.attribution.MatchFixtures.daysBeforeOrder;
import static io.paperrun.attribution.MatchFixtures.scenario;
import static io.paperrun.attribution.MatchFixtures.sent;
import static io.paperrun.attribution.RulesFixtures.FIRST_SEND;
import static io.paperrun.attribution.RulesFixtures.afterWindow;
import static io.paperrun.attribution.RulesFixtures.assertDecision;
import static io.paperrun.attribution.RulesFixtures.assertFails;
import static io.paperrun.attribution.RulesFixtures.assertPasses;
import static io.paperrun.attribution.RulesFixtures.campaign;
import static io.paperrun.attribution.RulesFixtures.control;
import static io.paperrun.attribution.RulesFixtures.days;
import static io.paperrun.attribution.RulesFixtures.decideAlone;
import static io.paperrun.attribution.RulesFixtures.decideAmong;
import static io.paperrun.attribution.RulesFixtures.experimental;
import static io.paperrun.attribution.RulesFixtures.holdoutEnabled;
import static io.paperrun.attribution.RulesFixtures.holdoutRecipient;
import static io.paperrun.attribution.RulesFixtures.inWindow;
import static io.paperrun.attribution.RulesFixtures.sentRecipient;
import static io.paperrun.attribution.RulesFixtures.standard;
import static io.paperrun.attribution.RulesFixtures.unsentRecipient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paperrun.attribution.AttributionRules.Attributed;
import io.paperrun.attribution.AttributionRules.Campaign;
import io.paperrun.attribution.AttributionRules.Recipient;
import io.paperrun.campaign.AttributionWindow;
import io.paperrun.campaign.FlowTrigger;
import io.paperrun.enrichment.AddressKey;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One test per row of "Resolutions of the seed's contradictions" in the attribution rules. */
class ResolutionsTest {

    /** Row "min_days with holdout enabled": 1, not 0 (§5.3) nor 3. */
    @Test
    void minDaysWithHoldoutEnabledIsOne() {
        for (FlowTrigger trigger : FlowTrigger.values()) {
            assertEquals(1, AttributionWindow.of(true, trigger).minDays(), trigger.name());
        }
        Campaign campaign = holdoutEnabled();
        Instant oneDay = days(FIRST_SEND, 1);
        // 0 days would let this pass; 1 day does not.
        assertFails(decideAlone(experimental(1, oneDay.minusMillis(1)), sentRecipient(), campaign));
        assertFails(decideAlone(control(1, oneDay.minusMillis(1)), holdoutRecipient(), campaign));
        // 3 days would fail this; 1 day passes.
        assertPasses(decideAlone(experimental(1, oneDay), sentRecipient(), campaign));
        assertPasses(decideAlone(control(1, oneDay), holdoutRecipient(), campaign));
    }

    /** Row "window start": max(first_send + min, created + min) (§3.2), not the recipient's sent_at. */
    @Test
    void windowStartIsMaxOfFirstSendPlusMinAndCreatedPlusMinNotSentAt() {
        // Recipient created before the first send but sent two days after it.
        Recipient sentLater = new Recipient(days(FIRST_SEND, -5), days(FIRST_SEND, 2));
        Instant firstSendPlusMin = days(FIRST_SEND, 3);
        assertPasses(decideAlone(experimental(1, firstSendPlusMin), sentLater, standard()));
        assertFails(decideAlone(experimental(1, firstSendPlusMin.minusMillis(1)), sentLater, standard()));
        // The window ends 63 days after that start, not after sent_at + 3 days.
        assertFails(decideAlone(experimental(1, days(firstSendPlusMin, 63)), sentLater, standard()));

        // Recipient created after the first send: created + min is the later one.
        Recipient createdLater = new Recipient(days(FIRST_SEND, 4), days(FIRST_SEND, 4));
        assertFails(decideAlone(experimental(1, days(FIRST_SEND, 7).minusMillis(1)), createdLater, standard()));
        assertPasses(decideAlone(experimental(1, days(FIRST_SEND, 7)), createdLater, standard()));
    }

    /** Row "order before sent_at": a sent recipient is eligible only if sent_at <= order time. */
    @Test
    void sentRecipientIsEligibleOnlyIfSentAtIsNotAfterOrderTime() {
        String key = AddressKey.of("1 Main St", null, "12345", "US");
        MatchCandidate sentAfterOrder = sent(1, 10, daysBeforeOrder(20), ORDER_TIME.plusSeconds(1), EMAIL, key);
        assertNotAttributed(
                scenario()
                        .addressKey(key)
                        .byEmail(sentAfterOrder)
                        .byAddress(sentAfterOrder)
                        .match(),
                MatchResult.Outcome.UNMATCHED);

        MatchCandidate sentAtOrder = sent(1, 10, daysBeforeOrder(20), ORDER_TIME, EMAIL, key);
        assertAttributed(
                scenario()
                        .addressKey(key)
                        .byEmail(sentAtOrder)
                        .byAddress(sentAtOrder)
                        .match(),
                AttributionMethod.EMAIL,
                1L,
                10,
                false,
                0);
        assertAttributed(
                scenario()
                        .email(OTHER_EMAIL)
                        .addressKey(key)
                        .byAddress(sentAtOrder)
                        .match(),
                AttributionMethod.PHYSICAL_ADDRESS,
                1L,
                10,
                false,
                0);
    }

    /** Row "repeat orders vs BFCM cutoff": the cutoff wins. */
    @Test
    void repeatOrdersDoNotOverrideBfcmCutoff() {
        Campaign bfcm = campaign(
                FlowTrigger.BFCM,
                false,
                LocalDate.of(2025, 11, 28),
                Instant.parse("2025-09-01T00:00:00Z")); // window 4 Sep – 6 Nov, cutoff 30 Nov
        Recipient recipient =
                new Recipient(Instant.parse("2025-08-25T00:00:00Z"), Instant.parse("2025-09-01T00:00:00Z"));
        Attributed first = experimental(1, Instant.parse("2025-09-15T00:00:00Z"));
        Attributed repeatAfterCutoff = experimental(2, Instant.parse("2025-12-02T00:00:00Z"));
        assertPasses(decideAmong(first, recipient, bfcm, first, repeatAfterCutoff));
        assertDecision(decideAmong(repeatAfterCutoff, recipient, bfcm, first, repeatAfterCutoff), false, 2, false);
    }

    /** Row "$0 order on an unsent recipient's discount code": $0 always fails. */
    @Test
    void zeroValueOrderOnUnsentRecipientsDiscountCodeFails() {
        Attributed zeroCode = experimental(1, inWindow(), "0.00", AttributionMethod.DISCOUNT_CODE);
        assertDecision(decideAlone(zeroCode, unsentRecipient(), standard()), false, 1, false);
        assertDecision(AttributionRules.decide(zeroCode, null, standard(), List.of()), false, 1, false);
        // The same order with a value passes.
        Attributed paidCode = experimental(1, inWindow(), "0.01", AttributionMethod.DISCOUNT_CODE);
        assertPasses(decideAlone(paidCode, unsentRecipient(), standard()));
    }

    /** Row "repeat-order rule for holdouts": both groups. */
    @Test
    void repeatOrderRuleAppliesToHoldoutsToo() {
        Attributed controlFirst = control(1, inWindow());
        Attributed controlRepeat = control(2, afterWindow());
        assertDecision(
                decideAmong(controlRepeat, holdoutRecipient(), holdoutEnabled(), controlFirst, controlRepeat),
                true,
                2,
                false);

        Attributed experimentalFirst = experimental(1, inWindow());
        Attributed experimentalRepeat = experimental(2, afterWindow());
        assertDecision(
                decideAmong(
                        experimentalRepeat, sentRecipient(), holdoutEnabled(), experimentalFirst, experimentalRepeat),
                true,
                2,
                false);
    }

    /** Row "which earlier attribution counts": the earliest by order time, not the first in the list. */
    @Test
    void earlierAttributionThatCountsIsTheEarliestByOrderTime() {
        Attributed earliestFailed = experimental(50, days(FIRST_SEND, 1)); // before window start
        Attributed laterPassed = experimental(10, inWindow());
        Attributed repeat = experimental(60, afterWindow());
        assertDecision(
                decideAmong(repeat, sentRecipient(), standard(), laterPassed, repeat, earliestFailed), false, 3, false);

        Attributed earliestPassed = experimental(50, inWindow());
        Attributed laterFailed = experimental(10, days(inWindow(), 1), "0", AttributionMethod.EMAIL);
        assertDecision(
                decideAmong(repeat, sentRecipient(), standard(), laterFailed, repeat, earliestPassed), true, 3, false);
    }

    /** Row "internal email domain": equal or subdomain, not endswith. */
    @Test
    void internalEmailDomainMeansEqualOrSubdomain() {
        OrganizationRules acme = new OrganizationRules("acme.com", List.of());
        assertTrue(acme.isInternal("x@acme.com"));
        assertTrue(acme.isInternal("x@mail.acme.com"));
        assertFalse(acme.isInternal("x@notacme.com"));
        assertFalse(acme.isInternal("x@acme.com.au"));
        assertFalse(acme.isInternal("acme.com"));
        assertFalse(acme.isInternal("x@com"));
        assertFalse(acme.isInternal("x@cme.com"));
        assertTrue(acme.isInternal("x@.acme.com"));
        assertTrue(new OrganizationRules(" ACME.com ", List.of()).isInternal("x@Mail.Acme.COM"));
        assertFalse(new OrganizationRules("a.b", List.of()).isInternal("x@a.b")); // 3 characters or fewer: none

        MatchCandidate recipient = sent(1, 10, daysBeforeOrder(20), daysBeforeOrder(7), "x@notacme.com", null);
        assertAttributed(
                scenario()
                        .organization(acme)
                        .email("x@notacme.com")
                        .byEmail(recipient)
                        .match(),
                AttributionMethod.EMAIL,
                1L,
                10,
                false,
                0);
        MatchCandidate staff = sent(2, 10, daysBeforeOrder(20), daysBeforeOrder(7), "x@mail.acme.com", null);
        assertNotAttributed(
                scenario()
                        .organization(acme)
                        .email("x@mail.acme.com")
                        .byEmail(staff)
                        .match(),
                MatchResult.Outcome.INTERNAL);
    }

    /** Row "org-specific blacklist": per-organization configuration, no tenant logic in code. */
    @Test
    void orgSpecificBlacklistIsOrganizationConfiguration() {
        MatchCandidate recipient = sent(1, 10, daysBeforeOrder(20), daysBeforeOrder(7), EMAIL, null);

        OrganizationRules configured = new OrganizationRules(null, List.of("staff-"));
        assertNotAttributed(
                scenario()
                        .organization(configured)
                        .codes("STAFF-JANE")
                        .byEmail(recipient)
                        .match(),
                MatchResult.Outcome.BLACKLISTED);
        // "wholesale" is not built in: with that configuration it is an ordinary code.
        assertAttributed(
                scenario()
                        .organization(configured)
                        .codes("WHOLESALE")
                        .byEmail(recipient)
                        .match(),
                AttributionMethod.EMAIL,
                1L,
                10,
                false,
                0);

        OrganizationRules empty = new OrganizationRules(null, List.of());
        assertAttributed(
                scenario()
                        .organization(empty)
                        .codes("WHOLESALE")
                        .byEmail(recipient)
                        .match(),
                AttributionMethod.EMAIL,
                1L,
                10,
                false,
                0);

        OrganizationRules wholesale = new OrganizationRules(null, List.of("wholesale"));
        assertNotAttributed(
                scenario()
                        .organization(wholesale)
                        .codes("WHOLESALE")
                        .byEmail(recipient)
                        .match(),
                MatchResult.Outcome.BLACKLISTED);
    }

    /** Row "address key": plus abbreviations, punctuation and ZIP5 — "123 Main Street" and "123 Main St." are one house. */
    @Test
    void addressKeyNormalisesAbbreviationsPunctuationAndZip5() {
        String mailed = AddressKey.of("123 Main Street", "Apartment 4", "12345", "US");
        String shipped = AddressKey.of("123 Main St.", "Apt. #4", "12345-6789", "US");
        assertNotNull(mailed);
        assertEquals(mailed, shipped);

        MatchCandidate recipient = sent(1, 10, daysBeforeOrder(20), daysBeforeOrder(7), EMAIL, mailed);
        assertAttributed(
                scenario()
                        .email(OTHER_EMAIL)
                        .addressKey(shipped)
                        .byAddress(recipient)
                        .match(),
                AttributionMethod.PHYSICAL_ADDRESS,
                1L,
                10,
                false,
                0);
    }
}
