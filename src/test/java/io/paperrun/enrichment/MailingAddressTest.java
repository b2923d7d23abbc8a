package io.paperrun.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * "Every address is normalised by the same normaliser that builds the address key" (pipeline-rules §2): the form
 * for mailing, {@link AddressKey#normalised}, whose key is the address's key.
 */
class MailingAddressTest {

    private static PostalAddress us(String address1, String address2, String zip) {
        return new PostalAddress(address1, address2, "Springfield", "IL", zip, "US");
    }

    @ParameterizedTest
    @CsvSource({
        "12 Oak Street, 12 Oak St",
        "12 OAK STREET, 12 OAK ST",
        "12 oak street, 12 oak st",
        "34 North Elm Avenue, 34 N Elm Ave",
        "'1 East. Road.,', 1 E Rd",
        "12 Streetsville Road, 12 Streetsville Rd",
        "'  7   Westgate\tDrive ', 7 Westgate Dr"
    })
    void theLinesAbbreviateTheKeysStreetWordsInTheWordsCase(String line, String mailed) {
        assertThat(AddressKey.normalised(us(line, null, "62701")).address1()).isEqualTo(mailed);
    }

    @Test
    void address2IsNormalisedAsAddress1() {
        assertThat(AddressKey.normalised(us("1 Main St", "Apartment  #4", "62701"))
                        .address2())
                .isEqualTo("Apt #4");
    }

    @ParameterizedTest
    @CsvSource({"62701, 62701", "62702-1234, 62702-1234", "627021234, 62702-1234", "'62702 1234', 62702-1234"})
    void aUsZipIsFiveDigitsOrZipPlusFour(String zip, String mailed) {
        assertThat(AddressKey.normalised(us("1 Main St", null, zip)).zip()).isEqualTo(mailed);
    }

    @Test
    void anotherCountrysPostcodeIsInUpperCaseOneSpaceApart() {
        PostalAddress london = new PostalAddress("10 Downing Street", null, "London", null, "sw1a   2aa", "gb");
        assertThat(AddressKey.normalised(london))
                .isEqualTo(new PostalAddress("10 Downing St", null, "London", null, "SW1A 2AA", "GB"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void noCountryMeansUs(String country) {
        assertThat(AddressKey.normalised(new PostalAddress("1 Main St", null, null, "il", "62701", country)))
                .isEqualTo(new PostalAddress("1 Main St", null, null, "IL", "62701", "US"));
    }

    @Test
    void emptyPartsBecomeNothing() {
        assertThat(AddressKey.normalised(new PostalAddress(" ", "", "\t", " ", "", "US")))
                .isEqualTo(new PostalAddress(null, null, null, null, null, "US"));
    }

    @Test
    void aMailingAddressHasTheKeyOfTheAddressItCameFrom() {
        String[] words = {
            "Street",
            "STREET",
            "street,",
            "St.",
            "north",
            "West",
            "suite",
            "Apartment",
            "#4",
            "4-B",
            "Main",
            "12",
            "\u00A0",
            " ",
            "  ",
            "\t",
            ".",
            "-"
        };
        String[] zips = {"62701", "62701-1234", "627011234", "62701 1234", "sw1a 2aa", "0213", " 12345 ", "ABCDE"};
        String[] countries = {"US", "us", "", "GB", "CA", " us "};
        Random random = new Random(17);
        for (int i = 0; i < 2000; i++) {
            PostalAddress address = new PostalAddress(
                    line(random, words),
                    random.nextBoolean() ? null : line(random, words),
                    "Springfield",
                    "IL",
                    zips[random.nextInt(zips.length)],
                    countries[random.nextInt(countries.length)]);
            PostalAddress mailed = AddressKey.normalised(address);
            assertThat(AddressKey.of(mailed)).as("%s as %s", address, mailed).isEqualTo(AddressKey.of(address));
            assertThat(AddressKey.normalised(mailed))
                    .as("%s normalised again", mailed)
                    .isEqualTo(mailed);
        }
    }

    private static String line(Random random, String[] words) {
        StringBuilder line = new StringBuilder();
        int n = random.nextInt(6);
        for (int i = 0; i < n; i++) {
            line.append(words[random.nextInt(words.length)]).append(random.nextBoolean() ? " " : "");
        }
        return line.toString();
    }
}
