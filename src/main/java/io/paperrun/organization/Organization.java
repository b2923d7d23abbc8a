package io.paperrun.organization;

import java.util.List;

/** A merchant: its slug, name, email domain, whether its orders are synced, and its order blacklist. */
public record Organization(
        long id,
        String slug,
        String name,
        String emailDomain,
        boolean syncOrders,
        List<String> blacklistCodeSubstrings) {}
