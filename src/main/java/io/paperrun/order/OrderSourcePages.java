package io.paperrun.order;

import io.paperrun.batch.Page;
import io.paperrun.batch.SourceReader;
import java.time.Instant;

/**
 * One organization's order source as the generic reader's pages, for one partition: opened at first use, closed
 * with the reader. A provider's failure is said in one line naming the organization and the provider. Not final:
 * a step-scoped bean is a CGLIB proxy.
 */
public class OrderSourcePages implements SourceReader.Pages<IncomingOrder>, AutoCloseable {

    private final OrderSourceFactory factory;
    private final OrderReading reading;
    private final Instant since;
    private OrderSource source;

    /** @param since the orders changed at or after this are asked for (null: all) */
    public OrderSourcePages(OrderSourceFactory factory, OrderReading reading, Instant since) {
        this.factory = factory;
        this.reading = reading;
        this.since = since;
    }

    @Override
    public Page<IncomingOrder> fetch(String cursor) throws Exception {
        try {
            return opened().fetch(since, cursor);
        } catch (Exception e) {
            throw named(e);
        }
    }

    /** Where the orders are read from, as rejected rows name it. */
    public String location() {
        try {
            return opened().location();
        } catch (RuntimeException e) {
            throw (RuntimeException) named(e);
        }
    }

    private OrderSource opened() {
        if (source == null) {
            source = factory.open(reading);
        }
        return source;
    }

    /** A provider's failure, named; a file's names its file already. */
    private <E extends Exception> Exception named(E e) {
        if (OrderSourceFactory.DEFAULT_PROVIDER.equals(factory.provider())) {
            return e;
        }
        IllegalStateException named = new IllegalStateException(
                reading.organization() + ": " + factory.provider() + ": " + firstLine(e), null);
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
