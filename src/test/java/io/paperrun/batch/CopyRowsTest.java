package io.paperrun.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paperrun.support.DatabaseTest;
import java.math.BigDecimal;
import java.sql.Array;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Rows written with COPY read back in PostgreSQL as exactly the values they were made of, in the transaction. */
class CopyRowsTest extends DatabaseTest {

    private static final String TABLE = "copy_rows_test (n, t, d, at, b, codes)";

    @Autowired
    DataSource dataSource;

    @Autowired
    PlatformTransactionManager transactionManager;

    TransactionTemplate transactions;

    @BeforeEach
    void table() {
        transactions = new TransactionTemplate(transactionManager);
        jdbc.sql("CREATE TABLE copy_rows_test (n bigint PRIMARY KEY, t text, d numeric(14,2), at timestamptz, "
                        + "b boolean, codes text[], dn numeric, i integer)")
                .update();
    }

    @AfterEach
    void dropTable() {
        jdbc.sql("DROP TABLE copy_rows_test").update();
    }

    @Test
    void everyValueReadsBackAsItWas() {
        String[] texts = {
            "plain",
            "",
            null,
            "\\N",
            "NULL",
            "with \"quotes\"",
            "back\\slash",
            "tab\there",
            "new\nline",
            "carriage\rreturn",
            "ünïcödé",
            "\\\"",
            "'single'",
            "a,b;c",
            " spaced "
        };
        List<List<String>> codes = List.of(
                List.of(),
                List.of("A"),
                List.of("A", "B,C", "q\"uote", "b\\s", "t\tab"),
                Arrays.asList("NULL", "{x}", " sp "));
        Instant[] instants = {
            Instant.parse("2024-03-08T00:00:17Z"),
            null,
            Instant.parse("2024-02-29T23:59:59.5Z"),
            Instant.parse("2024-03-08T00:00:17.123456Z")
        };
        CopyRows copy = new CopyRows(TABLE);
        for (int i = 0; i < texts.length; i++) {
            copy.number(i)
                    .text(texts[i])
                    .decimal(i % 3 == 0 ? null : BigDecimal.valueOf(i * 100L + 25, 2))
                    .instant(instants[i % instants.length])
                    .bool(i % 2 == 0)
                    .textArray(codes.get(i % codes.size()))
                    .end();
        }
        assertThat(copy.size()).isEqualTo(texts.length);
        Long stored = transactions.execute(status -> copy.copy(dataSource));
        assertThat(stored).isEqualTo(texts.length);

        List<List<Object>> back = jdbc.sql("SELECT n, t, d, at, b, codes FROM copy_rows_test ORDER BY n")
                .query((rs, i) -> {
                    Array array = rs.getArray(6);
                    OffsetDateTime at = rs.getObject(4, OffsetDateTime.class);
                    return Arrays.asList(
                            rs.getLong(1),
                            rs.getString(2),
                            rs.getBigDecimal(3),
                            at == null ? null : at.toInstant(),
                            rs.getBoolean(5),
                            List.of((String[]) array.getArray()));
                })
                .list();
        List<List<Object>> expected = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            expected.add(Arrays.asList(
                    (long) i,
                    texts[i],
                    i % 3 == 0 ? null : BigDecimal.valueOf(i * 100L + 25, 2),
                    instants[i % instants.length],
                    i % 2 == 0,
                    codes.get(i % codes.size())));
        }
        assertThat(back).containsExactlyElementsOf(expected);
    }

    /**
     * Binary values are stored as PostgreSQL stores the same values given as text (the COPY text format's), but
     * for instants, truncated to the microsecond where PostgreSQL would round.
     */
    @Test
    void numbersAndTimesAreStoredAsTheirTextWouldBe() {
        List<BigDecimal> decimals = List.of(
                new BigDecimal("0"),
                new BigDecimal("0.00"),
                BigDecimal.ONE,
                new BigDecimal("-1"),
                new BigDecimal("0.05"),
                new BigDecimal("123.45"),
                new BigDecimal("-123.45"),
                new BigDecimal("1.005"),
                new BigDecimal("-1.005"),
                new BigDecimal("99999999999.99"),
                new BigDecimal("12345678.9"),
                new BigDecimal("1E+3"),
                new BigDecimal("0.0001"),
                new BigDecimal("10000"),
                new BigDecimal("9999.9999"),
                new BigDecimal("1.23456789"),
                new BigDecimal("100000000.00000001"),
                new BigDecimal("-0.5"));
        List<Instant> instants = List.of(
                Instant.parse("2024-03-08T00:00:17Z"),
                Instant.parse("2024-03-08T00:00:17.123456500Z"),
                Instant.parse("2024-03-08T00:00:17.123457500Z"),
                Instant.parse("2024-03-08T00:00:17.123456501Z"),
                Instant.parse("2024-12-31T23:59:59.999999999Z"),
                Instant.parse("2000-01-01T00:00:00Z"),
                Instant.parse("1999-12-31T23:59:59.999999Z"),
                Instant.parse("1969-07-20T20:17:40.0000005Z"),
                Instant.parse("1900-01-01T00:00:00.5Z"));
        int[] integers = {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE};
        int rows = Math.max(decimals.size(), Math.max(instants.size(), integers.length));
        CopyRows copy = new CopyRows("copy_rows_test (n, d, dn, at, i)");
        for (int r = 0; r < rows; r++) {
            copy.number(r)
                    .decimal(r < decimals.size() ? decimals.get(r) : null)
                    .decimal(r < decimals.size() ? decimals.get(r) : null)
                    .instant(r < instants.size() ? instants.get(r) : null)
                    .integer(integers[r % integers.length])
                    .end();
        }
        transactions.execute(status -> copy.copy(dataSource));
        for (int r = 0; r < rows; r++) {
            String decimal = r < decimals.size() ? decimals.get(r).toString() : null;
            // A fraction of a microsecond is truncated before it is stored (StorableValues.asStored).
            String instant = r < instants.size()
                    ? instants.get(r).truncatedTo(ChronoUnit.MICROS).toString()
                    : null;
            assertThat(jdbc.sql("""
                            SELECT d IS NOT DISTINCT FROM CAST(:decimal AS numeric(14,2))
                               AND dn::text IS NOT DISTINCT FROM CAST(:decimal AS numeric)::text
                               AND at IS NOT DISTINCT FROM CAST(:instant AS timestamptz)
                               AND i = :integer
                            FROM copy_rows_test WHERE n = :n""")
                            .param("decimal", decimal)
                            .param("instant", instant)
                            .param("integer", integers[r % integers.length])
                            .param("n", r)
                            .query(Boolean.class)
                            .single())
                    .as("row %d: %s, %s", r, decimal, instant)
                    .isTrue();
        }
        assertThat(jdbc.sql("SELECT d::text FROM copy_rows_test WHERE n = 7")
                        .query(String.class)
                        .single())
                .isEqualTo("1.01"); // 1.005 in numeric(14,2), rounded as a text value is
    }

    @Test
    void aValueOfAnotherTypeThanItsColumnsIsRefused() {
        CopyRows copy = new CopyRows("copy_rows_test (n, i)");
        copy.number(1).number(2).end(); // a bigint for an integer column
        assertThatThrownBy(() -> transactions.execute(status -> copy.copy(dataSource)))
                .hasMessageContaining("copy_rows_test");
    }

    @Test
    void theRowsCommitOrRollBackWithTheTransaction() {
        CopyRows copy = new CopyRows(TABLE);
        copy.number(1)
                .text("x")
                .decimal(BigDecimal.ONE)
                .instant(null)
                .bool(true)
                .textArray(List.of())
                .end();
        transactions.execute(status -> {
            copy.copy(dataSource);
            assertThat(jdbc.sql("SELECT count(*) FROM copy_rows_test")
                            .query(Long.class)
                            .single())
                    .as("visible in its own transaction")
                    .isEqualTo(1L);
            status.setRollbackOnly();
            return null;
        });
        assertThat(jdbc.sql("SELECT count(*) FROM copy_rows_test")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void aKeyStoredAlreadyFailsTheCopyAsAConstraintViolation() {
        jdbc.sql("INSERT INTO copy_rows_test (n) VALUES (7)").update();
        CopyRows copy = new CopyRows(TABLE);
        copy.number(7)
                .text("again")
                .decimal(null)
                .instant(null)
                .bool(false)
                .textArray(List.of())
                .end();
        assertThatThrownBy(() -> transactions.execute(status -> copy.copy(dataSource)))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("copy_rows_test");
    }

    @Test
    void noRowsSendNothing() {
        assertThat(new CopyRows(TABLE).copy(dataSource)).isZero();
    }

    @Test
    void anUnendedRowIsAnError() {
        CopyRows copy = new CopyRows(TABLE);
        copy.number(1);
        assertThatThrownBy(() -> copy.copy(dataSource)).isInstanceOf(IllegalStateException.class);
    }
}
