package io.paperrun.enrichment;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The key on which a shipping address matches a mailing address:
 * {@code address1 + address2 + zip} after normalisation (lowercase, common street
 * words abbreviated word by word, {@code . , # -} and whitespace removed, a US ZIP
 * cut to five digits). No key when address1 or zip is empty. The same normaliser
 * gives an address its form for mailing ({@link #normalised}), whose key is the same.
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

    /** A US ZIP as a mailing address writes it: five digits, or ZIP+4 with a hyphen, a space or nothing between. */
    private static final Pattern US_ZIP = Pattern.compile("\\d{5}([- ]?\\d{4})?");

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

    /** The key of {@code address}. */
    public static String of(PostalAddress address) {
        return of(address.address1(), address.address2(), address.zip(), address.country());
    }

    /**
     * {@code address} as it is mailed: in each part, words separated by one space; in the lines, the common street
     * words abbreviated as the key abbreviates them, in the word's case ({@code Street} to {@code St}); a short
     * region and the country in upper case, no country meaning US; a US ZIP as {@code 12345} or
     * {@code 12345-6789}, another postcode in upper case. Empty parts become null. Its key is {@code address}'s.
     */
    public static PostalAddress normalised(PostalAddress address) {
        String country = spaced(address.country());
        country = country == null ? "US" : country.toUpperCase(Locale.ROOT);
        String region = spaced(address.region());
        if (region != null && region.length() <= 3) {
            region = region.toUpperCase(Locale.ROOT);
        }
        return new PostalAddress(
                mailingLine(address.address1()),
                mailingLine(address.address2()),
                spaced(address.city()),
                region,
                mailingZip(address.zip(), address.isUs()),
                country);
    }

    /** The line's words separated by one space, each abbreviated when the key abbreviates it; null when none. */
    static String mailingLine(String line) {
        String spaced = spaced(line);
        if (spaced == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(spaced.length());
        for (String word : spaced.split(" ")) {
            String abbreviation = ABBREVIATIONS.get(stripPunctuation(word.toLowerCase(Locale.ROOT)));
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append(abbreviation == null ? word : inCaseOf(word, abbreviation));
        }
        return out.toString();
    }

    /** {@code abbreviation} in {@code word}'s case: STREET to ST, Street to St, street to st. */
    private static String inCaseOf(String word, String abbreviation) {
        if (word.equals(word.toUpperCase(Locale.ROOT))) {
            return abbreviation.toUpperCase(Locale.ROOT);
        }
        if (Character.isUpperCase(word.charAt(0))) {
            return Character.toUpperCase(abbreviation.charAt(0)) + abbreviation.substring(1);
        }
        return abbreviation;
    }

    /** A US ZIP of 5 or 9 digits as {@code 12345} or {@code 12345-6789}; any other as written, in upper case. */
    private static String mailingZip(String zip, boolean us) {
        String spaced = spaced(zip);
        if (spaced == null) {
            return null;
        }
        if (us && US_ZIP.matcher(spaced).matches()) {
            String digits = spaced.replaceAll("[^0-9]", "");
            return digits.length() == 5 ? digits : digits.substring(0, 5) + "-" + digits.substring(5);
        }
        return spaced.toUpperCase(Locale.ROOT);
    }

    /** {@code text} trimmed, its runs of white space made one space; null when nothing is left. */
    private static String spaced(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isWhiteSpace(c)) {
                space = true;
            } else {
                if (space && !out.isEmpty()) {
                    out.append(' ');
                }
                space = false;
                out.append(c);
            }
        }
        return out.isEmpty() ? null : out.toString();
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
