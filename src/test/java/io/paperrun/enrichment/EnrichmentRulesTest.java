package io.paperrun.enrichment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Address enrichment's rules (pipeline-rules §1.5 and §2), one test per rule. */
class EnrichmentRulesTest {

    private static final PostalAddress SPRINGFIELD =
            new PostalAddress("12 Oak St", null, "Springfield", "IL", "62701", "US");
    private static final PostalAddress LONDON =
            new PostalAddress("10 Downing St", null, "London", null, "SW1A 2AA", "GB");

    @Nested
    class NoAddress {

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {"  "})
        void noAddress1IsNoUsableAddress(String address1) {
            assertThat(EnrichmentRules.hasUsableAddress(
                            new PostalAddress(address1, "Apt 4", "Springfield", "IL", "62701", "US")))
                    .isFalse();
        }

        @Test
        void neitherZipNorCityIsNoUsableAddress() {
            assertThat(EnrichmentRules.hasUsableAddress(new PostalAddress("12 Oak St", null, " ", "IL", null, "US")))
                    .isFalse();
        }

        @Test
        void address1AndAZipOrACityIsAUsableAddress() {
            assertThat(EnrichmentRules.hasUsableAddress(
                            new PostalAddress("12 Oak St", null, null, null, "62701", "US")))
                    .isTrue();
            assertThat(EnrichmentRules.hasUsableAddress(
                            new PostalAddress("12 Oak St", null, "Springfield", null, null, "US")))
                    .isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {"pending", "holdout"})
        void aRecipientWithNoUsableAddressAfterEnrichmentIsSuppressedNoAddressInEitherGroup(String status) {
            PostalAddress none = new PostalAddress(null, null, "Springfield", "IL", "62701", "US");
            assertThat(EnrichmentRules.outcome(status, none, Verification.NONE, Strictness.NORMAL))
                    .isEqualTo(new EnrichmentRules.Outcome("suppressed", "no_address"));
        }
    }

    @Nested
    class Append {

        @Test
        void anAddressIsAppendedForARecipientWithAnEmailAndNoUsableAddress() {
            assertThat(EnrichmentRules.needsAppend(
                            "ann@example.com", new PostalAddress(null, null, null, null, null, "US")))
                    .isTrue();
            assertThat(EnrichmentRules.needsAppend(
                            "ann@example.com", new PostalAddress("12 Oak St", null, null, "IL", null, "US")))
                    .isTrue();
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {" "})
        void noAddressIsAppendedWithoutAnEmail(String email) {
            assertThat(EnrichmentRules.needsAppend(email, new PostalAddress(null, null, null, null, null, "US")))
                    .isFalse();
        }

        @Test
        void noAddressIsAppendedOverAUsableOne() {
            assertThat(EnrichmentRules.needsAppend("ann@example.com", SPRINGFIELD))
                    .isFalse();
            assertThat(EnrichmentRules.needsAppend("ann@example.com", LONDON)).isFalse();
        }
    }

    @Nested
    class Verify {

        @Test
        void usAddressesAreVerified() {
            assertThat(EnrichmentRules.needsVerification(SPRINGFIELD)).isTrue();
            assertThat(EnrichmentRules.needsVerification(
                            new PostalAddress("12 Oak St", null, "Springfield", "IL", "62701", null)))
                    .isTrue();
        }

        @Test
        void onlyUsAddressesAreVerified() {
            assertThat(EnrichmentRules.needsVerification(LONDON)).isFalse();
        }

        @Test
        void anAddressThatIsNotUsableIsNotVerified() {
            assertThat(EnrichmentRules.needsVerification(new PostalAddress(null, null, null, null, "62701", "US")))
                    .isFalse();
        }
    }

    @Nested
    class StrictnessLevels {

        @ParameterizedTest
        @CsvSource({
            "deliverable, true",
            "deliverable_unnecessary_unit, false",
            "deliverable_incorrect_unit, false",
            "deliverable_missing_unit, false",
            "undeliverable, false"
        })
        void strictAcceptsOnlyDeliverable(String deliverability, boolean accepted) {
            assertThat(EnrichmentRules.accepts(Strictness.STRICT, deliverability))
                    .isEqualTo(accepted);
        }

        @ParameterizedTest
        @CsvSource({
            "deliverable, true",
            "deliverable_unnecessary_unit, true",
            "deliverable_incorrect_unit, true",
            "deliverable_missing_unit, false",
            "undeliverable, false"
        })
        void normalAlsoAcceptsAnUnnecessaryOrIncorrectUnit(String deliverability, boolean accepted) {
            assertThat(EnrichmentRules.accepts(Strictness.NORMAL, deliverability))
                    .isEqualTo(accepted);
        }

        @ParameterizedTest
        @CsvSource({
            "deliverable, true",
            "deliverable_unnecessary_unit, true",
            "deliverable_incorrect_unit, true",
            "deliverable_missing_unit, true",
            "undeliverable, false"
        })
        void relaxedAlsoAcceptsAMissingUnit(String deliverability, boolean accepted) {
            assertThat(EnrichmentRules.accepts(Strictness.RELAXED, deliverability))
                    .isEqualTo(accepted);
        }

        @ParameterizedTest
        @EnumSource(Strictness.class)
        void undeliverableAlwaysFails(Strictness strictness) {
            assertThat(EnrichmentRules.accepts(strictness, "undeliverable")).isFalse();
        }

        @ParameterizedTest
        @EnumSource(Strictness.class)
        void aVerdictThisVersionDoesNotKnowIsNotAccepted(Strictness strictness) {
            assertThat(EnrichmentRules.accepts(strictness, "deliverable_someday"))
                    .isFalse();
        }

        @ParameterizedTest
        @NullAndEmptySource
        void normalIsTheDefault(String setting) {
            assertThat(Strictness.of(setting)).isEqualTo(Strictness.NORMAL);
            assertThat(Strictness.of("Strict")).isEqualTo(Strictness.STRICT);
            assertThatThrownBy(() -> Strictness.of("lenient")).hasMessageContaining("lenient");
        }
    }

    @Nested
    class Outcome {

        @ParameterizedTest
        @ValueSource(strings = {"pending", "holdout"})
        void aFailedVerificationIsUndeliverableWithTheVerdictAsReason(String status) {
            assertThat(EnrichmentRules.outcome(
                            status,
                            SPRINGFIELD,
                            new Verification.Verdict("deliverable_missing_unit"),
                            Strictness.NORMAL))
                    .isEqualTo(new EnrichmentRules.Outcome("undeliverable", "deliverable_missing_unit"));
        }

        @Test
        void anAddressTheVerifierCannotReadIsUndeliverableUnverifiable() {
            assertThat(EnrichmentRules.outcome(
                            "pending", SPRINGFIELD, new Verification.Refused("invalid"), Strictness.RELAXED))
                    .isEqualTo(new EnrichmentRules.Outcome("undeliverable", "unverifiable"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"pending", "holdout"})
        void aHoldoutKeepsItsStatusAsAPendingOneDoesUnlessSuppressedOrUndeliverable(String status) {
            assertThat(EnrichmentRules.outcome(
                            status, SPRINGFIELD, new Verification.Verdict("deliverable"), Strictness.STRICT))
                    .isEqualTo(new EnrichmentRules.Outcome(status, null));
            assertThat(EnrichmentRules.outcome(status, LONDON, Verification.NONE, Strictness.STRICT))
                    .isEqualTo(new EnrichmentRules.Outcome(status, null));
        }

        @Test
        void noAddressComesBeforeTheVerdict() {
            PostalAddress none = new PostalAddress(null, null, null, null, null, "US");
            assertThat(EnrichmentRules.outcome(
                            "pending", none, new Verification.Verdict("undeliverable"), Strictness.NORMAL))
                    .isEqualTo(new EnrichmentRules.Outcome("suppressed", "no_address"));
        }
    }
}
