package io.paperrun.recipient;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * pipeline-rules.md §1.3: a recipient is held out iff the first 8 bytes of {@code sha256(campaign key + ":" + id)},
 * read as a big-endian unsigned integer, mod 10,000 are below {@code percentage × 100}, where {@code id} is the
 * email (trimmed, lower case), else the external id; while the campaign has fewer holdouts than its maximum.
 */
public final class HoldoutAssignment {

    private HoldoutAssignment() {}

    /** The identity the rule hashes: the email, trimmed and lower case, else the external id; null: none. */
    public static String identity(String email, String externalId) {
        if (email != null && !email.isBlank()) {
            return email.trim().toLowerCase(Locale.ROOT);
        }
        return externalId == null || externalId.isBlank() ? null : externalId;
    }

    /** {@code h mod 10,000}: the recipient's draw, from 0 to 9,999. */
    public static int draw(String campaignKey, String identity) {
        byte[] digest = sha256((campaignKey + ":" + identity).getBytes(StandardCharsets.UTF_8));
        long h = ByteBuffer.wrap(digest, 0, 8).getLong();
        return (int) Long.remainderUnsigned(h, 10_000);
    }

    /** Whether a draw falls in the holdout share {@code percentage} (0 to 100, two decimals at most). */
    public static boolean inShare(int draw, BigDecimal percentage) {
        return percentage != null
                && BigDecimal.valueOf(draw).compareTo(percentage.multiply(BigDecimal.valueOf(100))) < 0;
    }

    /**
     * Whether the recipient is held out: in the share, and the campaign holding fewer than {@code maximum}
     * (null: no maximum) holdouts already.
     */
    public static boolean heldOut(
            String campaignKey, String identity, BigDecimal percentage, Integer maximum, long holdoutsSoFar) {
        return identity != null
                && (maximum == null || holdoutsSoFar < maximum)
                && inShare(draw(campaignKey, identity), percentage);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
