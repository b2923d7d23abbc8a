package io.paperrun.recipient;

/** Opens the audience sources of one provider; an {@code integration} package implements it as a bean. */
public interface AudienceSourceFactory {

    /** The provider of a campaign that names none (interface.md: {@code audience}, csv by default). */
    String DEFAULT_PROVIDER = "csv";

    /** The provider, as a campaign's {@code audience.source} names it: csv, klaviyo. */
    String provider();

    AudienceSource open(AudienceReading reading);
}
