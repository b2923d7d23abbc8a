package io.paperrun.recipient;

import io.paperrun.batch.Page;
import java.util.List;
import java.util.Map;

/**
 * Where an organization's do-not-mail entries come from: pages of rows, each row its entries (an email, an email's
 * SHA-256, an address key), resumable from its cursor. A row the source cannot read is a rejected line.
 */
public interface DoNotMailSource extends AutoCloseable {

    /** Where the rows are read from, as rejected rows name it (a file path). */
    String location();

    /** The page of rows at {@code cursor} (null: the first). */
    Page<List<DoNotMailList.Entry>> fetch(String cursor) throws Exception;

    @Override
    default void close() throws Exception {}

    /** Opens the source a job's parameters name (a csv source's {@code file}); an integration implements it. */
    interface Factory {
        DoNotMailSource open(Map<String, String> parameters);
    }
}
