package io.paperrun.enrichment;

/** A postal address an appender found for a person, with where it lies (either coordinate possibly null). */
public record AppendedAddress(PostalAddress address, Double latitude, Double longitude) {}
