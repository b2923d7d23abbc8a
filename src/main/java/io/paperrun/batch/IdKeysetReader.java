package io.paperrun.batch;

import java.util.Map;
import javax.sql.DataSource;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.batch.infrastructure.item.database.Order;
import org.springframework.batch.infrastructure.item.database.support.PostgresPagingQueryProvider;

/**
 * Reads the ids of a table's rows in id order, a page at a time with keyset
 * paging ({@code id > last id}): a restart resumes after the last committed
 * chunk, and rows the job has already changed out of the filter are not skipped over.
 */
public final class IdKeysetReader {

    private IdKeysetReader() {}

    /**
     * @param idColumn the unique id column (unqualified), read and sorted on
     * @param from     e.g. {@code FROM attribution}
     * @param where    e.g. {@code WHERE holdout}, with named parameters, or null
     */
    public static JdbcPagingItemReader<Long> of(
            String name,
            DataSource dataSource,
            String idColumn,
            String from,
            String where,
            Map<String, Object> parameters,
            int pageSize)
            throws Exception {
        PostgresPagingQueryProvider query = new PostgresPagingQueryProvider();
        query.setSelectClause("SELECT " + idColumn);
        query.setFromClause(from);
        query.setWhereClause(where);
        query.setSortKeys(Map.of(idColumn, Order.ASCENDING));
        return new KeysetPagingReader.Builder<Long>()
                .name(name)
                .dataSource(dataSource)
                .queryProvider(query)
                .parameterValues(parameters)
                .pageSize(pageSize)
                .rowMapper((rs, i) -> rs.getLong(1))
                .build();
    }
}
