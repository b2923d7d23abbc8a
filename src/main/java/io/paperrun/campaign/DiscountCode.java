package io.paperrun.campaign;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The one form discount codes are compared in ("trimmed and case-insensitive"): trimmed, upper case in the root
 * locale. Orders', recipients' and campaigns' codes all take it, computed here, never by the database.
 */
public final class DiscountCode {

    private DiscountCode() {}

    public static String upper(String code) {
        return code.trim().toUpperCase(Locale.ROOT);
    }

    /** Codes in their {@link #upper} form, without empty ones or repeats. */
    public static List<String> upper(Collection<String> codes) {
        return codes.stream()
                .map(DiscountCode::upper)
                .filter(c -> !c.isEmpty())
                .distinct()
                .toList();
    }
}
