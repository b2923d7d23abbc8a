package io.paperrun.integration.klaviyo;

import io.paperrun.batch.Excerpt;
import io.paperrun.batch.RejectedRowException;
import io.paperrun.batch.StorableValues;
import tools.jackson.databind.JsonNode;

/**
 * The text of a value in a Klaviyo document as it is stored: trimmed, at most {@link #MAX_LENGTH} characters (as
 * from a file: some values are indexed), without NUL; a value that cannot be stored rejects its record.
 */
final class JsonText {

    static final int MAX_LENGTH = 255;

    private JsonText() {}

    /**
     * The trimmed text of a string, number or boolean; null when absent, null or blank. An object or a list, or
     * a value the database cannot store (longer than {@link #MAX_LENGTH}, a NUL character), rejects the record.
     */
    static String of(JsonNode node, String what) throws RejectedRowException {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isString() && !node.isNumber() && !node.isBoolean()) {
            throw new RejectedRowException(what + " is not text but " + Excerpt.quote(node.toString()));
        }
        String raw = node.isString() ? node.stringValue() : node.isNumber() ? plain(node) : node.asString();
        if (!StorableValues.text(raw)) {
            throw new RejectedRowException(
                    what + " contains a NUL character (byte 0), which the database cannot store");
        }
        String value = raw.trim();
        if (value.length() > MAX_LENGTH) {
            throw new RejectedRowException(
                    what + " is longer than " + MAX_LENGTH + " characters (" + value.length() + ")");
        }
        return value.isEmpty() ? null : value;
    }

    /** A number as it is written, without an exponent: an order id of {@code 5001} stays {@code 5001}. */
    private static String plain(JsonNode number) {
        return number.isIntegralNumber()
                ? number.bigIntegerValue().toString()
                : number.decimalValue().toPlainString();
    }
}
