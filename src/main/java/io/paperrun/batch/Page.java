package io.paperrun.batch;

import java.util.List;

/**
 * One page of records from a source: each a value or a rejection, and the cursor of the next page (null after
 * the last).
 */
public record Page<T>(List<ImportLine<T>> lines, String next) {

    public boolean isLast() {
        return next == null;
    }
}
