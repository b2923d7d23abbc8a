package io.paperrun.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.ScenarioTest;
import org.junit.jupiter.api.Test;

/**
 * Resolutions, row "org-specific blacklist": "per-organization configuration", "no tenant logic in code". Two
 * organizations, the same recipients and the same orders, through the real commands: only the organization whose
 * apply file blacklists "wholesale" drops the attribution of an order whose code contains it; a third
 * organization's blacklist of another word drops nothing here.
 */
class OrganizationBlacklistTest extends ScenarioTest {

    @Test
    void onlyTheOrganizationWhoseSettingsBlacklistASubstringDropsItsOrdersAttributions() {
        apply("""
                organizations:
                  - slug: acme
                    order_blacklist:
                      discount_code_contains: [wholesale]
                  - slug: globex
                  - slug: initech
                    order_blacklist:
                      discount_code_contains: [staff]
                campaigns:
                  - key: spring
                    organization: acme
                    status: active
                  - key: spring
                    organization: globex
                    status: active
                  - key: spring
                    organization: initech
                    status: active
                """);
        String recipients = "campaign,external_id,email,status,created_at,sent_at\n"
                + "spring,s-1,ann@example.com,sent,2024-01-01T00:00:00Z,2024-01-02T00:00:00Z\n";
        String orders = "order_id,created_at,email,total,discount_codes\n"
                + "1,2024-01-20T00:00:00Z,ann@example.com,10.00,SPRING-Wholesale-5\n";
        for (String org : new String[] {"acme", "globex", "initech"}) {
            importRecipients(org, recipients);
            importOrders(org, orders);
        }
        assertThat(attributions())
                .containsExactly(
                        "globex/1 -> globex/spring s-1 email holdout=false dup=0",
                        "initech/1 -> initech/spring s-1 email holdout=false dup=0");
        assertThat(jdbc.sql("""
                SELECT g.slug || ' ' || o.blacklisted FROM customer_order o JOIN organization g ON g.id = o.organization_id
                ORDER BY g.slug
                """).query(String.class).list())
                .containsExactly("acme true", "globex false", "initech false");
    }
}
