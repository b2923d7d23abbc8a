package io.paperrun.batch;

import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * Reads a CSV file record by record and maps each to an {@link ImportLine}: the
 * mapped value, or the reason the row is rejected. Restartable: the number of
 * records read is kept in the step's execution context, and a restart skips them.
 */
public class CsvLineReader<T> extends AbstractItemCountingItemStreamItemReader<ImportLine<T>> {

    /** Maps a row to a value, or rejects it. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(CsvRow row) throws RejectedRowException;
    }

    private final Path file;
    private final RowMapper<T> mapper;
    private final String recordIdColumn;
    private CSVParser parser;
    private Iterator<CSVRecord> records;
    private int headerSize;

    public CsvLineReader(String name, Path file, String recordIdColumn, RowMapper<T> mapper) {
        setName(name);
        this.file = file;
        this.mapper = mapper;
        this.recordIdColumn = recordIdColumn;
    }

    @Override
    protected void doOpen() throws Exception {
        Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        parser = CSVParser.builder().setReader(reader).setFormat(CsvFile.FORMAT).get();
        headerSize = parser.getHeaderNames().size();
        records = parser.iterator();
    }

    @Override
    protected ImportLine<T> doRead() {
        if (!records.hasNext()) {
            return null;
        }
        CSVRecord record = records.next();
        long line = parser.getCurrentLineNumber();
        String recordId = record.isMapped(recordIdColumn) && record.isSet(recordIdColumn)
                ? record.get(recordIdColumn).trim() : null;
        if (record.size() != headerSize) {
            return new ImportLine.Rejected<>(line, recordId,
                    "has " + record.size() + " fields, the header has " + headerSize, raw(record));
        }
        try {
            return new ImportLine.Accepted<>(line, mapper.map(new CsvRow(record)));
        } catch (RejectedRowException e) {
            return new ImportLine.Rejected<>(line, recordId, e.getMessage(), raw(record));
        }
    }

    private static String raw(CSVRecord record) {
        return String.join(",", record.toList());
    }

    @Override
    protected void doClose() throws Exception {
        if (parser != null) {
            parser.close();
            parser = null;
        }
    }
}
