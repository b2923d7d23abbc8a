package io.paperrun.integration.csv;

import io.paperrun.batch.ImportLine;
import io.paperrun.batch.Page;
import io.paperrun.batch.Partitions;
import io.paperrun.batch.RejectedRowException;
import io.paperrun.batch.StorableValues;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A CSV file's rows as pages of {@link ImportLine}s: the mapped value, or the reason the row is rejected. A page's
 * cursor is the number of lines of the slice handed over before it. Rows are parsed and mapped ahead on a thread
 * of their own; the partitions of one reading (its {@code readingId}) share one parse of the file.
 */
public final class CsvPages<T> implements AutoCloseable {

    /** Maps a row to a value, or rejects it. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(CsvRow row) throws RejectedRowException;
    }

    /** Lines in a page. */
    static final int PAGE = 1000;

    private static final int LINES_AHEAD = 4096;

    /** How many times a file was split into records in this process (the tests count them). */
    static final AtomicLong PARSES = new AtomicLong();

    private static final Object END = new Object();

    private final String name;
    private final Path file;
    private final RowMapper<T> mapper;
    private final String recordIdColumn;
    private final Partitions.Slice slice;
    private final String readingId;
    private BlockingQueue<Object> lines;
    private Parse parse;
    private boolean ended;
    private long handed;

    /**
     * @param slice     the lines read: those whose record id (trimmed) hashes into it, or, without an id, whose line
     *                  number does; lines with the same id are all in the same slice, in order
     * @param readingId the reading whose partitions share one parse of the file, or null for a parse of its own
     */
    public CsvPages(
            String name,
            Path file,
            String recordIdColumn,
            RowMapper<T> mapper,
            Partitions.Slice slice,
            String readingId) {
        this.name = name;
        this.file = file;
        this.mapper = mapper;
        this.recordIdColumn = recordIdColumn;
        this.slice = slice;
        this.readingId = slice.isAll() ? null : readingId;
    }

    /** Raised on the reading thread when parsing failed on the parser's. */
    private record Failure(Exception cause) {}

    /** The page of lines after the first {@code cursor} of the slice (null: the first page). */
    public Page<T> fetch(String cursor) throws IOException {
        long from = cursor == null ? 0 : Long.parseLong(cursor);
        if (lines == null || from < handed) {
            close();
            open();
        }
        List<ImportLine<T>> page = new ArrayList<>(PAGE);
        ImportLine<T> line;
        while (page.size() < PAGE && (line = next()) != null) {
            if (handed > from) {
                page.add(line);
            }
        }
        return new Page<>(page, ended ? null : Long.toString(handed));
    }

    private void open() throws IOException {
        lines = new ArrayBlockingQueue<>(LINES_AHEAD);
        ended = false;
        handed = 0;
        parse = readingId == null
                ? Parse.alone(slice, lines, this)
                : Parse.join(
                        new Parse.Key(readingId, name, file.toAbsolutePath(), slice.partitions()),
                        slice.partition(),
                        lines,
                        this);
    }

    private CSVParser parser() throws IOException {
        Reader reader = CsvFile.open(file);
        return CSVParser.builder().setReader(reader).setFormat(CsvFile.FORMAT).get();
    }

    /**
     * Splits the file into records and hands each to the queue of its partition, mapped: the partition of a
     * record is the hash of its id (trimmed), or, without an id, of its line number, so that lines with the
     * same id are all in the same partition, in order.
     */
    private void parse(CSVParser csv, int partitions, Parse out) {
        PARSES.incrementAndGet();
        try (csv) {
            int headerSize = csv.getHeaderNames().size();
            Map<String, Integer> columns = CsvFile.columnIndexes(csv.getHeaderMap());
            Integer recordIdIndex = columns.get(recordIdColumn);
            Iterator<CSVRecord> records = csv.iterator();
            long lastLine = csv.getCurrentLineNumber();
            while (!out.stopped()) {
                CSVRecord record;
                try {
                    if (!records.hasNext()) {
                        break;
                    }
                    record = records.next();
                } catch (UncheckedIOException | IllegalStateException unreadable) {
                    // Past this point the file cannot be split into records (an unclosed quote, which runs to
                    // the end of the file): the lines before are kept, this one is rejected, and the rest is
                    // not read.
                    put(
                            out,
                            partitionOf(lastLine + 1, partitions),
                            new ImportLine.Rejected<T>(
                                    lastLine + 1,
                                    null,
                                    "cannot be parsed from here (" + unreadableReason(unreadable)
                                            + "); the rest of the file was not read",
                                    ""));
                    break;
                }
                lastLine = csv.getCurrentLineNumber();
                String recordId = recordIdIndex == null || recordIdIndex >= record.size()
                        ? null
                        : record.get(recordIdIndex).trim();
                int partition = partitionOf(
                        recordId == null || recordId.isEmpty() ? lastLine : recordId.hashCode(), partitions);
                if (out.of(partition) != null) {
                    put(out, partition, toLine(record, columns, recordId, lastLine, headerSize));
                }
            }
            for (int p = 0; p < partitions; p++) {
                put(out, p, END);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            try {
                for (int p = 0; p < partitions; p++) {
                    put(out, p, new Failure(e));
                }
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int partitionOf(long hash, int partitions) {
        return partitions <= 1 ? 0 : (int) Math.floorMod(hash, (long) partitions);
    }

    /** Waits for room in the partition's queue, unless nobody reads it (any more). */
    private static void put(Parse out, int partition, Object line) throws InterruptedException {
        BlockingQueue<Object> queue;
        while ((queue = out.of(partition)) != null
                && !out.stopped()
                && !queue.offer(line, 100, TimeUnit.MILLISECONDS)) {
            // The step is busy writing; wait for room.
        }
    }

    private ImportLine<T> toLine(
            CSVRecord record, Map<String, Integer> columns, String recordId, long line, int headerSize) {
        if (record.size() != headerSize) {
            return new ImportLine.Rejected<>(
                    firstLine(record, line),
                    storable(recordId),
                    "has " + record.size() + " fields, the header has " + headerSize,
                    raw(record));
        }
        for (int i = 0; i < headerSize; i++) {
            if (!CsvFile.isUtf8(record.get(i))) {
                return new ImportLine.Rejected<>(
                        firstLine(record, line),
                        storable(recordId),
                        "not valid UTF-8 text (in " + columnAt(columns, i) + ")",
                        raw(record));
            }
        }
        try {
            return new ImportLine.Accepted<>(line, mapper.map(new CsvRow(record, columns)));
        } catch (RejectedRowException e) {
            return new ImportLine.Rejected<>(firstLine(record, line), storable(recordId), e.getMessage(), raw(record));
        }
    }

    /**
     * The line a record starts on, as a rejection names it (where an editor finds the row): the parser counts
     * lines to the record's end, and a quoted value may hold line breaks ({@code \r\n}, {@code \n} or {@code \r},
     * each one line, as the parser counts them).
     */
    static long firstLine(CSVRecord record, long lastLine) {
        long breaks = 0;
        for (String value : record) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\n' || (c == '\r' && (i + 1 == value.length() || value.charAt(i + 1) != '\n'))) {
                    breaks++;
                }
            }
        }
        return lastLine - breaks;
    }

    /** The slice's next line, or null at the end of the file. */
    @SuppressWarnings("unchecked")
    private ImportLine<T> next() throws IOException {
        if (ended) {
            return null;
        }
        Object next;
        try {
            while ((next = lines.poll(1, TimeUnit.SECONDS)) == null) {
                if (!parse.thread.isAlive()) {
                    next = lines.poll(); // what it put just before it ended
                    if (next == null) {
                        ended = true;
                        throw new IOException(file + ": the parse of the file stopped before its end");
                    }
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(file + ": interrupted while reading", e);
        }
        if (next == END) {
            ended = true;
            return null;
        }
        if (next instanceof Failure failure) {
            ended = true;
            throw new IOException(
                    file + ": cannot be read past the last good line: "
                            + failure.cause().getMessage(),
                    failure.cause());
        }
        handed++;
        return (ImportLine<T>) next;
    }

    private static String unreadableReason(RuntimeException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    /** The record's fields joined, as it is recorded with its rejection. */
    private static String raw(CSVRecord record) {
        return storable(String.join(",", record.toList()));
    }

    private static String columnAt(Map<String, Integer> columns, int index) {
        return columns.entrySet().stream()
                .filter(c -> c.getValue() == index)
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse("column " + (index + 1));
    }

    /**
     * Text the database can store ({@link StorableValues#text}): a NUL written {@code \0}. A rejected row's id and
     * raw text are stored with its reason; a NUL in them failed the whole chunk.
     */
    private static String storable(String text) {
        if (text == null) {
            return null;
        }
        String shown = CsvFile.isUtf8(text) ? text : text.replace(CsvFile.NOT_UTF8, '\uFFFD'); // as text tools show it
        return StorableValues.text(shown) ? shown : shown.replace("\0", "\\0");
    }

    @Override
    public void close() {
        if (parse != null) {
            try {
                parse.leave(slice.partition());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            parse = null;
        }
        lines = null;
    }

    /**
     * One parse of a file, on a thread of its own, for one reader or for the partitions of one step execution
     * that read it side by side. For the latter the first partition to open starts it and the others join
     * while it gathers them (until all have joined, or for {@link #GATHERING_MILLIS} at most: on a restart only
     * the partitions that did not complete run); a partition that comes later gets a parse of its own. Each
     * partition's lines go to its own bounded queue; a partition that leaves is no longer fed, and the parse
     * stops when none is left.
     */
    private static final class Parse {

        record Key(String readingId, String reader, Path file, int partitions) {}

        private static final long GATHERING_MILLIS = 1000;
        private static final Map<Key, Parse> GATHERING = new HashMap<>();

        private final Key key;
        private final AtomicReferenceArray<BlockingQueue<Object>> queues;
        private final CountDownLatch joined;
        private volatile Thread thread;

        private Parse(Key key, int partitions) {
            this.key = key;
            this.queues = new AtomicReferenceArray<>(partitions);
            this.joined = new CountDownLatch(key == null ? 0 : partitions);
        }

        /** A parse of the reader's own, for the lines of its slice (opening the file: it fails here). */
        static Parse alone(Partitions.Slice slice, BlockingQueue<Object> lines, CsvPages<?> reader) throws IOException {
            Parse parse = new Parse(null, slice.partitions());
            parse.queues.set(slice.partition(), lines);
            parse.start(reader.parser(), reader);
            return parse;
        }

        /** Joins the parse gathering for {@code key}, or starts one (opening the file: it fails here). */
        static Parse join(Key key, int partition, BlockingQueue<Object> lines, CsvPages<?> reader) throws IOException {
            synchronized (GATHERING) {
                Parse parse = GATHERING.get(key);
                if (parse == null || parse.queues.get(partition) != null) {
                    parse = new Parse(key, key.partitions());
                    parse.start(reader.parser(), reader);
                    GATHERING.put(key, parse);
                }
                parse.queues.set(partition, lines);
                parse.joined.countDown();
                return parse;
            }
        }

        private void start(CSVParser csv, CsvPages<?> reader) {
            Thread parse = new Thread(
                    () -> {
                        try {
                            joined.await(GATHERING_MILLIS, TimeUnit.MILLISECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        if (key != null) {
                            synchronized (GATHERING) {
                                GATHERING.remove(key, this); // from here on, nobody joins
                            }
                        }
                        reader.parse(csv, queues.length(), this);
                    },
                    reader.name + ".parser");
            parse.setDaemon(true);
            thread = parse;
            parse.start();
        }

        /** The queue for the lines of partition {@code p}, or null when nobody reads them. */
        BlockingQueue<Object> of(int p) {
            return queues.get(p);
        }

        /** Whether nobody reads any more. */
        boolean stopped() {
            for (int p = 0; p < queues.length(); p++) {
                if (queues.get(p) != null) {
                    return false;
                }
            }
            return true;
        }

        /** The partition no longer reads; the parse stops when no partition does. */
        void leave(int partition) throws InterruptedException {
            queues.set(partition, null);
            if (stopped()) {
                if (key != null) {
                    synchronized (GATHERING) {
                        GATHERING.remove(key, this);
                    }
                }
                thread.interrupt();
                thread.join(TimeUnit.SECONDS.toMillis(10));
            }
        }
    }
}
