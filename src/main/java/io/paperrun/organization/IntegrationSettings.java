package io.paperrun.organization;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One provider's settings for an organization, as its apply file declares them ({@code integrations.shopify}):
 * text values by their apply-file names, secrets as {@code ${ENV_VAR}} references only.
 */
public record IntegrationSettings(String provider, Map<String, String> values) {

    public IntegrationSettings {
        TreeMap<String, String> copy = new TreeMap<>();
        values.forEach((name, value) -> {
            if (value != null) {
                copy.put(name, value);
            }
        });
        values = Collections.unmodifiableMap(copy);
    }

    /** A provider with no settings (csv). */
    public static IntegrationSettings none(String provider) {
        return new IntegrationSettings(provider, Map.of());
    }

    public Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name)).filter(v -> !v.isBlank());
    }

    /** The value {@code name}; refused, naming the setting, when the apply file gave none. */
    public String required(String name) {
        return value(name)
                .orElseThrow(() -> new IllegalStateException(
                        "integrations." + provider + "." + name + " is not set in the organization's apply file"));
    }

    /** The {@code base_url} that replaces the provider's documented scheme and host, else {@code documented}. */
    public String baseUrl(String documented) {
        String url = value("base_url").orElse(documented);
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
