package io.paperrun.batch;

import io.paperrun.support.DatabaseTest;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A text array literal reads back in PostgreSQL as exactly the values it was made of. */
class TextArrayTest extends DatabaseTest {

    @Test
    void everyValueReadsBackAsItWas() {
        String[] values = {"plain", "", null, "NULL", "with \"quotes\"", "back\\slash", "a,b", "{braces}",
                " spaced ", "tab\there", "new\nline", "ünïcödé", "\\\"", "'single'"};
        List<String> back = jdbc.sql("SELECT v FROM unnest(?::text[]) WITH ORDINALITY AS t(v, n) ORDER BY n")
                .param(TextArray.of(values)).query((rs, i) -> rs.getString(1)).list();
        assertThat(back).containsExactlyElementsOf(Arrays.asList(values));
    }

    @Test
    void anEmptyArrayIsEmpty() {
        assertThat(jdbc.sql("SELECT cardinality(?::text[])").param(TextArray.of(new String[0])).query(Integer.class)
                .single()).isZero();
    }
}
