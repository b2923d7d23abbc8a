package io.paperrun.integration.klaviyo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Klaviyo's country names as ISO 3166-1 alpha-2 codes. */
class CountriesTest {

    @ParameterizedTest
    @CsvSource({
        "United States, US",
        "united states of america, US",
        "Germany, DE",
        "United Kingdom, GB",
        "UK, GB",
        "' France ', FR",
        "Côte d’Ivoire, CI",
        "Cote d'Ivoire, CI",
        "The Netherlands, NL",
        "Czech Republic, CZ",
        "Bosnia & Herzegovina, BA",
        "US, US",
        "gb, GB",
        "DEU, DE",
        "usa, US"
    })
    void aNameOrACodeIsTheAlpha2Code(String country, String code) {
        assertThat(Countries.isoCode(country)).isEqualTo(code);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Atlantis", "Deutschland", "XK"})
    void anUnknownCountryIsKeptAsGiven(String country) {
        assertThat(Countries.isoCode(country)).isEqualTo(country);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void noCountryIsNone(String country) {
        assertThat(Countries.isoCode(country)).isNull();
    }
}
