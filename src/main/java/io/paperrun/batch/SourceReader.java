package io.paperrun.batch;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Reads any paged source (an order or audience source) as a restartable step reader: the step's execution context
 * keeps the cursor of the current page and how many of its lines were handed over, so a restart resumes after the
 * last committed chunk. A record without a line of its own (a provider's) is numbered by its position in the
 * reading, 1 first.
 */
public class SourceReader<T> implements ItemStreamReader<ImportLine<T>> {

    /** A source's pages, as a stage's source interface gives them. */
    @FunctionalInterface
    public interface Pages<T> {
        /** The page at {@code cursor}; null: the first. */
        Page<T> fetch(String cursor) throws Exception;
    }

    private final String name;
    private final Pages<T> pages;
    private final AutoCloseable source;
    private String cursor;
    private Page<T> page;
    private int index;
    private long position;

    /**
     * @param name   the reader's name, which keys its state in the step's execution context
     * @param source what {@code pages} reads, closed with the reader
     */
    public SourceReader(String name, Pages<T> pages, AutoCloseable source) {
        this.name = name;
        this.pages = pages;
        this.source = source;
    }

    @Override
    public void open(ExecutionContext context) {
        cursor = context.containsKey(key("cursor")) ? context.getString(key("cursor")) : null;
        int handed = context.getInt(key("offset"), context.getInt(key("read.count"), 0)); // read.count: before pages
        long stored = context.getLong(key("position"), -1L);
        page = fetch(cursor);
        for (index = 0; handed > 0; handed--) {
            if (read() == null) {
                break;
            }
        }
        if (stored >= 0) {
            position = stored;
        }
    }

    @Override
    public ImportLine<T> read() {
        while (index >= page.lines().size()) {
            if (page.isLast()) {
                return null;
            }
            cursor = page.next();
            page = fetch(cursor);
            index = 0;
        }
        ImportLine<T> line = page.lines().get(index++);
        position++;
        return line.line() == 0 ? line.at(position) : line;
    }

    @Override
    public void update(ExecutionContext context) {
        // A page handed over whole: a restart starts at the next one rather than fetch this one again.
        boolean pageDone = page != null && index >= page.lines().size() && !page.isLast();
        String at = pageDone ? page.next() : cursor;
        if (at == null) {
            context.remove(key("cursor"));
        } else {
            context.putString(key("cursor"), at);
        }
        context.putInt(key("offset"), pageDone ? 0 : index);
        context.putLong(key("position"), position);
    }

    @Override
    public void close() {
        try {
            source.close();
        } catch (Exception e) {
            throw new ItemStreamException(name + ": cannot close its source: " + e.getMessage(), e);
        }
    }

    private Page<T> fetch(String at) {
        try {
            return pages.fetch(at);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new ItemStreamException(e.getMessage(), e);
        }
    }

    private String key(String suffix) {
        return name + "." + suffix;
    }
}
