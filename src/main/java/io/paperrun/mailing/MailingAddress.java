package io.paperrun.mailing;

/** A postal address as printed on a postcard; {@code country} is ISO 3166-1 alpha-2, {@code region} a state code. */
public record MailingAddress(
        String name, String address1, String address2, String city, String region, String zip, String country) {}
