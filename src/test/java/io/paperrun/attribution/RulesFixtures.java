package io.paperrun.attribution;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.paperrun.attribution.AttributionRules.Attributed;
import io.paperrun.attribution.AttributionRules.Campaign;
import io.paperrun.attribution.AttributionRules.Decision;
import io.paperrun.attribution.AttributionRules.Recipient;
import io.paperrun.campaign.CampaignStatus;
import io.paperrun.campaign.FlowTrigger;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

/** Builders for stage B (AttributionRules) tests. */
final class RulesFixtures {

    /** The campaign's first send; recipients below are created before it, so the window starts at first send + min. */
    static final Instant FIRST_SEND = Instant.parse("2025-03-01T10:00:00Z");

    static final Instant CREATED = Instant.parse("2025-02-20T08:00:00Z");
    static final Instant SENT_AT = FIRST_SEND;
    static final String VALUE = "42.50";

    private RulesFixtures() {}

    static Instant days(Instant from, long days) {
        return from.plus(Duration.ofDays(days));
    }

    /** An instant inside every window (first send + 10 days). */
    static Instant inWindow() {
        return days(FIRST_SEND, 10);
    }

    /** An instant after every window of a March campaign but 180 days (first send + 200 days). */
    static Instant afterWindow() {
        return days(FIRST_SEND, 200);
    }

    static Campaign campaign(FlowTrigger trigger, boolean holdoutEnabled, LocalDate endDate, Instant firstSend) {
        return new Campaign(CampaignStatus.ACTIVE, trigger, holdoutEnabled, endDate, firstSend);
    }

    static Campaign standard() {
        return campaign(FlowTrigger.STANDARD, false, null, FIRST_SEND);
    }

    static Campaign holdoutEnabled() {
        return campaign(FlowTrigger.STANDARD, true, null, FIRST_SEND);
    }

    static Campaign withStatus(Campaign c, CampaignStatus status) {
        return new Campaign(status, c.flowTrigger(), c.holdoutEnabled(), c.endDate(), c.firstSendDate());
    }

    static Recipient sentRecipient() {
        return new Recipient(CREATED, SENT_AT);
    }

    static Recipient unsentRecipient() {
        return new Recipient(CREATED, null);
    }

    static Recipient holdoutRecipient() {
        return new Recipient(CREATED, null);
    }

    static Attributed experimental(long orderId, Instant orderedAt, String value, AttributionMethod method) {
        return new Attributed(orderId, orderedAt, new BigDecimal(value), method, false);
    }

    static Attributed experimental(long orderId, Instant orderedAt) {
        return experimental(orderId, orderedAt, VALUE, AttributionMethod.EMAIL);
    }

    static Attributed control(long orderId, Instant orderedAt, String value) {
        return new Attributed(orderId, orderedAt, new BigDecimal(value), AttributionMethod.EMAIL, true);
    }

    static Attributed control(long orderId, Instant orderedAt) {
        return control(orderId, orderedAt, VALUE);
    }

    /** Decides {@code attribution}, which is its recipient's only attribution in the campaign. */
    static Decision decideAlone(Attributed attribution, Recipient recipient, Campaign campaign) {
        return AttributionRules.decide(attribution, recipient, campaign, List.of(attribution));
    }

    /** Decides {@code attribution} among all of the recipient's attributions ({@code all} must include it). */
    static Decision decideAmong(Attributed attribution, Recipient recipient, Campaign campaign, Attributed... all) {
        return AttributionRules.decide(attribution, recipient, campaign, Arrays.asList(all));
    }

    static void assertDecision(Decision decision, boolean passesRules, int orderCount, boolean archived) {
        assertAll(
                () -> assertEquals(passesRules, decision.passesRules(), "passesRules"),
                () -> assertEquals(orderCount, decision.orderCount(), "orderCount"),
                () -> assertEquals(archived, decision.archived(), "archived"));
    }

    static void assertPasses(Decision decision) {
        assertEquals(true, decision.passesRules(), "passesRules");
    }

    static void assertFails(Decision decision) {
        assertEquals(false, decision.passesRules(), "passesRules");
    }
}
