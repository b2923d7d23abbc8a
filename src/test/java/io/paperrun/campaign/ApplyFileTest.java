package io.paperrun.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.paperrun.organization.Organization;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The apply file bound to its records: values as stored, and every problem named by its field (no database). */
class ApplyFileTest {

    @TempDir
    Path dir;

    @Test
    void aValidFileBindsTrimmedAndNormalisedValues() throws IOException {
        ApplyFile file = ApplyFile.read(write("""
                organizations:
                  - slug: ' acme '
                    name: Acme Co
                    email_domain: ' AcmeCo.COM '
                    sync_orders: true
                    order_blacklist: {discount_code_contains: [' wholesale ']}
                campaigns:
                  - key: bfcm
                    organization: acme
                    status: Active
                    start_date: 2024-11-01
                    end_date: 2024-11-30
                    first_send_date: 2024-11-05T00:00:00.1234567+01:00
                    flow_trigger: BFCM
                    discount_code: '  '
                    holdout: {enabled: true, percentage: 10.50, absolute_maximum: 500}
                    cost_per_piece: '0.8900'
                  - key: plain
                    organization: acme
                """));
        assertThat(file.organizations())
                .extracting(ApplyFile.OrganizationSpec::toOrganization)
                .containsExactly(new Organization(0, "acme", "Acme Co", "acmeco.com", true, List.of("wholesale")));
        assertThat(file.campaign(0, 7))
                .isEqualTo(new Campaign(
                        null,
                        7,
                        "bfcm",
                        null,
                        CampaignStatus.ACTIVE,
                        LocalDate.of(2024, 11, 1),
                        LocalDate.of(2024, 11, 30),
                        Instant.parse("2024-11-04T23:00:00.123456Z"),
                        FlowTrigger.BFCM,
                        null,
                        false,
                        true,
                        new BigDecimal("10.5"),
                        500,
                        new BigDecimal("0.89")));
        assertThat(file.campaign(1, 7))
                .isEqualTo(new Campaign(
                        null,
                        7,
                        "plain",
                        null,
                        CampaignStatus.PENDING,
                        null,
                        null,
                        null,
                        FlowTrigger.STANDARD,
                        null,
                        false,
                        false,
                        null,
                        null,
                        null));
    }

    @Test
    void everyProblemIsListedAtItsFieldWhereverTheUnknownFieldStands() throws IOException {
        List<String> problems = problems("""
                colour: {a: 1}
                organizations:
                  - slug: ''
                  - slug: [x]
                  - name: no slug
                  - slug: ok
                    sync_orders: 'true'
                    order_blacklist: {discount_code_contains: [a, ' '], size: 1}
                  - slug: ok
                  - 5
                campaigns:
                  - key: k
                    organization: ok
                    holdout: {size: [3], enabled: yes}
                    cost_per_piece: -1
                  - key: k
                    organization: ok
                    flow_trigger: bfcm
                    end_date: soon
                    start_date: +20024-01-01
                    holdout: {enabled: true, absolute_maximum: 1.5}
                """);
        assertThat(problems)
                .containsExactlyInAnyOrder(
                        "colour: unknown field (expected one of campaigns, organizations)",
                        "organizations[0].slug: must not be empty",
                        "organizations[1].slug: must be a single value",
                        "organizations[2].slug: required",
                        "organizations[3].sync_orders: must be true or false",
                        "organizations[3].order_blacklist.size: unknown field (expected one of discount_code_contains)",
                        "organizations[3].order_blacklist.discount_code_contains[1]: must be non-empty text",
                        "organizations[4].slug: 'ok' is declared twice",
                        "organizations[5]: must be a mapping",
                        "campaigns[0] (k).holdout.size: unknown field (expected one of absolute_maximum, enabled, percentage)",
                        "campaigns[0] (k).holdout.enabled: must be true or false",
                        "campaigns[0] (k).cost_per_piece: must not be negative",
                        "campaigns[1] (k).end_date: 'soon' is not a date (YYYY-MM-DD)",
                        "campaigns[1] (k).start_date: '+20024-01-01' is outside the years 0001 to 9999",
                        "campaigns[1] (k).holdout.absolute_maximum: must be a whole number from 0 to 2147483647",
                        "campaigns[1].key: 'k' is declared twice for organization 'ok'",
                        "campaigns[1] (k).holdout.percentage: required when the holdout is enabled");
    }

    @Test
    void theDocumentItselfMustBeOneMapping() throws IOException {
        assertThat(problems("# nothing\n")).containsExactly("the file is empty");
        assertThat(problems("- a\n"))
                .containsExactly("the top level must be a mapping with 'organizations' and/or 'campaigns'");
        assertThat(problems("organizations: 5\ncampaigns: {a: 1}\n"))
                .containsExactly("organizations: must be a list", "campaigns: must be a list");
        assertThat(problems("organizations: []\n---\ncampaigns: []\n"))
                .containsExactly("a second YAML document starts at line 3; the file must hold one");
    }

    @Test
    void integrationsAreStoredAsTheyAreWrittenSecretsAsReferences() throws IOException {
        ApplyFile file = ApplyFile.read(write("""
                organizations:
                  - slug: acme
                    sync_orders: true
                    order_source: shopify
                    integrations:
                      shopify: {shop: acme-co, access_token: "${SHOPIFY_TOKEN}", api_version: "2026-07"}
                      klaviyo: {api_key: "${KLAVIYO_KEY}", base_url: "http://127.0.0.1:8080"}
                      lob: {api_key: "${LOB_KEY}", verify_addresses: true, strictness: normal}
                """));
        Organization acme = file.organizations().get(0).toOrganization();
        assertThat(acme.orderSource()).isEqualTo("shopify");
        assertThat(acme.integrations().keySet()).containsExactlyInAnyOrder("klaviyo", "lob", "shopify");
        assertThat(acme.integration("shopify").values())
                .containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
                        "shop", "acme-co", "access_token", "${SHOPIFY_TOKEN}", "api_version", "2026-07"));
        assertThat(acme.integration("klaviyo").baseUrl("https://a.klaviyo.com")).isEqualTo("http://127.0.0.1:8080");
        assertThat(acme.integration("lob").values())
                .containsEntry("verify_addresses", "true")
                .containsEntry("strictness", "normal");
        assertThat(acme.integration("ometria").values()).isEmpty();
    }

    @Test
    void aSecretWrittenInClearIsRefusedWithoutRepeatingIt() throws IOException {
        List<String> problems = problems("""
                organizations:
                  - slug: acme
                    order_source: klaviyo
                    integrations:
                      klaviyo: {api_key: pk_PLANTED_live_123, base_url: "ftp://x/y"}
                      shopify: {access_token: "${OK}", api_version: "July"}
                  - slug: beta
                    order_source: ometria
                """);
        assertThat(problems)
                .containsExactly(
                        "organizations[0].integrations.klaviyo.api_key: must be a reference to an environment variable,"
                                + " such as ${SHOPIFY_TOKEN}, not the secret itself",
                        "organizations[0].integrations.klaviyo.base_url: 'ftp://x/y' must be a scheme, host and port,"
                                + " such as http://127.0.0.1:8080",
                        "organizations[0].integrations.shopify.api_version: 'July' is not a Shopify API version"
                                + " (YYYY-MM)",
                        "organizations[0].integrations.shopify.shop: required",
                        "organizations[1].integrations.ometria: required for order_source ometria");
        assertThat(String.join("\n", problems)).doesNotContain("PLANTED");
    }

    private List<String> problems(String yaml) throws IOException {
        Path file = write(yaml);
        return catchThrowableOfType(ApplyFile.InvalidApplyFileException.class, () -> ApplyFile.read(file))
                .problems();
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("apply.yaml"), yaml);
    }
}
