package io.paperrun.batch;

import java.util.Map;
import javax.sql.DataSource;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.batch.infrastructure.item.database.PagingQueryProvider;
import org.springframework.jdbc.core.RowMapper;

/**
 * A {@link JdbcPagingItemReader} whose chunks are its pages: a restart reads on after the last committed key, from
 * the first row after it, whatever the page size is now and whichever rows left the reader's filter meanwhile.
 */
public final class KeysetPagingReader<T> extends JdbcPagingItemReader<T> {

    private KeysetPagingReader(DataSource dataSource, PagingQueryProvider queryProvider) {
        super(dataSource, queryProvider);
    }

    @Override
    protected void jumpToItem(int itemIndex) throws Exception {
        // Past the first page, the remaining pages are read after the saved key, from their first row.
        super.jumpToItem(itemIndex == 0 ? 0 : pageSize());
    }

    private int pageSize;

    @Override
    public void setPageSize(int pageSize) {
        super.setPageSize(pageSize);
        this.pageSize = pageSize;
    }

    private int pageSize() {
        return pageSize;
    }

    /** Builds one as {@code JdbcPagingItemReaderBuilder} would; the step's chunk size must be its page size. */
    public static final class Builder<T> {
        private String name;
        private DataSource dataSource;
        private PagingQueryProvider queryProvider;
        private Map<String, Object> parameterValues;
        private int pageSize;
        private RowMapper<T> rowMapper;

        public Builder<T> name(String name) {
            this.name = name;
            return this;
        }

        public Builder<T> dataSource(DataSource dataSource) {
            this.dataSource = dataSource;
            return this;
        }

        public Builder<T> queryProvider(PagingQueryProvider queryProvider) {
            this.queryProvider = queryProvider;
            return this;
        }

        public Builder<T> parameterValues(Map<String, Object> parameterValues) {
            this.parameterValues = parameterValues;
            return this;
        }

        public Builder<T> pageSize(int pageSize) {
            this.pageSize = pageSize;
            return this;
        }

        public Builder<T> rowMapper(RowMapper<T> rowMapper) {
            this.rowMapper = rowMapper;
            return this;
        }

        public KeysetPagingReader<T> build() throws Exception {
            KeysetPagingReader<T> reader = new KeysetPagingReader<>(dataSource, queryProvider);
            reader.setName(name);
            reader.setParameterValues(parameterValues);
            reader.setPageSize(pageSize);
            reader.setRowMapper(rowMapper);
            reader.afterPropertiesSet();
            return reader;
        }
    }
}
