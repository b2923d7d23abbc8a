package io.paperrun.batch;

import io.paperrun.support.DatabaseTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Array;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
                + "b boolean, codes text[])").update();
    }

    @AfterEach
    void dropTable() {
        jdbc.sql("DROP TABLE copy_rows_test").update();
    }

    @Test
    void everyValueReadsBackAsItWas() {
        String[] texts = {"plain", "", null, "\\N", "NULL", "with \"quotes\"", "back\\slash", "tab\there",
                "new\nline", "carriage\rreturn", "ünïcödé", "\\\"", "'single'", "a,b;c", " spaced "};
        List<List<String>> codes = List.of(List.of(), List.of("A"), List.of("A", "B,C", "q\"uote", "b\\s", "t\tab"),
                Arrays.asList("NULL", "{x}", " sp "));
        Instant[] instants = {Instant.parse("2024-03-08T00:00:17Z"), null, Instant.parse("2024-02-29T23:59:59.5Z"),
                Instant.parse("2024-03-08T00:00:17.123456Z")};
        CopyRows copy = new CopyRows(TABLE);
        for (int i = 0; i < texts.length; i++) {
            copy.number(i).text(texts[i]).decimal(i % 3 == 0 ? null : BigDecimal.valueOf(i * 100L + 25, 2))
                    .instant(instants[i % instants.length]).bool(i % 2 == 0).textArray(codes.get(i % codes.size()))
                    .end();
        }
        assertThat(copy.size()).isEqualTo(texts.length);
        Long stored = transactions.execute(status -> copy.copy(dataSource));
        assertThat(stored).isEqualTo(texts.length);

        List<List<Object>> back = jdbc.sql("SELECT n, t, d, at, b, codes FROM copy_rows_test ORDER BY n")
                .query((rs, i) -> {
                    Array array = rs.getArray(6);
                    OffsetDateTime at = rs.getObject(4, OffsetDateTime.class);
                    return Arrays.asList(rs.getLong(1), rs.getString(2), rs.getBigDecimal(3),
                            at == null ? null : at.toInstant(), rs.getBoolean(5),
                            List.of((String[]) array.getArray()));
                }).list();
        List<List<Object>> expected = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            expected.add(Arrays.asList((long) i, texts[i], i % 3 == 0 ? null : BigDecimal.valueOf(i * 100L + 25, 2),
                    instants[i % instants.length], i % 2 == 0, codes.get(i % codes.size())));
        }
        assertThat(back).containsExactlyElementsOf(expected);
    }

    @Test
    void theRowsCommitOrRollBackWithTheTransaction() {
        CopyRows copy = new CopyRows(TABLE);
        copy.number(1).text("x").decimal(BigDecimal.ONE).instant(null).bool(true).textArray(List.of()).end();
        transactions.execute(status -> {
            copy.copy(dataSource);
            assertThat(jdbc.sql("SELECT count(*) FROM copy_rows_test").query(Long.class).single())
                    .as("visible in its own transaction").isEqualTo(1L);
            status.setRollbackOnly();
            return null;
        });
        assertThat(jdbc.sql("SELECT count(*) FROM copy_rows_test").query(Long.class).single()).isZero();
    }

    @Test
    void aKeyStoredAlreadyFailsTheCopyAsAConstraintViolation() {
        jdbc.sql("INSERT INTO copy_rows_test (n) VALUES (7)").update();
        CopyRows copy = new CopyRows(TABLE);
        copy.number(7).text("again").decimal(null).instant(null).bool(false).textArray(List.of()).end();
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
