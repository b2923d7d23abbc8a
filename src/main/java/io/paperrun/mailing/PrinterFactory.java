package io.paperrun.mailing;

import io.paperrun.organization.IntegrationSettings;

/** Opens an organization's printer of one provider; an {@code integration} package implements it as a bean. */
public interface PrinterFactory {

    /** The printer's name, as the apply file's {@code printer} and {@code integrations} name it: lob, stannp... */
    String provider();

    /** The printer of {@code organization} (its slug), from its settings for the provider (secrets as references). */
    Printer open(String organization, IntegrationSettings settings);
}
