package io.paperrun.proofing;

import io.paperrun.batch.Page;
import java.util.Map;

/**
 * Where a campaign's unique discount codes come from ({@code import codes}): pages of codes, one a row, trimmed,
 * resumable from their cursor. A row the source cannot read is a rejected line.
 */
public interface DiscountCodeSource extends AutoCloseable {

    /** Where the rows are read from, as rejected rows name it (a file path). */
    String location();

    /** The page of codes at {@code cursor} (null: the first). */
    Page<String> fetch(String cursor) throws Exception;

    @Override
    default void close() throws Exception {}

    /** Opens the source a job's parameters name (a csv source's {@code file}); an integration implements it. */
    interface Factory {
        DiscountCodeSource open(Map<String, String> parameters);
    }
}
