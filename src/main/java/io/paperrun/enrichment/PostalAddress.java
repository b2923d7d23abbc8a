package io.paperrun.enrichment;

/**
 * A recipient's postal address as its columns hold it: two lines, city, region (a US state), zip and country
 * (ISO 3166-1 alpha-2; empty or null means US). Any part may be missing.
 */
public record PostalAddress(String address1, String address2, String city, String region, String zip, String country) {

    /** Whether the address is in the US: its country is US, or it names none. */
    public boolean isUs() {
        return country == null || country.isBlank() || country.trim().equalsIgnoreCase("US");
    }
}
