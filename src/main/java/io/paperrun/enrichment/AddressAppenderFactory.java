package io.paperrun.enrichment;

import io.paperrun.organization.IntegrationSettings;

/** Opens an organization's address appender of one provider; an {@code integration} package implements it as a bean. */
public interface AddressAppenderFactory {

    /** The provider, as an organization's {@code integrations} name it: faraday. */
    String provider();

    /** The appender of {@code organization} (its slug), from its settings for the provider (secrets as references). */
    AddressAppender open(String organization, IntegrationSettings settings);
}
