package io.paperrun.campaign;

import java.util.Locale;

public enum FlowTrigger {
    STANDARD,
    FIRST_PURCHASE,
    BFCM;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static FlowTrigger of(String code) {
        return valueOf(code.trim().toUpperCase(Locale.ROOT));
    }
}
