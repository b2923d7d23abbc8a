package io.paperrun.mailing;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * A printer's fake whose n-th create can be held: before the printer acts (the request reached it, nothing was
 * made; released, it answers 503 without making anything) or after (the piece was made; released, the answer goes
 * to a client that is gone). A test kills the process while a create is held.
 */
final class HeldCreates extends Dispatcher {

    /** Where the held create stops. */
    enum Where {
        BEFORE_THE_PRINTER_ACTS,
        AFTER_THE_PRINTER_ACTED
    }

    private record Hold(
            Where where, int occurrence, AtomicInteger seen, CountDownLatch reached, CountDownLatch released) {}

    private final Dispatcher printer;
    private final Predicate<RecordedRequest> isCreate;
    private volatile Hold hold;

    HeldCreates(Dispatcher printer, Predicate<RecordedRequest> isCreate) {
        this.printer = printer;
        this.isCreate = isCreate;
    }

    /** Holds the {@code occurrence}-th create from now. */
    void holdCreate(Where where, int occurrence) {
        hold = new Hold(where, occurrence, new AtomicInteger(), new CountDownLatch(1), new CountDownLatch(1));
    }

    /** Whether the held create was reached. */
    boolean reached() {
        Hold h = hold;
        return h != null && h.reached().getCount() == 0;
    }

    /** Lets a held create go on, and holds nothing more. */
    void release() {
        Hold h = hold;
        hold = null;
        if (h != null) {
            h.released().countDown();
        }
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        Hold h = hold;
        if (h == null || !isCreate.test(request) || h.seen().incrementAndGet() != h.occurrence()) {
            return printer.dispatch(request);
        }
        if (h.where() == Where.BEFORE_THE_PRINTER_ACTS) {
            h.reached().countDown();
            h.released().await(120, TimeUnit.SECONDS);
            return new MockResponse.Builder().code(503).body("{}").build();
        }
        MockResponse answer = printer.dispatch(request);
        h.reached().countDown();
        h.released().await(120, TimeUnit.SECONDS);
        return answer;
    }
}
