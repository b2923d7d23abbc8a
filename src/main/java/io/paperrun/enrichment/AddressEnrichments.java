package io.paperrun.enrichment;

import io.paperrun.organization.Organization;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Opens an organization's address enrichment: the appender and the verifier of the providers its apply file
 * configures ({@code integrations.faraday}, {@code integrations.lob}), each opened with its settings; none
 * configured, it normalises only.
 */
@Component
public class AddressEnrichments {

    private final List<AddressAppenderFactory> appenders;
    private final List<AddressVerifierFactory> verifiers;

    public AddressEnrichments(List<AddressAppenderFactory> appenders, List<AddressVerifierFactory> verifiers) {
        this.appenders = appenders.stream()
                .sorted(Comparator.comparing(AddressAppenderFactory::provider))
                .toList();
        this.verifiers = verifiers.stream()
                .sorted(Comparator.comparing(AddressVerifierFactory::provider))
                .toList();
    }

    /** {@code organization}'s enrichment; a provider that cannot be opened (a secret unset) is refused naming both. */
    public AddressEnrichment open(Organization organization) {
        String slug = organization.slug();
        Optional<AddressAppender> appender = appenders.stream()
                .filter(factory -> organization.integrations().containsKey(factory.provider()))
                .findFirst()
                .map(factory -> opened(
                        slug,
                        factory.provider(),
                        () -> factory.open(slug, organization.integration(factory.provider()))));
        Optional<AddressVerifier> verifier = verifiers.stream()
                .filter(factory -> organization.integrations().containsKey(factory.provider()))
                .map(factory -> opened(
                        slug,
                        factory.provider(),
                        () -> factory.open(slug, organization.integration(factory.provider()))))
                .flatMap(Optional::stream)
                .findFirst();
        return new AddressEnrichment(slug, appender, verifier);
    }

    private static <T> T opened(String organization, String provider, Supplier<T> open) {
        try {
            return open.get();
        } catch (RuntimeException refused) {
            throw new AddressProviderException(organization, provider, refused);
        }
    }
}
