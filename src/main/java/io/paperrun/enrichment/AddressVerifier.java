package io.paperrun.enrichment;

import java.io.IOException;

/**
 * Verifies a US address (Lob), and says how strictly its organization reads the verdict. An {@code integration}
 * package implements it; a provider that cannot be reached or refuses the credentials throws.
 */
public interface AddressVerifier {

    /** The provider, as an organization's {@code integrations} name it. */
    String provider();

    /** How much of the verdict the organization accepts. */
    Strictness strictness();

    /** The verdict on {@code address}, or the provider's refusal to read it; never {@link Verification#NONE}. */
    Verification verify(PostalAddress address) throws IOException;
}
