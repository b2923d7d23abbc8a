package io.paperrun.enrichment;

import java.util.Locale;
import java.util.Map;

/**
 * The key on which a shipping address matches a mailing address:
 * {@code address1 + address2 + zip} after normalisation (lowercase, common street
 * words abbreviated word by word, {@code . , # -} and whitespace removed, a US ZIP
 * cut to five digits). No key when address1 or zip is empty.
 */
public final class AddressKey {

    private static final Map<String, String> ABBREVIATIONS = Map.ofEntries(
            Map.entry("street", "st"), Map.entry("avenue", "ave"), Map.entry("road", "rd"),
            Map.entry("drive", "dr"), Map.entry("boulevard", "blvd"), Map.entry("lane", "ln"),
            Map.entry("court", "ct"), Map.entry("place", "pl"), Map.entry("apartment", "apt"),
            Map.entry("suite", "ste"), Map.entry("north", "n"), Map.entry("south", "s"),
            Map.entry("east", "e"), Map.entry("west", "w"));

    private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("(?U)\\s+");

    private AddressKey() {
    }

    /**
     * @param country ISO 3166-1 alpha-2; empty or null means US
     * @return the key, or null when there is none
     */
    public static String of(String address1, String address2, String zip, String country) {
        String line1 = normaliseLine(address1);
        String postal = normaliseZip(zip, country);
        if (line1.isEmpty() || postal.isEmpty()) {
            return null;
        }
        return line1 + normaliseLine(address2) + postal;
    }

    static String normaliseLine(String line) {
        if (line == null) {
            return "";
        }
        StringBuilder key = new StringBuilder(line.length());
        for (String word : WHITESPACE.split(line.toLowerCase(Locale.ROOT))) {
            String bare = stripPunctuation(word);
            key.append(ABBREVIATIONS.getOrDefault(bare, bare));
        }
        return key.toString();
    }

    static String normaliseZip(String zip, String country) {
        if (zip == null) {
            return "";
        }
        String bare = stripPunctuation(zip.toLowerCase(Locale.ROOT));
        boolean us = country == null || country.isBlank() || country.trim().equalsIgnoreCase("US");
        if (us && bare.length() > 5) {
            return bare.substring(0, 5);
        }
        return bare;
    }

    private static String stripPunctuation(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '.' && c != ',' && c != '#' && c != '-' && !Character.isWhitespace(c)
                    && !Character.isSpaceChar(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
