package io.paperrun.organization;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A merchant: its slug, name, email domain, whether its orders are synced, its order blacklist, the provider its
 * orders come from ({@code order_source}), its providers' settings, by provider, and its frequency cap
 * ({@code suppression.min_days_between_mailings}; null: none).
 */
public record Organization(
        long id,
        String slug,
        String name,
        String emailDomain,
        boolean syncOrders,
        List<String> blacklistCodeSubstrings,
        String orderSource,
        Map<String, IntegrationSettings> integrations,
        Integer minDaysBetweenMailings) {

    /** Where orders come from when an organization names no source. */
    public static final String DEFAULT_ORDER_SOURCE = "csv";

    public Organization {
        orderSource = orderSource == null ? DEFAULT_ORDER_SOURCE : orderSource;
        integrations = Map.copyOf(integrations);
    }

    /** An organization whose orders come from CSV files, with no integration. */
    public Organization(
            long id,
            String slug,
            String name,
            String emailDomain,
            boolean syncOrders,
            List<String> blacklistCodeSubstrings) {
        this(id, slug, name, emailDomain, syncOrders, blacklistCodeSubstrings, DEFAULT_ORDER_SOURCE, Map.of(), null);
    }

    /** The settings of {@code provider}, empty settings when the apply file gives none. */
    public IntegrationSettings integration(String provider) {
        return Optional.ofNullable(integrations.get(provider)).orElseGet(() -> IntegrationSettings.none(provider));
    }
}
