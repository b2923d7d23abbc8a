package io.paperrun.enrichment;

import io.paperrun.organization.IntegrationSettings;
import java.util.Optional;

/** Opens an organization's address verifier of one provider; an {@code integration} package implements it as a bean. */
public interface AddressVerifierFactory {

    /** The provider, as an organization's {@code integrations} name it: lob. */
    String provider();

    /**
     * The verifier of {@code organization} (its slug), from its settings for the provider (secrets as references);
     * empty when those settings do not ask for verification.
     */
    Optional<AddressVerifier> open(String organization, IntegrationSettings settings);
}
