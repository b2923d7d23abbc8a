package io.paperrun.proofing;

import java.security.SecureRandom;
import java.util.Random;

/**
 * Generates unique discount codes: the campaign's prefix and {@code length} characters drawn with a
 * {@link SecureRandom} from an alphabet without look-alikes (no 0, O, 1, I), so that a code read off a postcard is
 * typed right. Uniqueness is the caller's: it checks the codes against those already given. Thread-safe.
 */
public final class UniqueCodeGenerator {

    /** The characters of the random part: upper-case letters and digits, less 0, O, 1 and I. */
    public static final String ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

    private final String prefix;
    private final int length;
    private final Random random;

    public UniqueCodeGenerator(String prefix, int length) {
        this(prefix, length, new SecureRandom());
    }

    UniqueCodeGenerator(String prefix, int length, Random random) {
        if (length < 1) {
            throw new IllegalArgumentException("a unique code needs at least one random character");
        }
        this.prefix = prefix == null ? "" : prefix;
        this.length = length;
        this.random = random;
    }

    /** A new code: the prefix, then the random part. */
    public String next() {
        StringBuilder code = new StringBuilder(prefix.length() + length).append(prefix);
        for (int i = 0; i < length; i++) {
            code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }
}
