package io.paperrun.integration.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

class SecretReferenceTest {

    @Test
    void aReferenceIsStoredAsItsTextAndResolvedFromTheEnvironment() {
        SecretReference reference = SecretReference.parse("${SHOPIFY_TOKEN}");

        assertThat(reference.variable()).isEqualTo("SHOPIFY_TOKEN");
        assertThat(reference.storable()).isEqualTo("${SHOPIFY_TOKEN}");
        assertThat(SecretReference.parse(reference.storable())).isEqualTo(reference);
        assertThat(reference.resolve(Map.of("SHOPIFY_TOKEN", "shpat_abc")).reveal())
                .isEqualTo("shpat_abc");
    }

    @Test
    void theStorableFormNeverHoldsTheValue() {
        SecretReference reference = SecretReference.parse(" ${LOB_API_KEY} ");
        reference.resolve(Map.of("LOB_API_KEY", "live_PLANTED_9"));

        assertThat(reference.storable()).isEqualTo("${LOB_API_KEY}").doesNotContain("live_PLANTED_9");
        assertThat(reference.toString()).isEqualTo("${LOB_API_KEY}");
    }

    @Test
    void aMissingVariableIsRefusedByName() {
        SecretReference reference = SecretReference.parse("${KLAVIYO_KEY}");

        assertThatThrownBy(() -> reference.resolve(Map.of("OTHER", "pk_PLANTED")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("environment variable KLAVIYO_KEY is not set");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void anEmptyVariableIsRefusedByName(String value) {
        SecretReference reference = SecretReference.parse("${KLAVIYO_KEY}");

        assertThatThrownBy(() -> reference.resolve(Map.of("KLAVIYO_KEY", value)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("environment variable KLAVIYO_KEY is empty");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "sk_live_PLANTED_123",
                "$SHOPIFY_TOKEN",
                "${}",
                "${SHOPIFY TOKEN}",
                "prefix ${SHOPIFY_TOKEN}",
                "${A}${B}"
            })
    void textThatIsNotOneReferenceIsRefusedWithoutRepeatingIt(String text) {
        assertThatThrownBy(() -> SecretReference.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reference to an environment variable")
                .message()
                .doesNotContain(text.strip());
    }

    @Test
    void nothingIsNotAReference() {
        assertThatThrownBy(() -> SecretReference.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSecretShowsAsRedactedInTextAndJson() {
        Secret secret = Secret.of("sk_live_PLANTED_123");
        record Settings(String account, Secret key) {}

        assertThat(secret.toString()).isEqualTo("[redacted]");
        assertThat(String.valueOf(new Settings("acme", secret))).doesNotContain("PLANTED");
        assertThat(new JsonMapper().writeValueAsString(new Settings("acme", secret)))
                .isEqualTo("{\"account\":\"acme\",\"key\":\"[redacted]\"}");
    }
}
