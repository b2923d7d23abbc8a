package io.paperrun.recipient;

import io.paperrun.batch.Page;
import java.time.Instant;

/**
 * Where a campaign's recipients come from: pages of the audience's members who joined since a checkpoint, each
 * page resumable from its cursor. A record the source cannot read is a rejected line on its page.
 */
public interface AudienceSource extends AutoCloseable {

    /** The provider: csv, klaviyo. */
    String provider();

    /** Where the recipients are read from, as rejected rows name it (a file path, a provider). */
    String location();

    /** The page of recipients at {@code cursor} (null: the first) among those since {@code since} (null: all). */
    Page<IncomingRecipient> fetch(Instant since, String cursor) throws Exception;

    @Override
    default void close() throws Exception {}
}
