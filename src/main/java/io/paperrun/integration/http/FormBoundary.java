package io.paperrun.integration.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A multipart body's boundary made from a key: the same request built again is the same bytes, as a printer that
 * matches replays on an identical body (Stannp) needs.
 */
public final class FormBoundary {

    private FormBoundary() {}

    public static String of(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "paperrun-" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException missing) {
            throw new IllegalStateException(missing);
        }
    }
}
