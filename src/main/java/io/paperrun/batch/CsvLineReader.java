package io.paperrun.batch;

import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;

import java.io.Reader;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a CSV file record by record and maps each to an {@link ImportLine}: the
 * mapped value, or the reason the row is rejected.
 * <p>
 * Parsing and mapping run ahead on a thread of their own, a bounded number of
 * lines ahead, so that they overlap with the writer's database work. The lines
 * are still handed to the step one at a time and in order, and the restart
 * state is the number of lines handed over (kept by the superclass in the
 * step's execution context), never the number parsed ahead: a restart skips
 * exactly the lines of the committed chunks.
 */
public class CsvLineReader<T> extends AbstractItemCountingItemStreamItemReader<ImportLine<T>> {

    /** Maps a row to a value, or rejects it. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(CsvRow row) throws RejectedRowException;
    }

    private static final int LINES_AHEAD = 4096;
    private static final Object END = new Object();

    private final Path file;
    private final RowMapper<T> mapper;
    private final String recordIdColumn;
    private BlockingQueue<Object> lines;
    private Thread parser;
    private volatile boolean closing;
    private boolean ended;
    private Partitions.Slice slice = Partitions.Slice.ALL;

    public CsvLineReader(String name, Path file, String recordIdColumn, RowMapper<T> mapper) {
        setName(name);
        this.file = file;
        this.mapper = mapper;
        this.recordIdColumn = recordIdColumn;
    }

    /**
     * Reads only the lines of one slice of the file: those whose record id (trimmed) hashes into it, or,
     * without an id, whose line number does. Lines with the same id are all in the same slice, in order.
     */
    public CsvLineReader<T> slice(Partitions.Slice slice) {
        this.slice = slice;
        return this;
    }

    /** Raised on the step's thread when parsing failed on the parser's. */
    private record Failure(Exception cause) {
    }

    @Override
    protected void doOpen() throws Exception {
        Reader reader = CsvFile.open(file);
        CSVParser csv = CSVParser.builder().setReader(reader).setFormat(CsvFile.FORMAT).get();
        lines = new ArrayBlockingQueue<>(LINES_AHEAD);
        closing = false;
        ended = false;
        parser = new Thread(() -> parse(csv), getExecutionContextKey("parser"));
        parser.setDaemon(true);
        parser.start();
    }

    private void parse(CSVParser csv) {
        try (csv) {
            int headerSize = csv.getHeaderNames().size();
            java.util.Map<String, Integer> columns = csv.getHeaderMap();
            Integer recordIdIndex = columns.get(recordIdColumn);
            Iterator<CSVRecord> records = csv.iterator();
            long lastLine = csv.getCurrentLineNumber();
            while (!closing) {
                CSVRecord record;
                try {
                    if (!records.hasNext()) {
                        break;
                    }
                    record = records.next();
                } catch (java.io.UncheckedIOException | IllegalStateException unreadable) {
                    // Past this point the file cannot be split into records (an unclosed quote, bytes that are
                    // not UTF-8): the lines before are kept, this one is rejected, and the rest is not read.
                    if (slice.holds(lastLine + 1)) {
                        put(new ImportLine.Rejected<T>(lastLine + 1, null, "cannot be parsed from here ("
                                + unreadableReason(unreadable) + "); the rest of the file was not read", ""));
                    }
                    break;
                }
                lastLine = csv.getCurrentLineNumber();
                String recordId = recordIdIndex == null || recordIdIndex >= record.size() ? null
                        : record.get(recordIdIndex).trim();
                if (slice.holds(recordId == null || recordId.isEmpty() ? lastLine : recordId.hashCode())) {
                    put(toLine(record, columns, recordId, lastLine, headerSize));
                }
            }
            put(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            try {
                put(new Failure(e));
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void put(Object line) throws InterruptedException {
        while (!closing && !lines.offer(line, 100, TimeUnit.MILLISECONDS)) {
            // The step is busy writing; wait for room.
        }
    }

    private ImportLine<T> toLine(CSVRecord record, java.util.Map<String, Integer> columns, String recordId, long line,
                                 int headerSize) {
        if (record.size() != headerSize) {
            return new ImportLine.Rejected<>(line, recordId,
                    "has " + record.size() + " fields, the header has " + headerSize, raw(record));
        }
        try {
            return new ImportLine.Accepted<>(line, mapper.map(new CsvRow(record, columns)));
        } catch (RejectedRowException e) {
            return new ImportLine.Rejected<>(line, recordId, e.getMessage(), raw(record));
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    protected ImportLine<T> doRead() throws Exception {
        if (ended) {
            return null;
        }
        Object next = lines.take();
        if (next == END) {
            ended = true;
            return null;
        }
        if (next instanceof Failure failure) {
            ended = true;
            throw new ItemStreamException(file + ": cannot be read past the last good line: "
                    + failure.cause().getMessage(), failure.cause());
        }
        return (ImportLine<T>) next;
    }

    private static String unreadableReason(RuntimeException e) {
        if (CsvFile.notUtf8(e)) {
            return "not valid UTF-8";
        }
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    private static String raw(CSVRecord record) {
        return String.join(",", record.toList());
    }

    @Override
    protected void doClose() throws Exception {
        closing = true;
        if (parser != null) {
            parser.interrupt();
            parser.join(TimeUnit.SECONDS.toMillis(10));
            parser = null;
        }
        lines = null;
    }
}
