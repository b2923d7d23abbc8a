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
            Map.entry("street", "st"),
            Map.entry("avenue", "ave"),
            Map.entry("road", "rd"),
            Map.entry("drive", "dr"),
            Map.entry("boulevard", "blvd"),
            Map.entry("lane", "ln"),
            Map.entry("court", "ct"),
            Map.entry("place", "pl"),
            Map.entry("apartment", "apt"),
            Map.entry("suite", "ste"),
            Map.entry("north", "n"),
            Map.entry("south", "s"),
            Map.entry("east", "e"),
            Map.entry("west", "w"));

    private AddressKey() {}

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

    /**
     * The line lowercased, split into words at white space, each word without its punctuation and
     * abbreviated, the words joined. One pass over the characters (this runs for every order and
     * recipient imported).
     */
    static String normaliseLine(String line) {
        if (line == null) {
            return "";
        }
        String lower = line.toLowerCase(Locale.ROOT);
        StringBuilder key = new StringBuilder(lower.length());
        int wordStart = 0;
        for (int i = 0; i <= lower.length(); i++) {
            if (i == lower.length() || isWhiteSpace(lower.charAt(i))) {
                if (i > wordStart) {
                    int from = key.length();
                    for (int j = wordStart; j < i; j++) {
                        char c = lower.charAt(j);
                        if (!isPunctuation(c)) {
                            key.append(c);
                        }
                    }
                    String abbreviation = ABBREVIATIONS.get(key.substring(from));
                    if (abbreviation != null) {
                        key.setLength(from);
                        key.append(abbreviation);
                    }
                }
                wordStart = i + 1;
            }
        }
        return key.toString();
    }

    /** Unicode White_Space, as {@code (?U)\s} matches it: space separators, tab to carriage return, NEL. */
    private static boolean isWhiteSpace(char c) {
        return (c >= '\t' && c <= '\r') || c == ' ' || c == (char) 0x85 || (c > 0x7f && Character.isSpaceChar(c));
    }

    /** What a key leaves out of a word: {@code . , # -} and any space character. */
    private static boolean isPunctuation(char c) {
        return c == '.' || c == ',' || c == '#' || c == '-' || Character.isWhitespace(c) || Character.isSpaceChar(c);
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
            if (!isPunctuation(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
