package io.paperrun.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.DatabaseTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.database.Order;
import org.springframework.batch.infrastructure.item.database.support.PostgresPagingQueryProvider;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A restart reads on after the last committed key even when the chunk (page) size changed and the rows done left
 * the reader's filter: nothing is skipped (the stock reader skipped the rest of a page's worth).
 */
class KeysetPagingReaderTest extends DatabaseTest {

    @Autowired
    DataSource dataSource;

    @AfterEach
    void drop() {
        jdbc.sql("DROP TABLE IF EXISTS keyset_test").update();
    }

    @Test
    void aRestartWithAnotherPageSizeReadsEveryRowNotDoneYet() throws Exception {
        jdbc.sql("CREATE TABLE keyset_test (id bigint PRIMARY KEY, done boolean NOT NULL DEFAULT false)")
                .update();
        jdbc.sql("INSERT INTO keyset_test (id) SELECT g FROM generate_series(1, 300) g")
                .update();

        ExecutionContext saved = new ExecutionContext();
        KeysetPagingReader<Long> first = reader(50);
        first.open(saved);
        for (int chunk = 0; chunk < 5; chunk++) { // five chunks of 50 committed: rows 1-250 done
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                ids.add(first.read());
            }
            jdbc.sql("UPDATE keyset_test SET done = true WHERE id = ANY(?)")
                    .param(ids.toArray(Long[]::new))
                    .update();
            first.update(saved);
        }
        first.read(); // the sixth chunk's first row, never committed: the run stops here
        first.close();

        KeysetPagingReader<Long> restarted = reader(100);
        restarted.open(saved);
        List<Long> rest = new ArrayList<>();
        for (Long id = restarted.read(); id != null; id = restarted.read()) {
            rest.add(id);
        }
        restarted.close();
        assertThat(rest).hasSize(50).startsWith(251L).endsWith(300L);
    }

    private KeysetPagingReader<Long> reader(int pageSize) throws Exception {
        PostgresPagingQueryProvider query = new PostgresPagingQueryProvider();
        query.setSelectClause("SELECT id");
        query.setFromClause("FROM keyset_test");
        query.setWhereClause("WHERE NOT done");
        query.setSortKeys(Map.of("id", Order.ASCENDING));
        return new KeysetPagingReader.Builder<Long>()
                .name("keysetTest")
                .dataSource(dataSource)
                .queryProvider(query)
                .parameterValues(Map.of())
                .pageSize(pageSize)
                .rowMapper((rs, i) -> rs.getLong(1))
                .build();
    }
}
