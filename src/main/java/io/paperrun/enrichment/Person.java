package io.paperrun.enrichment;

/** Whom an address is looked up for: an email (trimmed, lower case) and a name, either name part possibly null. */
public record Person(String email, String firstName, String lastName) {}
