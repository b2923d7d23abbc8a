package io.paperrun.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.DatabaseTest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A text array literal reads back in PostgreSQL as exactly the values it was made of. */
class TextArrayTest extends DatabaseTest {

    @Test
    void everyValueReadsBackAsItWas() {
        String[] values = {
            "plain",
            "",
            null,
            "NULL",
            "with \"quotes\"",
            "back\\slash",
            "a,b",
            "{braces}",
            " spaced ",
            "tab\there",
            "new\nline",
            "ünïcödé",
            "\\\"",
            "'single'"
        };
        List<String> back = jdbc.sql("SELECT v FROM unnest(?::text[]) WITH ORDINALITY AS t(v, n) ORDER BY n")
                .param(TextArray.of(values))
                .query((rs, i) -> rs.getString(1))
                .list();
        assertThat(back).containsExactlyElementsOf(Arrays.asList(values));
    }

    @Test
    void anEmptyArrayIsEmpty() {
        assertThat(jdbc.sql("SELECT cardinality(?::text[])")
                        .param(TextArray.of(new String[0]))
                        .query(Integer.class)
                        .single())
                .isZero();
    }

    @Test
    void instantsReadBackAsTheSameTimestamps() {
        Instant[] values = {
            Instant.parse("2024-03-08T00:00:17Z"),
            null,
            Instant.parse("2024-02-29T23:59:59.5Z"),
            Instant.parse("1969-12-31T23:59:59.000001Z"),
            Instant.parse("0001-01-01T00:00:00Z"),
            Instant.parse("9999-12-31T23:59:59.999999Z"),
            Instant.parse("2024-03-08T00:00:17.123456Z")
        };
        List<Instant> back = jdbc.sql("SELECT v FROM unnest(?::timestamptz[]) WITH ORDINALITY AS t(v, n) ORDER BY n")
                .param(TextArray.of(values))
                .query((rs, i) -> rs.getObject(1) == null
                        ? null
                        : rs.getObject(1, OffsetDateTime.class).toInstant())
                .list();
        assertThat(back).containsExactlyElementsOf(Arrays.asList(values));
        assertThat(TextArray.of(new Instant[] {values[0], values[2]}))
                .isEqualTo("{2024-03-08T00:00:17Z,2024-02-29T23:59:59.500000000Z}");
    }
}
