package io.paperrun.campaign;

import io.paperrun.organization.IntegrationSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * An organization's {@code integrations:} as the apply file declares them, one optional entry per provider.
 * Secrets must be {@code ${ENV_VAR}} references; a problem with one never repeats what was written.
 */
public record ApplyIntegrations(
        @Valid Shopify shopify,
        @Valid KeyOnly klaviyo,
        @Valid KeyOnly ometria,
        @Valid Faraday faraday,
        @Valid Lob lob,
        @Valid Stannp stannp,
        @Valid KeyOnly intelliprint,
        @Valid CloudflareImages cloudflareImages) {

    /** A reference to an environment variable, {@code ${NAME}}. */
    static final String REFERENCE = "\\$\\{[A-Za-z_][A-Za-z0-9_]*}";

    static final String NOT_A_REFERENCE =
            "must be a reference to an environment variable, such as ${SHOPIFY_TOKEN}, not the secret itself";

    /** Scheme, host and port, as interface.md's {@code base_url} is. */
    static final String BASE_URL = "https?://[^/?#\\s@]+/?";

    static final String NOT_A_BASE_URL = "{value} must be a scheme, host and port, such as http://127.0.0.1:8080";

    /** Where orders come from: interface.md's {@code order_source}. */
    public enum OrderSource {
        CSV,
        SHOPIFY,
        KLAVIYO,
        OMETRIA;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public record Shopify(
            @NotNull(message = "required") String shop,

            @NotNull(message = "required") @Pattern(regexp = REFERENCE, message = NOT_A_REFERENCE)
            String accessToken,

            @Pattern(regexp = "\\d{4}-\\d{2}", message = "{value} is not a Shopify API version (YYYY-MM)")
            String apiVersion,

            @Pattern(regexp = BASE_URL, message = NOT_A_BASE_URL)
            String baseUrl) {}

    /** A provider reached with one API key: Klaviyo, Ometria, IntelliPrint. */
    public record KeyOnly(
            @NotNull(message = "required") @Pattern(regexp = REFERENCE, message = NOT_A_REFERENCE)
            String apiKey,

            @Pattern(regexp = BASE_URL, message = NOT_A_BASE_URL)
            String baseUrl) {}

    public record Faraday(
            @NotNull(message = "required") @Pattern(regexp = REFERENCE, message = NOT_A_REFERENCE)
            String apiKey,

            String targetId,

            @Pattern(regexp = BASE_URL, message = NOT_A_BASE_URL)
            String baseUrl) {}

    public enum Strictness {
        STRICT,
        NORMAL,
        RELAXED
    }

    public record Lob(
            @NotNull(message = "required") @Pattern(regexp = REFERENCE, message = NOT_A_REFERENCE)
            String apiKey,

            Boolean verifyAddresses,
            Strictness strictness,

            @Pattern(regexp = BASE_URL, message = NOT_A_BASE_URL)
            String baseUrl) {}

    public enum Region {
        UK,
        US
    }

    public record Stannp(
            @NotNull(message = "required") @Pattern(regexp = REFERENCE, message = NOT_A_REFERENCE)
            String apiKey,

            Region region,

            @Pattern(regexp = BASE_URL, message = NOT_A_BASE_URL)
            String baseUrl) {}

    public record CloudflareImages(
            String accountId,

            @NotNull(message = "required") @Pattern(regexp = REFERENCE, message = NOT_A_REFERENCE)
            String apiToken,

            @Pattern(regexp = BASE_URL, message = NOT_A_BASE_URL)
            String baseUrl) {}

    /** Whether the provider {@code code} (shopify, klaviyo, ...) is declared. */
    public boolean declares(String code) {
        return settings().containsKey(code);
    }

    /** The declared providers' settings by provider, as they are stored: text by apply-file name. */
    public Map<String, IntegrationSettings> settings() {
        Map<String, Record> declared = new LinkedHashMap<>();
        declared.put("shopify", shopify);
        declared.put("klaviyo", klaviyo);
        declared.put("ometria", ometria);
        declared.put("faraday", faraday);
        declared.put("lob", lob);
        declared.put("stannp", stannp);
        declared.put("intelliprint", intelliprint);
        declared.put("cloudflare_images", cloudflareImages);
        Map<String, IntegrationSettings> out = new TreeMap<>();
        declared.forEach((provider, spec) -> {
            if (spec != null) {
                out.put(provider, new IntegrationSettings(provider, YamlBinding.asText(spec)));
            }
        });
        return out;
    }
}
