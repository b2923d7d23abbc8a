package io.paperrun.integration.csv;

import io.paperrun.batch.Excerpt;
import io.paperrun.batch.Page;
import io.paperrun.batch.Partitions;
import io.paperrun.batch.RejectedRowException;
import io.paperrun.proofing.DiscountCodeSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Unique discount codes from a CSV file ({@code import codes}): one a row, in the column {@code code}. A blank code,
 * one longer than {@link #MAX_LENGTH} characters, or one with a space or a control character in it, is rejected.
 */
public class CsvDiscountCodeSource extends CsvSource<String> implements DiscountCodeSource {

    public static final Set<String> COLUMNS = Set.of("code");

    /** The longest code, in characters: a code is printed on a postcard and typed at a checkout. */
    public static final int MAX_LENGTH = 64;

    /** The rows of the file that the {@code file} parameter names. */
    public CsvDiscountCodeSource(Map<String, String> parameters) {
        super(parameters, "codeCsvReader", "code", CsvDiscountCodeSource::map, Partitions.Slice.ALL, null);
    }

    public static CsvFile.Header checkHeader(Path file) throws IOException {
        return CsvFile.checkHeader(file, COLUMNS, COLUMNS, Set.of());
    }

    @Override
    public Page<String> fetch(String cursor) throws IOException {
        return fetch(null, cursor);
    }

    /** A row's code, trimmed. */
    static String map(CsvRow row) throws RejectedRowException {
        String code = row.text("code");
        if (code == null) {
            throw new RejectedRowException("code is blank");
        }
        if (code.length() > MAX_LENGTH) {
            throw new RejectedRowException("code is longer than " + MAX_LENGTH + " characters (" + code.length() + ")");
        }
        if (code.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new RejectedRowException("code " + Excerpt.quote(code) + " has a space or a control character in it");
        }
        return code;
    }
}
