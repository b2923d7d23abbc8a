package io.paperrun.enrichment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paperrun.organization.IntegrationSettings;
import io.paperrun.organization.Organization;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One organization's enrichment of a recipient (pipeline-rules §2), with providers faked in plain Java. */
class AddressEnrichmentTest {

    private static final PostalAddress AS_RECEIVED =
            new PostalAddress(" 12  Oak Street ", "", "Springfield", "il", "62701-1234", "");
    private static final PostalAddress FOUND =
            new PostalAddress("34 Elm Avenue", null, "Springfield", "IL", "62702", "US");

    /** Faraday, faked: the people it knows by email, and who was looked up. */
    static final class Appender implements AddressAppender {
        final Map<String, AppendedAddress> people = new HashMap<>();
        final List<Person> asked = new ArrayList<>();
        IOException failure;

        @Override
        public String provider() {
            return "faraday";
        }

        @Override
        public Optional<AppendedAddress> append(Person person) throws IOException {
            asked.add(person);
            if (failure != null) {
                throw failure;
            }
            return Optional.ofNullable(people.get(person.email()));
        }
    }

    /** Lob, faked: a verdict by primary line, deliverable by default, and what was verified. */
    static final class Verifier implements AddressVerifier {
        final Map<String, String> verdicts = new HashMap<>();
        final List<PostalAddress> asked = new ArrayList<>();
        Strictness strictness = Strictness.NORMAL;

        @Override
        public String provider() {
            return "lob";
        }

        @Override
        public Strictness strictness() {
            return strictness;
        }

        @Override
        public Verification verify(PostalAddress address) {
            asked.add(address);
            return new Verification.Verdict(verdicts.getOrDefault(address.address1(), "deliverable"));
        }
    }

    private final Appender appender = new Appender();
    private final Verifier verifier = new Verifier();

    private AddressEnrichment both() {
        return new AddressEnrichment("acme", Optional.of(appender), Optional.of(verifier));
    }

    private static RecipientToEnrich recipient(String status, String email, PostalAddress address) {
        return new RecipientToEnrich(7, status, email, "Ann", "Archer", address, "import");
    }

    @Test
    void theAddressIsNormalisedForMailingAndTheOriginalKeptBesideIt() {
        EnrichedRecipient enriched = both().enrich(recipient("pending", "ann@example.com", AS_RECEIVED));

        assertThat(enriched.address())
                .isEqualTo(new PostalAddress("12 Oak St", null, "Springfield", "IL", "62701-1234", "US"));
        assertThat(enriched.original()).isEqualTo(AS_RECEIVED);
        assertThat(enriched.addressKey()).isEqualTo(AddressKey.of(AS_RECEIVED)).isEqualTo("12oakst62701");
        assertThat(enriched.addressSource()).isEqualTo("import");
        assertThat(enriched.outcome()).isEqualTo(new EnrichmentRules.Outcome("pending", null));
    }

    @Test
    void withNoProviderItNormalisesOnlyAndStillSuppressesNoAddress() {
        AddressEnrichment normaliseOnly = new AddressEnrichment("acme", Optional.empty(), Optional.empty());

        EnrichedRecipient kept = normaliseOnly.enrich(recipient("pending", "ann@example.com", AS_RECEIVED));
        EnrichedRecipient none = normaliseOnly.enrich(
                recipient("pending", "ann@example.com", new PostalAddress(null, null, "Springfield", "IL", null, "")));

        assertThat(kept.outcome()).isEqualTo(new EnrichmentRules.Outcome("pending", null));
        assertThat(kept.verified()).isFalse();
        assertThat(kept.deliverability()).isNull();
        assertThat(none.outcome()).isEqualTo(new EnrichmentRules.Outcome("suppressed", "no_address"));
        assertThat(none.appended()).isFalse();
    }

    @Test
    void aRecipientWithAnEmailAndNoUsableAddressGetsOneAppendedWithItsCoordinatesAndSource() {
        appender.people.put("ann@example.com", new AppendedAddress(FOUND, 39.78, -89.65));
        PostalAddress partial = new PostalAddress("12 Oak St", null, null, "IL", null, "US");

        EnrichedRecipient enriched = both().enrich(recipient("pending", "ann@example.com", partial));

        assertThat(appender.asked).containsExactly(new Person("ann@example.com", "Ann", "Archer"));
        assertThat(enriched.address())
                .isEqualTo(new PostalAddress("34 Elm Ave", null, "Springfield", "IL", "62702", "US"));
        assertThat(enriched.addressKey()).isEqualTo("34elmave62702");
        assertThat(enriched.addressSource()).isEqualTo("faraday");
        assertThat(enriched.latitude()).isEqualTo(39.78);
        assertThat(enriched.longitude()).isEqualTo(-89.65);
        assertThat(enriched.original()).isEqualTo(partial);
        assertThat(enriched.appended()).isTrue();
        // The appended address is verified as any other US address.
        assertThat(verifier.asked).containsExactly(enriched.address());
        assertThat(enriched.outcome()).isEqualTo(new EnrichmentRules.Outcome("pending", null));
    }

    @Test
    void aRecipientWithAUsableAddressIsNotLookedUp() {
        both().enrich(recipient("pending", "ann@example.com", AS_RECEIVED));

        assertThat(appender.asked).isEmpty();
    }

    @Test
    void aNoMatchIsSuppressedNoAddress() {
        EnrichedRecipient enriched = both().enrich(recipient(
                "pending", "nobody@example.com", new PostalAddress(null, null, null, null, null, "US")));

        assertThat(appender.asked).hasSize(1);
        assertThat(enriched.outcome()).isEqualTo(new EnrichmentRules.Outcome("suppressed", "no_address"));
        assertThat(enriched.addressSource()).isEqualTo("import");
        assertThat(verifier.asked).isEmpty();
    }

    @Test
    void aMatchWithoutAUsableAddressIsANoMatch() {
        appender.people.put(
                "ann@example.com",
                new AppendedAddress(new PostalAddress(null, null, "Springfield", "IL", "62702", "US"), 39.7, -89.6));

        EnrichedRecipient enriched = both().enrich(
                        recipient("pending", "ann@example.com", new PostalAddress(null, null, null, null, null, "US")));

        assertThat(enriched.outcome()).isEqualTo(new EnrichmentRules.Outcome("suppressed", "no_address"));
        assertThat(enriched.appended()).isFalse();
        assertThat(enriched.latitude()).isNull();
    }

    @Test
    void onlyUsAddressesAreVerified() {
        EnrichedRecipient london = both().enrich(recipient(
                "pending",
                "ann@example.com",
                new PostalAddress("10 Downing St", null, "London", null, "SW1A 2AA", "GB")));

        assertThat(verifier.asked).isEmpty();
        assertThat(london.verified()).isFalse();
        assertThat(london.outcome()).isEqualTo(new EnrichmentRules.Outcome("pending", null));
    }

    @Test
    void aFailedVerificationIsUndeliverableWithTheVerdictAtTheOrganizationsStrictness() {
        verifier.verdicts.put("12 Oak St", "deliverable_missing_unit");

        EnrichedRecipient normal = both().enrich(recipient("pending", "ann@example.com", AS_RECEIVED));
        verifier.strictness = Strictness.RELAXED;
        EnrichedRecipient relaxed = both().enrich(recipient("pending", "ann@example.com", AS_RECEIVED));

        assertThat(normal.outcome())
                .isEqualTo(new EnrichmentRules.Outcome("undeliverable", "deliverable_missing_unit"));
        assertThat(normal.deliverability()).isEqualTo("deliverable_missing_unit");
        assertThat(relaxed.outcome()).isEqualTo(new EnrichmentRules.Outcome("pending", null));
        assertThat(relaxed.deliverability()).isEqualTo("deliverable_missing_unit");
    }

    @ParameterizedTest
    @ValueSource(strings = {"12 Oak Street", "", "undeliverable"})
    void holdoutsAreEnrichedAndVerifiedExactlyAsPendingOnes(String address1) {
        verifier.verdicts.put("undeliverable", "undeliverable");
        appender.people.put("ann@example.com", new AppendedAddress(FOUND, 39.78, -89.65));
        PostalAddress address = new PostalAddress(address1, null, "Springfield", "IL", "62701", "US");

        EnrichedRecipient pending = both().enrich(recipient("pending", "ann@example.com", address));
        EnrichedRecipient holdout = both().enrich(recipient("holdout", "ann@example.com", address));

        assertThat(holdout).usingRecursiveComparison().ignoringFields("outcome").isEqualTo(pending);
        String kept = pending.outcome().status().equals("pending")
                ? "holdout"
                : pending.outcome().status();
        assertThat(holdout.outcome())
                .isEqualTo(new EnrichmentRules.Outcome(kept, pending.outcome().reason()));
        assertThat(appender.asked).hasSize(address1.isEmpty() ? 2 : 0);
        assertThat(verifier.asked).hasSize(2);
    }

    @Test
    void aProviderThatFailsIsNamedWithTheOrganizationOnOneLine() {
        appender.failure = new SocketTimeoutException("POST https://api.faraday.ai/v1/targets/t/lookup: gave up\nmore");

        assertThatThrownBy(() -> both().enrich(recipient(
                        "pending", "ann@example.com", new PostalAddress(null, null, null, null, null, "US"))))
                .isInstanceOf(AddressProviderException.class)
                .hasMessage("acme (faraday): POST https://api.faraday.ai/v1/targets/t/lookup: gave up")
                .hasNoCause();
    }

    @Test
    void anOrganizationIsEnrichedByTheProvidersItsApplyFileConfigures() {
        AddressAppenderFactory appenders = new AddressAppenderFactory() {
            @Override
            public String provider() {
                return "faraday";
            }

            @Override
            public AddressAppender open(String organization, IntegrationSettings settings) {
                settings.required("target_id");
                return appender;
            }
        };
        AddressVerifierFactory verifiers = new AddressVerifierFactory() {
            @Override
            public String provider() {
                return "lob";
            }

            @Override
            public Optional<AddressVerifier> open(String organization, IntegrationSettings settings) {
                return settings.value("verify_addresses").map(v -> verifier);
            }
        };
        AddressEnrichments enrichments = new AddressEnrichments(List.of(appenders), List.of(verifiers));
        PostalAddress none = new PostalAddress(null, null, null, null, null, "US");

        enrichments.open(organization(Map.of())).enrich(recipient("pending", "ann@example.com", none));
        enrichments
                .open(organization(Map.of("lob", new IntegrationSettings("lob", Map.of("api_key", "${LOB_KEY}")))))
                .enrich(recipient("pending", "ann@example.com", AS_RECEIVED));
        assertThat(appender.asked).isEmpty();
        assertThat(verifier.asked).isEmpty();

        Organization both = organization(Map.of(
                "faraday", new IntegrationSettings("faraday", Map.of("target_id", "tgt_1")),
                "lob", new IntegrationSettings("lob", Map.of("verify_addresses", "true"))));
        enrichments.open(both).enrich(recipient("pending", "ann@example.com", none));
        enrichments.open(both).enrich(recipient("pending", "ann@example.com", AS_RECEIVED));
        assertThat(appender.asked).hasSize(1);
        assertThat(verifier.asked).hasSize(1);

        assertThatThrownBy(() ->
                        enrichments.open(organization(Map.of("faraday", new IntegrationSettings("faraday", Map.of())))))
                .isInstanceOf(AddressProviderException.class)
                .hasMessage(
                        "acme (faraday): integrations.faraday.target_id is not set in the organization's apply file");
    }

    private static Organization organization(Map<String, IntegrationSettings> integrations) {
        return new Organization(1, "acme", "Acme", "acmeco.com", true, List.of(), "csv", integrations, null);
    }
}
