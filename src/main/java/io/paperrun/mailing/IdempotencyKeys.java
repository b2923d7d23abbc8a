package io.paperrun.mailing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A piece's idempotency key: the same for the same recipient of the same campaign of the same organization, every
 * time it is computed, and distinct between recipients; 44 characters, within every printer's bounds.
 */
public final class IdempotencyKeys {

    private IdempotencyKeys() {}

    public static String of(String organization, String campaign, String naturalKey, long recipientId) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] hash = sha.digest((organization + "\n" + campaign + "\n" + naturalKey + "\n" + recipientId)
                    .getBytes(StandardCharsets.UTF_8));
            return "prun-" + HexFormat.of().formatHex(hash).substring(0, 39);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
