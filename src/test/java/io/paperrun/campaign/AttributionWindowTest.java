package io.paperrun.campaign;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Window sizes, window start and the BFCM cutoff (attribution rules, "Window sizes" and stage B step 2). */
class AttributionWindowTest {

    private static final Instant FIRST_SEND = Instant.parse("2025-03-01T10:00:00Z");
    private static final Instant CREATED_BEFORE_FIRST_SEND = Instant.parse("2025-02-20T08:30:00Z");

    /** start <= t < start + max, with start = firstSend + min and N days = N × 24 h. */
    private static void assertWindowBoundaries(AttributionWindow window, int minDays, int maxDays) {
        Instant start = FIRST_SEND.plus(Duration.ofHours(24L * minDays));
        Instant end = start.plus(Duration.ofHours(24L * maxDays));
        assertAll(
                () -> assertFalse(
                        window.contains(start.minusMillis(1), FIRST_SEND, CREATED_BEFORE_FIRST_SEND),
                        "just before start"),
                () -> assertTrue(window.contains(start, FIRST_SEND, CREATED_BEFORE_FIRST_SEND), "at start"),
                () -> assertTrue(
                        window.contains(end.minusMillis(1), FIRST_SEND, CREATED_BEFORE_FIRST_SEND), "just before end"),
                () -> assertFalse(window.contains(end, FIRST_SEND, CREATED_BEFORE_FIRST_SEND), "at end"));
    }

    @Nested
    class WindowSizes {

        @ParameterizedTest
        @EnumSource(FlowTrigger.class)
        void holdoutEnabledWindowIsOneToSixtyDaysForAnyTrigger(FlowTrigger trigger) {
            AttributionWindow window = AttributionWindow.of(true, trigger);
            assertEquals(new AttributionWindow(1, 60), window);
            assertWindowBoundaries(window, 1, 60);
        }

        @Test
        void firstPurchaseWindowIsThreeTo180Days() {
            AttributionWindow window = AttributionWindow.of(false, FlowTrigger.FIRST_PURCHASE);
            assertEquals(new AttributionWindow(3, 180), window);
            assertWindowBoundaries(window, 3, 180);
        }

        @Test
        void bfcmWindowIsThreeTo63Days() {
            AttributionWindow window = AttributionWindow.of(false, FlowTrigger.BFCM);
            assertEquals(new AttributionWindow(3, 63), window);
            assertWindowBoundaries(window, 3, 63);
        }

        @Test
        void standardWindowIsThreeTo63Days() {
            AttributionWindow window = AttributionWindow.of(false, FlowTrigger.STANDARD);
            assertEquals(new AttributionWindow(3, 63), window);
            assertWindowBoundaries(window, 3, 63);
        }
    }

    @Nested
    class WindowStart {

        private final AttributionWindow standard = AttributionWindow.STANDARD;

        @Test
        void windowStartIsFirstSendPlusMinDaysWhenRecipientWasCreatedEarlier() {
            Instant start = Instant.parse("2025-03-04T10:00:00Z");
            assertFalse(standard.contains(start.minusNanos(1), FIRST_SEND, CREATED_BEFORE_FIRST_SEND));
            assertTrue(standard.contains(start, FIRST_SEND, CREATED_BEFORE_FIRST_SEND));
        }

        @Test
        void windowStartIsCreatedAtPlusMinDaysWhenRecipientWasCreatedAfterFirstSend() {
            Instant created = Instant.parse("2025-03-05T17:45:00Z");
            Instant start = Instant.parse("2025-03-08T17:45:00Z");
            Instant end = start.plus(Duration.ofDays(63));
            assertFalse(standard.contains(start.minusSeconds(1), FIRST_SEND, created));
            assertTrue(standard.contains(start, FIRST_SEND, created));
            assertTrue(standard.contains(end.minusSeconds(1), FIRST_SEND, created));
            assertFalse(standard.contains(end, FIRST_SEND, created));
        }

        @Test
        void nDaysMeansNTimes24Hours() {
            // 2025-03-30 is a DST change in Europe, 2025-03-09 in the US: irrelevant, days are 24 h in UTC.
            Instant firstSend = Instant.parse("2025-03-28T23:30:00Z");
            Instant start = firstSend.plus(Duration.ofHours(72));
            assertFalse(standard.contains(start.minusMillis(1), firstSend, CREATED_BEFORE_FIRST_SEND));
            assertTrue(standard.contains(start, firstSend, CREATED_BEFORE_FIRST_SEND));
            Instant end = start.plus(Duration.ofHours(63 * 24));
            assertTrue(standard.contains(end.minusMillis(1), firstSend, CREATED_BEFORE_FIRST_SEND));
            assertFalse(standard.contains(end, firstSend, CREATED_BEFORE_FIRST_SEND));
        }

        @Test
        void campaignWithoutFirstSendDateFailsTheWindow() {
            for (AttributionWindow window : new AttributionWindow[] {
                AttributionWindow.HOLDOUT,
                AttributionWindow.FIRST_PURCHASE,
                AttributionWindow.BFCM,
                AttributionWindow.STANDARD
            }) {
                assertFalse(
                        window.contains(FIRST_SEND.plus(Duration.ofDays(10)), null, CREATED_BEFORE_FIRST_SEND),
                        window.toString());
            }
        }
    }

    @Nested
    class BfcmCutoff {

        @Test
        void bfcmCutoffIsEndDatePlusTwoDays() {
            assertEquals(LocalDate.of(2025, 11, 30), AttributionWindow.bfcmCutoff(LocalDate.of(2025, 11, 28)));
            assertEquals(LocalDate.of(2024, 12, 1), AttributionWindow.bfcmCutoff(LocalDate.of(2024, 11, 29)));
            assertEquals(LocalDate.of(2025, 12, 31), AttributionWindow.bfcmCutoff(LocalDate.of(2025, 12, 29)));
        }

        @Test
        void bfcmCutoffIsAtMostDecember31OfEndDatesYear() {
            assertEquals(LocalDate.of(2025, 12, 31), AttributionWindow.bfcmCutoff(LocalDate.of(2025, 12, 30)));
            assertEquals(LocalDate.of(2025, 12, 31), AttributionWindow.bfcmCutoff(LocalDate.of(2025, 12, 31)));
        }

        @Test
        void orderFailsOnlyWhenItsUtcCalendarDateIsAfterTheCutoffDate() {
            LocalDate endDate = LocalDate.of(2025, 11, 28); // cutoff 2025-11-30
            assertFalse(AttributionWindow.afterBfcmCutoff(Instant.parse("2025-11-30T00:00:00Z"), endDate));
            assertFalse(AttributionWindow.afterBfcmCutoff(Instant.parse("2025-11-30T23:59:59.999Z"), endDate));
            assertTrue(AttributionWindow.afterBfcmCutoff(Instant.parse("2025-12-01T00:00:00Z"), endDate));
            assertTrue(AttributionWindow.afterBfcmCutoff(Instant.parse("2026-01-15T00:00:00Z"), endDate));
        }

        @Test
        void bfcmCutoffComparesTheUtcCalendarDateNotTheLocalOne() {
            LocalDate endDate = LocalDate.of(2025, 11, 28); // cutoff 2025-11-30
            // 1 December in Karachi, still 30 November in UTC.
            Instant karachi = OffsetDateTime.of(2025, 12, 1, 2, 0, 0, 0, ZoneOffset.ofHours(5))
                    .toInstant();
            assertFalse(AttributionWindow.afterBfcmCutoff(karachi, endDate));
            // 30 November in New York, already 1 December in UTC.
            Instant newYork = OffsetDateTime.of(2025, 11, 30, 20, 0, 0, 0, ZoneOffset.ofHours(-5))
                    .toInstant();
            assertTrue(AttributionWindow.afterBfcmCutoff(newYork, endDate));
        }

        @Test
        void bfcmCutoffAtYearEndStopsOrdersInTheNextYear() {
            LocalDate endDate = LocalDate.of(2025, 12, 31);
            assertFalse(AttributionWindow.afterBfcmCutoff(Instant.parse("2025-12-31T23:59:59Z"), endDate));
            assertTrue(AttributionWindow.afterBfcmCutoff(Instant.parse("2026-01-01T00:00:00Z"), endDate));
        }
    }

    @Nested
    class BfcmEndDateValidity {

        @Test
        void bfcmEndDateBetween13NovemberAnd31DecemberIsValid() {
            assertTrue(AttributionWindow.isValidBfcmEndDate(LocalDate.of(2025, 11, 13)));
            assertTrue(AttributionWindow.isValidBfcmEndDate(LocalDate.of(2025, 11, 28)));
            assertTrue(AttributionWindow.isValidBfcmEndDate(LocalDate.of(2025, 12, 1)));
            assertTrue(AttributionWindow.isValidBfcmEndDate(LocalDate.of(2025, 12, 31)));
            assertTrue(AttributionWindow.isValidBfcmEndDate(LocalDate.of(2024, 12, 31)));
        }

        @Test
        void bfcmEndDateOutside13NovemberTo31DecemberIsRejected() {
            assertFalse(AttributionWindow.isValidBfcmEndDate(LocalDate.of(2025, 11, 12)));
            assertFalse(AttributionWindow.isValidBfcmEndDate(LocalDate.of(2025, 11, 1)));
            assertFalse(AttributionWindow.isValidBfcmEndDate(LocalDate.of(2025, 10, 31)));
            assertFalse(AttributionWindow.isValidBfcmEndDate(LocalDate.of(2026, 1, 1)));
            assertFalse(AttributionWindow.isValidBfcmEndDate(LocalDate.of(2025, 6, 15)));
        }

        @Test
        void bfcmCampaignWithoutEndDateIsRejected() {
            assertFalse(AttributionWindow.isValidBfcmEndDate(null));
        }
    }

    @Nested
    class CampaignStatuses {

        @ParameterizedTest
        @EnumSource(
                value = CampaignStatus.class,
                names = {"ACTIVE", "COMPLETED", "PAUSED"})
        void holdoutMatchingCampaignStatusesAreActiveCompletedAndPaused(CampaignStatus status) {
            assertTrue(status.isPostLaunch());
        }

        @ParameterizedTest
        @EnumSource(
                value = CampaignStatus.class,
                names = {"ACTIVE", "COMPLETED", "PAUSED"},
                mode = EnumSource.Mode.EXCLUDE)
        void otherCampaignStatusesAreNotPostLaunch(CampaignStatus status) {
            assertFalse(status.isPostLaunch());
        }

        @Test
        void codesRoundTrip() {
            assertEquals(FlowTrigger.FIRST_PURCHASE, FlowTrigger.of(" first_purchase "));
            assertEquals("bfcm", FlowTrigger.BFCM.code());
            assertEquals(CampaignStatus.ARCHIVED, CampaignStatus.of("archived"));
            assertEquals("paused", CampaignStatus.PAUSED.code());
        }
    }
}
