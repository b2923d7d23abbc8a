package io.paperrun.enrichment;

import java.io.IOException;
import java.util.Optional;

/**
 * Enriches one organization's recipients, one at a time, with its appender and verifier (either may be absent):
 * normalise, append where the rules say, verify where they say, and decide the outcome. Nothing is written here; a
 * provider's failure throws an {@link AddressProviderException} and leaves the recipient as it was.
 */
public final class AddressEnrichment {

    private final String organization;
    private final Optional<AddressAppender> appender;
    private final Optional<AddressVerifier> verifier;

    public AddressEnrichment(
            String organization, Optional<AddressAppender> appender, Optional<AddressVerifier> verifier) {
        this.organization = organization;
        this.appender = appender;
        this.verifier = verifier;
    }

    public EnrichedRecipient enrich(RecipientToEnrich recipient) {
        PostalAddress address = AddressKey.normalised(recipient.address());
        String source = recipient.addressSource();
        AppendedAddress appended = null;
        if (appender.isPresent() && EnrichmentRules.needsAppend(recipient.email(), address)) {
            AddressAppender provider = appender.get();
            Optional<AppendedAddress> found = call(
                    provider.provider(),
                    () -> provider.append(new Person(recipient.email(), recipient.firstName(), recipient.lastName())));
            Optional<PostalAddress> usable =
                    found.map(a -> AddressKey.normalised(a.address())).filter(EnrichmentRules::hasUsableAddress);
            if (usable.isPresent()) {
                appended = found.get();
                address = usable.get();
                source = provider.provider();
            }
        }
        Verification verification = Verification.NONE;
        if (verifier.isPresent() && EnrichmentRules.needsVerification(address)) {
            AddressVerifier provider = verifier.get();
            PostalAddress verified = address;
            verification = call(provider.provider(), () -> provider.verify(verified));
        }
        Strictness strictness = verifier.map(AddressVerifier::strictness).orElse(Strictness.NORMAL);
        return new EnrichedRecipient(
                recipient.id(),
                address,
                AddressKey.of(address),
                source,
                recipient.address(),
                appended == null ? null : appended.latitude(),
                appended == null ? null : appended.longitude(),
                verification instanceof Verification.Verdict verdict ? verdict.deliverability() : null,
                EnrichmentRules.outcome(recipient.status(), address, verification, strictness),
                appended != null,
                verification != Verification.NONE);
    }

    private interface ProviderCall<T> {
        T call() throws IOException;
    }

    private <T> T call(String provider, ProviderCall<T> call) {
        try {
            return call.call();
        } catch (IOException | RuntimeException failure) {
            throw new AddressProviderException(organization, provider, failure);
        }
    }
}
