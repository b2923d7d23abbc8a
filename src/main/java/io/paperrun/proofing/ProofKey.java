package io.paperrun.proofing;

import java.util.regex.Pattern;

/**
 * Whose proof it is: the organization's slug, the campaign's key and the recipient's id. It names the proof's files
 * and its preview's id at a provider, the same for every rendering of the recipient.
 */
public record ProofKey(String organization, String campaign, long recipientId) {

    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");

    /** {@code acme/winback-2024/123}: the proof's name, without an extension. */
    public String path() {
        return segment(organization) + "/" + segment(campaign) + "/" + recipientId;
    }

    /** A slug or key as one path segment: characters other than letters, digits, {@code . _ -} become {@code _}. */
    static String segment(String name) {
        String safe = UNSAFE.matcher(name).replaceAll("_");
        return safe.isEmpty() || safe.chars().allMatch(c -> c == '.') ? "_" + safe : safe;
    }
}
