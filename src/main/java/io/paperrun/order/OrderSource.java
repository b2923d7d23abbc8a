package io.paperrun.order;

import io.paperrun.batch.Page;
import java.time.Instant;

/**
 * Where an organization's orders come from: pages of orders since a checkpoint, each page resumable from its
 * cursor. A record the source cannot read is a rejected line on its page, not an exception.
 */
public interface OrderSource extends AutoCloseable {

    /** The provider name stored with each order: csv, shopify, klaviyo, ometria. */
    String provider();

    /** Where the orders are read from, as rejected rows name it (a file path, a provider). */
    String location();

    /**
     * The page of orders at {@code cursor} (null: the first). A provider is asked only for the orders since
     * {@code since} (null: all of them); a file is read whole, its older rows being backfill.
     */
    Page<IncomingOrder> fetch(Instant since, String cursor) throws Exception;

    @Override
    default void close() throws Exception {}
}
