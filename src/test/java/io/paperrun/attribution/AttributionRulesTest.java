package io.paperrun.attribution;

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
import static io.paperrun.attribution.RulesFixtures.withStatus;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.paperrun.attribution.AttributionRules.Attributed;
import io.paperrun.attribution.AttributionRules.Campaign;
import io.paperrun.attribution.AttributionRules.Recipient;
import io.paperrun.campaign.CampaignStatus;
import io.paperrun.campaign.FlowTrigger;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Stage B — processing (attribution rules, steps 1–8 and the window table). */
class AttributionRulesTest {

    /** BFCM end date that never cuts a March window short (cutoff 31 December). */
    private static final LocalDate LATE_END = LocalDate.of(2025, 12, 31);

    /**
     * Checks {@code start <= t < start + max} at both boundaries, for an experimental attribution of a
     * sent recipient and a control attribution of a holdout recipient (both created before first send).
     */
    private static void assertWindow(Campaign campaign, int minDays, int maxDays) {
        Instant start = FIRST_SEND.plus(Duration.ofHours(24L * minDays));
        Instant end = start.plus(Duration.ofHours(24L * maxDays));
        assertAll(
                () -> assertFails(decideAlone(experimental(1, start.minusMillis(1)), sentRecipient(), campaign)),
                () -> assertPasses(decideAlone(experimental(1, start), sentRecipient(), campaign)),
                () -> assertPasses(decideAlone(experimental(1, end.minusMillis(1)), sentRecipient(), campaign)),
                () -> assertFails(decideAlone(experimental(1, end), sentRecipient(), campaign)),
                () -> assertFails(decideAlone(control(1, start.minusMillis(1)), holdoutRecipient(), campaign)),
                () -> assertPasses(decideAlone(control(1, start), holdoutRecipient(), campaign)),
                () -> assertPasses(decideAlone(control(1, end.minusMillis(1)), holdoutRecipient(), campaign)),
                () -> assertFails(decideAlone(control(1, end), holdoutRecipient(), campaign)));
    }

    @Nested
    class WindowTable {

        @ParameterizedTest
        @EnumSource(FlowTrigger.class)
        void holdoutEnabledCampaignWindowIsOneToSixtyDaysForAnyTrigger(FlowTrigger trigger) {
            assertWindow(campaign(trigger, true, trigger == FlowTrigger.BFCM ? LATE_END : null, FIRST_SEND), 1, 60);
        }

        @Test
        void firstPurchaseCampaignWindowIsThreeTo180Days() {
            assertWindow(campaign(FlowTrigger.FIRST_PURCHASE, false, null, FIRST_SEND), 3, 180);
        }

        @Test
        void bfcmCampaignWindowIsThreeTo63Days() {
            assertWindow(campaign(FlowTrigger.BFCM, false, LATE_END, FIRST_SEND), 3, 63);
        }

        @Test
        void standardCampaignWindowIsThreeTo63Days() {
            assertWindow(standard(), 3, 63);
        }
    }

    @Nested
    class Step1NoRecipientOrNotSent {

        @Test
        void noRecipientPassesOnlyWithDiscountCode() {
            // Far outside any window, before the first send even: no window applies.
            Attributed beforeSend = experimental(1, days(FIRST_SEND, -30), "10.00", AttributionMethod.DISCOUNT_CODE);
            assertDecision(AttributionRules.decide(beforeSend, null, standard(), List.of()), true, 1, false);
            Attributed late = experimental(1, afterWindow(), "10.00", AttributionMethod.DISCOUNT_CODE);
            assertDecision(AttributionRules.decide(late, null, standard(), List.of()), true, 1, false);

            Attributed byEmail = experimental(1, inWindow(), "10.00", AttributionMethod.EMAIL);
            assertDecision(AttributionRules.decide(byEmail, null, standard(), List.of()), false, 1, false);
        }

        @Test
        void unsentRecipientPassesOnlyWithDiscountCode() {
            assertPasses(decideAlone(
                    experimental(1, afterWindow(), "10.00", AttributionMethod.DISCOUNT_CODE),
                    unsentRecipient(),
                    standard()));
            assertFails(decideAlone(
                    experimental(1, inWindow(), "10.00", AttributionMethod.EMAIL), unsentRecipient(), standard()));
            assertFails(decideAlone(
                    experimental(1, inWindow(), "10.00", AttributionMethod.PHYSICAL_ADDRESS),
                    unsentRecipient(),
                    standard()));
        }

        @Test
        void unsentRecipientDiscountCodeNeedsNoFirstSendDate() {
            Campaign neverSent = campaign(FlowTrigger.STANDARD, false, null, null);
            assertPasses(decideAlone(
                    experimental(1, inWindow(), "10.00", AttributionMethod.DISCOUNT_CODE),
                    unsentRecipient(),
                    neverSent));
        }

        @Test
        void discountCodeOnSentRecipientMustBeInWindow() {
            assertFails(decideAlone(
                    experimental(1, afterWindow(), "10.00", AttributionMethod.DISCOUNT_CODE),
                    sentRecipient(),
                    standard()));
            assertPasses(decideAlone(
                    experimental(1, inWindow(), "10.00", AttributionMethod.DISCOUNT_CODE),
                    sentRecipient(),
                    standard()));
        }

        @Test
        void holdoutAttributionsSkipStepOne() {
            // A holdout recipient is never sent; its email/address attribution still goes through the window.
            assertPasses(decideAlone(control(1, inWindow()), holdoutRecipient(), holdoutEnabled()));
            assertPasses(decideAlone(
                    new Attributed(1, inWindow(), new BigDecimal("5.00"), AttributionMethod.PHYSICAL_ADDRESS, true),
                    holdoutRecipient(),
                    holdoutEnabled()));
            assertFails(decideAlone(control(1, afterWindow()), holdoutRecipient(), holdoutEnabled()));
        }
    }

    @Nested
    class Step2Window {

        @Test
        void windowStartIsFirstSendPlusMinDaysWhenRecipientCreatedEarlier() {
            Instant start = days(FIRST_SEND, 3);
            assertFails(decideAlone(experimental(1, start.minusSeconds(1)), sentRecipient(), standard()));
            assertPasses(decideAlone(experimental(1, start), sentRecipient(), standard()));
        }

        @Test
        void windowStartIsCreatedAtPlusMinDaysWhenRecipientCreatedAfterFirstSend() {
            Instant created = Instant.parse("2025-03-10T10:00:00Z");
            Recipient late = new Recipient(created, Instant.parse("2025-03-11T09:00:00Z"));
            Instant start = Instant.parse("2025-03-13T10:00:00Z");
            Instant end = days(start, 63);
            assertFails(decideAlone(experimental(1, start.minusSeconds(1)), late, standard()));
            assertPasses(decideAlone(experimental(1, start), late, standard()));
            assertPasses(decideAlone(experimental(1, end.minusSeconds(1)), late, standard()));
            assertFails(decideAlone(experimental(1, end), late, standard()));
        }

        @Test
        void windowStartOfHoldoutRecipientUsesItsCreatedAt() {
            Recipient late = new Recipient(Instant.parse("2025-03-10T10:00:00Z"), null);
            Instant start = Instant.parse("2025-03-11T10:00:00Z");
            assertFails(decideAlone(control(1, start.minusSeconds(1)), late, holdoutEnabled()));
            assertPasses(decideAlone(control(1, start), late, holdoutEnabled()));
            assertPasses(decideAlone(control(1, days(start, 60).minusSeconds(1)), late, holdoutEnabled()));
            assertFails(decideAlone(control(1, days(start, 60)), late, holdoutEnabled()));
        }

        @Test
        void campaignWithoutFirstSendDateFailsTheWindow() {
            Campaign noFirstSend = campaign(FlowTrigger.STANDARD, false, null, null);
            Campaign holdoutNoFirstSend = campaign(FlowTrigger.STANDARD, true, null, null);
            assertDecision(decideAlone(experimental(1, inWindow()), sentRecipient(), noFirstSend), false, 1, false);
            assertDecision(
                    decideAlone(control(1, inWindow()), holdoutRecipient(), holdoutNoFirstSend), false, 1, false);
        }
    }

    @Nested
    class Step3RepeatOrders {

        @Test
        void repeatOrderPassesWhenRecipientsFirstAttributionPassed() {
            Attributed first = experimental(1, inWindow());
            Attributed repeat = experimental(2, afterWindow());
            assertDecision(decideAmong(repeat, sentRecipient(), standard(), first, repeat), true, 2, false);
        }

        @Test
        void repeatOrderFailsWhenRecipientsFirstAttributionFailed() {
            Attributed first = experimental(1, days(FIRST_SEND, 1)); // before the window start
            Attributed repeat = experimental(2, afterWindow());
            assertDecision(decideAmong(repeat, sentRecipient(), standard(), first, repeat), false, 2, false);
        }

        @Test
        void repeatRuleOnlyMattersWhenWindowFailed() {
            Attributed first = experimental(1, days(FIRST_SEND, 1)); // failed
            Attributed second = experimental(2, inWindow());
            assertDecision(decideAmong(second, sentRecipient(), standard(), first, second), true, 2, false);
        }

        @Test
        void repeatRuleNeedsTheFirstAttributionToBeAnotherOrder() {
            Attributed only = experimental(1, afterWindow());
            assertDecision(decideAlone(only, sentRecipient(), standard()), false, 1, false);
            // Later attributions do not make an earlier one pass.
            Attributed later = experimental(2, inWindow());
            Attributed early = experimental(1, days(FIRST_SEND, 1));
            assertDecision(decideAmong(early, sentRecipient(), standard(), later, early), false, 1, false);
        }

        @Test
        void repeatRuleUsesTheEarliestAttributionByOrderTime() {
            Attributed earliestFailed = experimental(30, days(FIRST_SEND, 1));
            Attributed passed = experimental(10, inWindow());
            Attributed repeat = experimental(20, afterWindow());
            assertDecision(
                    decideAmong(repeat, sentRecipient(), standard(), passed, repeat, earliestFailed), false, 3, false);
            assertDecision(decideAmong(repeat, sentRecipient(), standard(), passed, repeat), true, 2, false);
        }

        @Test
        void repeatRuleEarliestAttributionTiesBrokenByLowestOrderId() {
            Instant same = inWindow();
            Attributed zeroLowId = experimental(1, same, "0", AttributionMethod.EMAIL);
            Attributed paidHighId = experimental(2, same, "20.00", AttributionMethod.EMAIL);
            Attributed repeat = experimental(3, afterWindow());
            assertDecision(
                    decideAmong(repeat, sentRecipient(), standard(), paidHighId, repeat, zeroLowId), false, 3, false);

            Attributed zeroHighId = experimental(2, same, "0", AttributionMethod.EMAIL);
            Attributed paidLowId = experimental(1, same, "20.00", AttributionMethod.EMAIL);
            assertDecision(
                    decideAmong(repeat, sentRecipient(), standard(), zeroHighId, repeat, paidLowId), true, 3, false);
        }

        @Test
        void repeatRuleRequiresFirstAttributionToHavePassedSoAZeroValueFirstOrderDoesNotCount() {
            Attributed zeroFirst = experimental(1, inWindow(), "0.00", AttributionMethod.EMAIL);
            Attributed repeat = experimental(2, afterWindow());
            assertDecision(decideAmong(repeat, sentRecipient(), standard(), zeroFirst, repeat), false, 2, false);
        }

        @Test
        void repeatRuleAppliesToHoldoutAttributions() {
            Attributed first = control(1, inWindow());
            Attributed repeat = control(2, afterWindow());
            assertDecision(decideAmong(repeat, holdoutRecipient(), holdoutEnabled(), first, repeat), true, 2, false);

            Attributed failedFirst = control(1, FIRST_SEND);
            assertDecision(
                    decideAmong(repeat, holdoutRecipient(), holdoutEnabled(), failedFirst, repeat), false, 2, false);
        }
    }

    @Nested
    class Step4BfcmCutoff {

        /** end 28 Nov → cutoff 30 Nov; first send 1 Nov → window 4 Nov 00:00 to 6 Jan 00:00. */
        private final Campaign bfcm =
                campaign(FlowTrigger.BFCM, false, LocalDate.of(2025, 11, 28), Instant.parse("2025-11-01T00:00:00Z"));

        private final Recipient recipient =
                new Recipient(Instant.parse("2025-10-20T00:00:00Z"), Instant.parse("2025-11-01T00:00:00Z"));

        @Test
        void bfcmOrderAfterCutoffDateFailsInsideTheWindow() {
            assertFails(decideAlone(experimental(1, Instant.parse("2025-12-01T00:00:00Z")), recipient, bfcm));
            assertFails(decideAlone(experimental(1, Instant.parse("2025-12-20T00:00:00Z")), recipient, bfcm));
        }

        @Test
        void bfcmOrderOnTheCutoffDatePasses() {
            assertPasses(decideAlone(experimental(1, Instant.parse("2025-11-30T23:59:59.999Z")), recipient, bfcm));
        }

        @Test
        void bfcmCutoffUsesUtcCalendarDate() {
            // 1 December 03:00 in UTC+5 is 30 November 22:00 UTC.
            Instant utcPlusFive =
                    OffsetDateTime.parse("2025-12-01T03:00:00+05:00").toInstant();
            assertPasses(decideAlone(experimental(1, utcPlusFive), recipient, bfcm));
            // 30 November 19:30 in UTC-5 is 1 December 00:30 UTC.
            Instant utcMinusFive =
                    OffsetDateTime.parse("2025-11-30T19:30:00-05:00").toInstant();
            assertFails(decideAlone(experimental(1, utcMinusFive), recipient, bfcm));
        }

        @Test
        void bfcmCutoffIsAtMost31December() {
            Campaign lateBfcm = campaign(
                    FlowTrigger.BFCM, false, LocalDate.of(2025, 12, 30), Instant.parse("2025-12-01T00:00:00Z"));
            Recipient r = new Recipient(Instant.parse("2025-11-20T00:00:00Z"), Instant.parse("2025-12-01T00:00:00Z"));
            assertPasses(decideAlone(experimental(1, Instant.parse("2025-12-31T23:59:59Z")), r, lateBfcm));
            assertFails(decideAlone(experimental(1, Instant.parse("2026-01-01T00:00:00Z")), r, lateBfcm));
        }

        @Test
        void bfcmCutoffBeatsRepeatOrders() {
            // First send 1 Sep: window 4 Sep to 6 Nov; end 28 Nov → cutoff 30 Nov.
            Campaign early = campaign(
                    FlowTrigger.BFCM, false, LocalDate.of(2025, 11, 28), Instant.parse("2025-09-01T00:00:00Z"));
            Recipient r = new Recipient(Instant.parse("2025-08-20T00:00:00Z"), Instant.parse("2025-09-01T00:00:00Z"));
            Attributed first = experimental(1, Instant.parse("2025-09-10T00:00:00Z"));
            Attributed beforeCutoff = experimental(2, Instant.parse("2025-11-10T00:00:00Z"));
            Attributed afterCutoff = experimental(3, Instant.parse("2025-12-01T00:00:00Z"));
            assertDecision(decideAmong(first, r, early, first, beforeCutoff, afterCutoff), true, 1, false);
            assertDecision(decideAmong(beforeCutoff, r, early, first, beforeCutoff, afterCutoff), true, 2, false);
            assertDecision(decideAmong(afterCutoff, r, early, first, beforeCutoff, afterCutoff), false, 3, false);
        }

        @Test
        void bfcmCutoffIsAbsoluteEvenForDiscountCodesOfUnsentOrMissingRecipients() {
            // Step 1 says "go to step 5", but the window section says an order after the cutoff fails
            // "whatever else holds": the cutoff is absolute (see the closing note of the foundation issue).
            Attributed codeBefore =
                    experimental(1, Instant.parse("2025-11-30T12:00:00Z"), "42.50", AttributionMethod.DISCOUNT_CODE);
            Attributed codeAfter =
                    experimental(2, Instant.parse("2025-12-01T12:00:00Z"), "42.50", AttributionMethod.DISCOUNT_CODE);
            assertPasses(decideAlone(codeBefore, unsentRecipient(), bfcm));
            assertPasses(decideAlone(codeBefore, null, bfcm));
            assertFails(decideAlone(codeAfter, unsentRecipient(), bfcm));
            assertFails(decideAlone(codeAfter, null, bfcm));
        }

        @Test
        void bfcmCutoffStillAppliesToHoldoutEnabledBfcmCampaigns() {
            Campaign holdoutBfcm =
                    campaign(FlowTrigger.BFCM, true, LocalDate.of(2025, 11, 28), Instant.parse("2025-11-01T00:00:00Z"));
            Recipient holdout = new Recipient(Instant.parse("2025-10-20T00:00:00Z"), null);
            assertPasses(decideAlone(experimental(1, Instant.parse("2025-11-30T12:00:00Z")), recipient, holdoutBfcm));
            assertFails(decideAlone(experimental(1, Instant.parse("2025-12-01T12:00:00Z")), recipient, holdoutBfcm));
            assertPasses(decideAlone(control(1, Instant.parse("2025-11-30T12:00:00Z")), holdout, holdoutBfcm));
            assertFails(decideAlone(control(1, Instant.parse("2025-12-01T12:00:00Z")), holdout, holdoutBfcm));
        }

        @Test
        void bfcmCutoffBeatsRepeatOrdersForHoldouts() {
            Campaign holdoutBfcm = campaign(
                    FlowTrigger.BFCM,
                    true,
                    LocalDate.of(2025, 11, 28),
                    Instant.parse("2025-09-01T00:00:00Z")); // window 2 Sep to 1 Nov
            Recipient holdout = new Recipient(Instant.parse("2025-08-20T00:00:00Z"), null);
            Attributed first = control(1, Instant.parse("2025-09-10T00:00:00Z"));
            Attributed beforeCutoff = control(2, Instant.parse("2025-11-10T00:00:00Z"));
            Attributed afterCutoff = control(3, Instant.parse("2025-12-01T00:00:00Z"));
            assertPasses(decideAmong(beforeCutoff, holdout, holdoutBfcm, first, beforeCutoff, afterCutoff));
            assertFails(decideAmong(afterCutoff, holdout, holdoutBfcm, first, beforeCutoff, afterCutoff));
        }

        @ParameterizedTest
        @EnumSource(
                value = FlowTrigger.class,
                names = {"STANDARD", "FIRST_PURCHASE"})
        void cutoffOnlyAppliesToBfcmCampaigns(FlowTrigger trigger) {
            Campaign other =
                    campaign(trigger, false, LocalDate.of(2025, 11, 28), Instant.parse("2025-11-01T00:00:00Z"));
            assertPasses(decideAlone(experimental(1, Instant.parse("2025-12-20T00:00:00Z")), recipient, other));
        }
    }

    @Nested
    class Step5ZeroValue {

        @ParameterizedTest
        @ValueSource(strings = {"0", "0.00", "-0.00"})
        void zeroValueOrderFailsInsideTheWindow(String zero) {
            assertDecision(
                    decideAlone(
                            experimental(1, inWindow(), zero, AttributionMethod.EMAIL), sentRecipient(), standard()),
                    false,
                    1,
                    false);
        }

        @Test
        void zeroValueOrderFailsForHoldouts() {
            assertFails(decideAlone(control(1, inWindow(), "0.00"), holdoutRecipient(), holdoutEnabled()));
        }

        @Test
        void zeroValueOrderFailsForDiscountCodeWithoutRecipientOrUnsentRecipient() {
            Attributed zeroCode = experimental(1, inWindow(), "0.00", AttributionMethod.DISCOUNT_CODE);
            assertFails(AttributionRules.decide(zeroCode, null, standard(), List.of()));
            assertFails(decideAlone(zeroCode, unsentRecipient(), standard()));
        }

        @Test
        void zeroValueOrderFailsEvenWhenFirstAttributionPassed() {
            Attributed first = experimental(1, inWindow());
            Attributed zero = experimental(2, afterWindow(), "0", AttributionMethod.EMAIL);
            Attributed zeroInWindow = experimental(3, days(inWindow(), 1), "0", AttributionMethod.EMAIL);
            assertDecision(decideAmong(zero, sentRecipient(), standard(), first, zero, zeroInWindow), false, 3, false);
            assertDecision(
                    decideAmong(zeroInWindow, sentRecipient(), standard(), first, zero, zeroInWindow), false, 2, false);
        }

        @Test
        void anyPositiveValuePasses() {
            assertPasses(decideAlone(
                    experimental(1, inWindow(), "0.01", AttributionMethod.EMAIL), sentRecipient(), standard()));
        }
    }

    @Nested
    class Step6Archived {

        @Test
        void archivedCampaignMarksAttributionArchivedAndStillProcessesIt() {
            Campaign archived = withStatus(standard(), CampaignStatus.ARCHIVED);
            assertDecision(decideAlone(experimental(1, inWindow()), sentRecipient(), archived), true, 1, true);
            assertDecision(decideAlone(experimental(1, afterWindow()), sentRecipient(), archived), false, 1, true);
            Attributed first = experimental(1, inWindow());
            Attributed repeat = experimental(2, afterWindow());
            assertDecision(decideAmong(repeat, sentRecipient(), archived, first, repeat), true, 2, true);
        }

        @Test
        void archivedAppliesToHoldoutAndUnattributedRecipients() {
            Campaign archived = withStatus(holdoutEnabled(), CampaignStatus.ARCHIVED);
            assertDecision(decideAlone(control(1, inWindow()), holdoutRecipient(), archived), true, 1, true);
            Attributed code = experimental(1, inWindow(), "5.00", AttributionMethod.DISCOUNT_CODE);
            assertDecision(AttributionRules.decide(code, null, archived, List.of()), true, 1, true);
        }

        @ParameterizedTest
        @EnumSource(value = CampaignStatus.class, names = "ARCHIVED", mode = EnumSource.Mode.EXCLUDE)
        void otherCampaignStatusesAreNotArchived(CampaignStatus status) {
            assertDecision(
                    decideAlone(experimental(1, inWindow()), sentRecipient(), withStatus(standard(), status)),
                    true,
                    1,
                    false);
        }
    }

    @Nested
    class Step7OrderCount {

        @Test
        void orderCountIsOnePlusTheRecipientsEarlierAttributions() {
            Attributed a = experimental(5, inWindow());
            Attributed b = experimental(4, days(inWindow(), 2));
            Attributed c = experimental(3, days(inWindow(), 7));
            assertEquals(1, decideAmong(a, sentRecipient(), standard(), c, a, b).orderCount());
            assertEquals(2, decideAmong(b, sentRecipient(), standard(), c, a, b).orderCount());
            assertEquals(3, decideAmong(c, sentRecipient(), standard(), c, a, b).orderCount());
        }

        @Test
        void orderCountTiesOnOrderTimeAreBrokenByOrderId() {
            Instant same = inWindow();
            Attributed high = experimental(7, same);
            Attributed low = experimental(3, same);
            assertEquals(
                    1, decideAmong(low, sentRecipient(), standard(), high, low).orderCount());
            assertEquals(
                    2, decideAmong(high, sentRecipient(), standard(), high, low).orderCount());
        }

        @Test
        void orderCountCountsEarlierAttributionsWhetherOrNotTheyPassed() {
            Attributed failed = experimental(1, days(FIRST_SEND, 1));
            Attributed zero = experimental(2, days(FIRST_SEND, 5), "0", AttributionMethod.EMAIL);
            Attributed current = experimental(3, inWindow());
            assertDecision(decideAmong(current, sentRecipient(), standard(), failed, zero, current), true, 3, false);
        }

        @Test
        void orderCountForHoldoutAttributions() {
            Attributed first = control(1, inWindow());
            Attributed second = control(2, days(inWindow(), 3));
            assertDecision(decideAmong(second, holdoutRecipient(), holdoutEnabled(), second, first), true, 2, false);
        }

        @Test
        void orderCountWithoutRecipientIsOne() {
            Attributed code = experimental(9, days(inWindow(), 5), "5.00", AttributionMethod.DISCOUNT_CODE);
            Attributed earlier = experimental(1, inWindow(), "5.00", AttributionMethod.DISCOUNT_CODE);
            assertDecision(AttributionRules.decide(code, null, standard(), List.of(earlier, code)), true, 1, false);
        }
    }
}
