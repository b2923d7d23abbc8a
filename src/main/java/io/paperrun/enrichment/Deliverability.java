package io.paperrun.enrichment;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a US verification says of an address, in Lob's words (providers.md §1, {@code deliverability}). */
public enum Deliverability {
    DELIVERABLE,
    DELIVERABLE_UNNECESSARY_UNIT,
    DELIVERABLE_INCORRECT_UNIT,
    DELIVERABLE_MISSING_UNIT,
    UNDELIVERABLE;

    /** As the verifier writes it and the recipient stores it: {@code deliverable_missing_unit}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The value {@code code} names; empty for a value this version does not know. */
    public static Optional<Deliverability> of(String code) {
        return Arrays.stream(values()).filter(d -> d.code().equals(code)).findFirst();
    }
}
