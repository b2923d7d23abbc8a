package io.paperrun.integration.csv;

import io.paperrun.batch.Page;
import io.paperrun.batch.Partitions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * The rows of the CSV file a job's {@code file} parameter names, as a source's pages: all of them whatever the
 * checkpoint, since a file's rows are an explicit hand-over.
 */
abstract class CsvSource<T> implements AutoCloseable {

    private final Path file;
    private final CsvPages<T> pages;

    /**
     * @param reader         the name the step's execution context keys the reading by
     * @param recordIdColumn the column that names a row in a rejection, and that slices the file
     */
    CsvSource(
            Map<String, String> parameters,
            String reader,
            String recordIdColumn,
            CsvPages.RowMapper<T> mapper,
            Partitions.Slice slice,
            String readingId) {
        String file = parameters.get("file");
        if (file == null) {
            throw new IllegalStateException("a csv source needs a file=... parameter");
        }
        this.file = Path.of(file);
        this.pages = new CsvPages<>(reader, this.file, recordIdColumn, mapper, slice, readingId);
    }

    public String provider() {
        return "csv";
    }

    public String location() {
        return file.toString();
    }

    public Page<T> fetch(Instant since, String cursor) throws IOException {
        return pages.fetch(cursor);
    }

    @Override
    public void close() {
        pages.close();
    }
}
