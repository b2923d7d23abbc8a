package io.paperrun.attribution;

import java.util.Locale;

public enum AttributionMethod {
    EMAIL,
    PHYSICAL_ADDRESS,
    DISCOUNT_CODE;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AttributionMethod of(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
