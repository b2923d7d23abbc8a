package io.paperrun.integration.klaviyo;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;

/**
 * Countries as Klaviyo profiles hold them, by name ({@code United States}), as ISO 3166-1 alpha-2 codes: English
 * names (Java's, plus common other forms), alpha-2 and alpha-3 codes are known; other text is kept as given.
 */
final class Countries {

    /** Names in use that differ from Java's English display names. */
    private static final Map<String, String> OTHER_NAMES = Map.ofEntries(
            Map.entry("united states of america", "US"),
            Map.entry("u.s.", "US"),
            Map.entry("u.s.a.", "US"),
            Map.entry("uk", "GB"),
            Map.entry("great britain", "GB"),
            Map.entry("england", "GB"),
            Map.entry("scotland", "GB"),
            Map.entry("wales", "GB"),
            Map.entry("northern ireland", "GB"),
            Map.entry("the netherlands", "NL"),
            Map.entry("holland", "NL"),
            Map.entry("czech republic", "CZ"),
            Map.entry("czechia", "CZ"),
            Map.entry("turkey", "TR"),
            Map.entry("turkiye", "TR"),
            Map.entry("russian federation", "RU"),
            Map.entry("korea, republic of", "KR"),
            Map.entry("republic of korea", "KR"),
            Map.entry("viet nam", "VN"),
            Map.entry("ivory coast", "CI"),
            Map.entry("hong kong", "HK"),
            Map.entry("macau", "MO"),
            Map.entry("macao", "MO"),
            Map.entry("macedonia", "MK"),
            Map.entry("swaziland", "SZ"),
            Map.entry("burma", "MM"),
            Map.entry("cape verde", "CV"),
            Map.entry("east timor", "TL"));

    private static final Map<String, String> CODES = codes();

    private Countries() {}

    /** The alpha-2 code of {@code country}; the text trimmed when it is no country known; null when blank. */
    static String isoCode(String country) {
        if (country == null || country.isBlank()) {
            return null;
        }
        String trimmed = country.trim();
        return CODES.getOrDefault(key(trimmed), trimmed);
    }

    private static Map<String, String> codes() {
        Map<String, String> codes = new HashMap<>();
        for (String code : Locale.getISOCountries()) {
            Locale region = new Locale.Builder().setRegion(code).build();
            codes.put(key(region.getDisplayCountry(Locale.ENGLISH)), code);
            try {
                codes.put(key(region.getISO3Country()), code);
            } catch (MissingResourceException noAlpha3) {
                // the alpha-2 code and the name still map
            }
        }
        OTHER_NAMES.forEach((name, code) -> codes.put(key(name), code));
        for (String code : Locale.getISOCountries()) {
            codes.put(key(code), code);
        }
        return Map.copyOf(codes);
    }

    /** The form names are compared in: lowercase, without accents, one kind of apostrophe, single spaces. */
    private static String key(String name) {
        String bare = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return bare.toLowerCase(Locale.ROOT)
                .replace('\u2019', '\'')
                .replace("&", "and")
                .replaceAll("\\s+", " ")
                .trim();
    }
}
