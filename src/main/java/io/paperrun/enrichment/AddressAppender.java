package io.paperrun.enrichment;

import java.io.IOException;
import java.util.Optional;

/**
 * Finds a person's postal address from their email and name (Faraday). An {@code integration} package implements
 * it; a provider that cannot be reached or refuses the credentials throws, a person it cannot match is empty.
 */
public interface AddressAppender {

    /** The provider, as an organization's {@code integrations} name it and {@code address_source} stores it. */
    String provider();

    Optional<AppendedAddress> append(Person person) throws IOException;
}
