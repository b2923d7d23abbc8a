package io.paperrun.enrichment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Address key: {@code address1 + address2 + zip} after normalisation (attribution rules, "Address key"). */
class AddressKeyTest {

    @Test
    void addressKeyIsAddress1PlusAddress2PlusZip() {
        assertEquals("123mainstapt412345", AddressKey.of("123 Main St", "Apt 4", "12345", "US"));
    }

    @Test
    void addressKeyIsLowercase() {
        assertEquals("123mainst12345", AddressKey.of("123 MAIN ST", null, "12345", "US"));
        assertEquals("10downingstflat2bsw1a2aa", AddressKey.of("10 Downing St", "Flat 2B", "SW1A 2AA", "GB"));
    }

    @ParameterizedTest
    @CsvSource({
        "street, st", "avenue, ave", "road, rd", "drive, dr", "boulevard, blvd", "lane, ln", "court, ct",
        "place, pl", "apartment, apt", "suite, ste", "north, n", "south, s", "east, e", "west, w"
    })
    void addressKeyAbbreviatesCommonStreetWords(String word, String abbreviation) {
        assertEquals("1" + abbreviation + "x12345", AddressKey.of("1 " + word + " x", null, "12345", "US"));
        String capitalised = Character.toUpperCase(word.charAt(0)) + word.substring(1);
        assertEquals(
                AddressKey.of("1 " + abbreviation + " x", null, "12345", "US"),
                AddressKey.of("1 " + capitalised + " x", null, "12345", "US"));
    }

    @Test
    void addressKeyAbbreviatesWordByWordOnly() {
        // Whole words only: "Streetsville", "Northampton", "Westgate" keep their spelling.
        assertEquals("12streetsvillerd12345", AddressKey.of("12 Streetsville Road", null, "12345", "US"));
        assertEquals("5northamptonave12345", AddressKey.of("5 Northampton Avenue", null, "12345", "US"));
        assertEquals("7westgatedr12345", AddressKey.of("7 Westgate Drive", null, "12345", "US"));
    }

    @Test
    void addressKeyAbbreviatesWordsInAddress2() {
        assertEquals("1mainstste10012345", AddressKey.of("1 Main Street", "Suite 100", "12345", "US"));
        assertEquals(
                AddressKey.of("1 Main St", "Apt 4", "12345", "US"),
                AddressKey.of("1 Main Street", "Apartment 4", "12345", "US"));
    }

    @Test
    void addressKeyRemovesPeriodsCommasHashesAndHyphens() {
        assertEquals("123nmainstapt4b12345", AddressKey.of("123 N. Main St.,", "Apt. #4-B", "12345", "US"));
        assertEquals("12341", AddressKey.of("1-2,3#4.", null, "1", "FR"));
    }

    @Test
    void addressKeyRemovesAllWhitespace() {
        assertEquals("123mainst12345", AddressKey.of("  123\tMain \n St  ", "   ", " 12345 ", "US"));
    }

    @Test
    void addressKeyRemovesNonBreakingSpaces() {
        // "all whitespace removed": a no-break space (common in copied addresses) is whitespace too.
        assertEquals("123mainst12345", AddressKey.of("123\u00A0Main\u00A0Street", null, "12345", "US"));
    }

    @Test
    void sameHouseWrittenDifferentlyHasOneKey() {
        String key = AddressKey.of("123 Main Street", null, "12345", "US");
        assertEquals(key, AddressKey.of("123 Main St.", null, "12345", "US"));
        assertEquals(key, AddressKey.of("123 main st", "", "12345-6789", "US"));
        assertEquals(key, AddressKey.of(" 123  MAIN  STREET ", null, "12345 6789", null));
    }

    @Test
    void addressKeyPunctuationAttachedToStreetWordsStillAbbreviates() {
        assertEquals("1mainst12345", AddressKey.of("1 Main Street,", null, "12345", "US"));
        assertEquals("1erdapt212345", AddressKey.of("1 East. Road.", "Apartment# 2", "12345", "US"));
    }

    @Test
    void usZipIsCutToItsFirstFiveDigits() {
        assertEquals("1mainst12345", AddressKey.of("1 Main St", null, "12345-6789", "US"));
        assertEquals("1mainst12345", AddressKey.of("1 Main St", null, "123456789", "us"));
        assertEquals("1mainst02134", AddressKey.of("1 Main St", null, "02134", "US"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void missingCountryMeansUsZip(String country) {
        assertEquals("1mainst12345", AddressKey.of("1 Main St", null, "12345-6789", country));
    }

    @Test
    void nonUsPostcodeIsNotCut() {
        assertEquals("1highst" + "sw1a1aa", AddressKey.of("1 High Street", null, "SW1A 1AA", "GB"));
        assertEquals("1mainst" + "k1a0b1", AddressKey.of("1 Main St", null, "K1A 0B1", "CA"));
        assertEquals("1hauptstrasse" + "123456", AddressKey.of("1 Hauptstrasse", null, "123456", "DE"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\t"})
    void emptyAddress1MeansNoKey(String address1) {
        assertNull(AddressKey.of(address1, "Apt 4", "12345", "US"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\t"})
    void emptyZipMeansNoKey(String zip) {
        assertNull(AddressKey.of("123 Main St", "Apt 4", zip, "US"));
    }

    @Test
    void address2IsOptional() {
        assertEquals("123mainst12345", AddressKey.of("123 Main St", null, "12345", "US"));
        assertEquals("123mainst12345", AddressKey.of("123 Main St", "", "12345", "US"));
    }

    @Test
    void differentHousesHaveDifferentKeys() {
        assertNotEquals(
                AddressKey.of("123 Main St", null, "12345", "US"), AddressKey.of("124 Main St", null, "12345", "US"));
        assertNotEquals(
                AddressKey.of("123 Main St", null, "12345", "US"), AddressKey.of("123 Main St", null, "12346", "US"));
        assertNotEquals(
                AddressKey.of("123 Main St", "Apt 1", "12345", "US"),
                AddressKey.of("123 Main St", "Apt 2", "12345", "US"));
    }

    /**
     * The rule as first written, word by word with a regular expression: {@link AddressKey#normaliseLine}
     * does the same in one pass and must give the same key for any line.
     */
    private static String normaliseLineByRegex(String line) {
        if (line == null) {
            return "";
        }
        Map<String, String> abbreviations = Map.ofEntries(
                Map.entry("street", "st"), Map.entry("avenue", "ave"),
                Map.entry("road", "rd"), Map.entry("drive", "dr"),
                Map.entry("boulevard", "blvd"), Map.entry("lane", "ln"),
                Map.entry("court", "ct"), Map.entry("place", "pl"),
                Map.entry("apartment", "apt"), Map.entry("suite", "ste"),
                Map.entry("north", "n"), Map.entry("south", "s"),
                Map.entry("east", "e"), Map.entry("west", "w"));
        StringBuilder key = new StringBuilder();
        for (String word : Pattern.compile("(?U)\\s+").split(line.toLowerCase(Locale.ROOT))) {
            StringBuilder bare = new StringBuilder();
            word.chars()
                    .filter(c -> c != '.'
                            && c != ','
                            && c != '#'
                            && c != '-'
                            && !Character.isWhitespace(c)
                            && !Character.isSpaceChar(c))
                    .forEach(c -> bare.append((char) c));
            key.append(abbreviations.getOrDefault(bare.toString(), bare.toString()));
        }
        return key.toString();
    }

    @Test
    void addressKeyNormalisesAnyLineAsTheWordByWordRuleDoes() {
        String[] pieces = {
            "street",
            "Street",
            "STREET",
            "st",
            "north",
            "West",
            "suite",
            "apartment",
            "Main",
            "1",
            "42b",
            ".",
            ",",
            "#",
            "-",
            " ",
            "  ",
            "\t",
            "\n",
            "\r",
            "\u000B",
            "\f",
            "\u0085",
            "\u00A0",
            "\u1680",
            "\u2007",
            "\u2009",
            "\u2028",
            "\u2029",
            "\u202F",
            "\u205F",
            "\u3000",
            "\u001C",
            "\u001F",
            "\u200B",
            "\u0130",
            "\u00C9",
            "\uD83C\uDFE0",
            "Stra\u00DFe",
            "court.",
            "#5",
            "-lane-"
        };
        Random random = new Random(20241122);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder line = new StringBuilder();
            int words = random.nextInt(8);
            for (int w = 0; w < words; w++) {
                line.append(pieces[random.nextInt(pieces.length)]);
            }
            assertEquals(
                    normaliseLineByRegex(line.toString()),
                    AddressKey.normaliseLine(line.toString()),
                    () -> "line '" + line.toString().replace("\n", "\\n") + "'");
        }
    }
}
