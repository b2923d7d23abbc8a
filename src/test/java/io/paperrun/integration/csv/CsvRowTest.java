package io.paperrun.integration.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The direct reading of {@code yyyy-MM-ddTHH:mm:ssZ} agrees with {@link OffsetDateTime#parse} on every input. */
class CsvRowTest {

    @Test
    void utcInstantsAreReadAsIsoParsingReadsThem() {
        assertThat(CsvRow.utcSeconds("2024-03-08T00:00:17Z")).isEqualTo(Instant.parse("2024-03-08T00:00:17Z"));
        assertThat(CsvRow.utcSeconds("2024-02-29T23:59:59Z")).isEqualTo(Instant.parse("2024-02-29T23:59:59Z"));
        assertThat(CsvRow.utcSeconds("1969-12-31T23:59:59Z")).isEqualTo(Instant.parse("1969-12-31T23:59:59Z"));
        Random random = new Random(20241122);
        for (int n = 0; n < 50_000; n++) {
            String v = String.format(
                    "%04d-%02d-%02dT%02d:%02d:%02dZ",
                    random.nextInt(3000),
                    random.nextInt(14),
                    random.nextInt(33),
                    random.nextInt(26),
                    random.nextInt(62),
                    random.nextInt(62));
            assertThat(CsvRow.utcSeconds(v)).as(v).isEqualTo(iso(v));
        }
    }

    @Test
    void otherFormsAreLeftToIsoParsing() {
        for (String v : new String[] {
            "2024-03-08T00:00:17+00:00",
            "2024-03-08T00:00:17.5Z",
            "2024-03-08T00:00Z",
            "2024-03-08t00:00:17z",
            "2024-03-08 00:00:17Z",
            "+2024-03-08T00:00:17",
            "2024-02-30T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2024-03-08T24:00:00Z",
            "2024-03-08T23:59:60Z",
            "2024-13-01T00:00:00Z",
            "2024-00-01T00:00:00Z",
            "2024-01-00T00:00:00Z",
            "2024-0a-01T00:00:00Z",
            "２０２４-03-08T00:00:17Z"
        }) {
            assertThat(CsvRow.utcSeconds(v)).as(v).isNull();
        }
    }

    private static Instant iso(String v) {
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @Test
    void aPlainDecimalIsReadAsItsPatternSaysOnEveryInput() {
        Pattern plain = Pattern.compile("-?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)");
        String alphabet = "0123456789.-,e$ ";
        Random random = new Random(20261203);
        for (int n = 0; n < 50_000; n++) {
            StringBuilder v = new StringBuilder();
            for (int length = random.nextInt(7); length > 0; length--) {
                v.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertThat(CsvRow.isPlainDecimal(v.toString()))
                    .as(v.toString())
                    .isEqualTo(plain.matcher(v).matches());
        }
    }
}
