package io.paperrun.order;

import io.paperrun.batch.ImportLine;
import io.paperrun.batch.Partitions;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

import java.time.Instant;

/**
 * Where an organization's orders come from. The order-sync job asks a source
 * for the orders since its checkpoint and stores and matches what it gets;
 * a source rejects what it cannot read, line by line, rather than stopping.
 */
public interface OrderSource {

    /** The provider name stored with each order: csv, shopify, klaviyo, ometria. */
    String provider();

    /** Where the orders are read from, as rejected rows name it (a file path, a provider). */
    String location();

    /**
     * A reader over the orders since the checkpoint. A provider is asked only for orders since
     * {@code since}; a file is read whole, since its rows are an explicit hand-over (older rows are
     * backfill, upserted by order id).
     *
     * @param since the checkpoint, or null for everything
     * @param slice the part of the orders to read, by order id, when order-sync runs in partitions: every
     *              order is in exactly one slice, and all the lines of one order in the same one
     */
    ItemStreamReader<ImportLine<IncomingOrder>> reader(Instant since, Partitions.Slice slice);
}
