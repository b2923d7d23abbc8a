package io.paperrun.enrichment;

import java.util.Locale;

/** How much of a verifier's verdict an organization accepts ({@code integrations.lob.strictness}). */
public enum Strictness {
    STRICT,
    NORMAL,
    RELAXED;

    /** The strictness a setting names ({@code strict}, {@code normal}, {@code relaxed}); none means normal. */
    public static Strictness of(String setting) {
        if (setting == null || setting.isBlank()) {
            return NORMAL;
        }
        try {
            return valueOf(setting.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            throw new IllegalArgumentException(
                    "strictness '" + setting + "' is none of strict, normal, relaxed", unknown);
        }
    }
}
