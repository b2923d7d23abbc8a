package io.paperrun.batch;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One partition's source (an order or audience source) as {@link SourceReader}'s pages: opened at first use,
 * closed with the reader. A provider's failure is said in one line naming the owner (an organization, a
 * campaign) and the provider; a file's names its file already. Not final: a step-scoped bean is a CGLIB proxy.
 */
public class SourcePages<S extends AutoCloseable, T> implements SourceReader.Pages<T>, AutoCloseable {

    /** A page of the opened source at a cursor. */
    @FunctionalInterface
    public interface Fetch<S, T> {
        Page<T> fetch(S source, String cursor) throws Exception;
    }

    private final String owner;
    private final String provider;
    private final boolean file;
    private final Supplier<S> opener;
    private final Fetch<S, T> fetch;
    private final Function<S, String> location;
    private S source;

    /**
     * @param owner    who the records are for, as the failure's line names them (an organization's slug)
     * @param file     whether the source is a file, whose failures name it already
     * @param location where the opened source reads, as rejected rows name it
     */
    public SourcePages(
            String owner,
            String provider,
            boolean file,
            Supplier<S> opener,
            Fetch<S, T> fetch,
            Function<S, String> location) {
        this.owner = owner;
        this.provider = provider;
        this.file = file;
        this.opener = opener;
        this.fetch = fetch;
        this.location = location;
    }

    @Override
    public Page<T> fetch(String cursor) throws Exception {
        try {
            return fetch.fetch(opened(), cursor);
        } catch (Exception e) {
            throw named(e);
        }
    }

    /** Where the records are read from, as rejected rows name it. */
    public String location() {
        try {
            return location.apply(opened());
        } catch (RuntimeException e) {
            throw (RuntimeException) named(e);
        }
    }

    private S opened() {
        if (source == null) {
            source = opener.get();
        }
        return source;
    }

    private Exception named(Exception e) {
        if (file) {
            return e;
        }
        IllegalStateException named = new IllegalStateException(owner + ": " + provider + ": " + firstLine(e), null);
        named.addSuppressed(e);
        return named;
    }

    private static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    @Override
    public void close() throws Exception {
        if (source != null) {
            source.close();
        }
    }
}
