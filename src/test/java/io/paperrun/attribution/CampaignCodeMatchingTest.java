package io.paperrun.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.ScenarioTest;
import org.junit.jupiter.api.Test;

/**
 * Stage A step 3: "each code on the order, trimmed and case-insensitive, is compared ... (b) with
 * campaign-level codes": the campaign's code, as written in the apply file, is compared the same way.
 */
class CampaignCodeMatchingTest extends ScenarioTest {

    @Test
    void campaignLevelCodesAreComparedTrimmedAndCaseInsensitivelyOnTheCampaignSide() {
        apply("""
                organizations:
                  - slug: acme
                campaigns:
                  - key: spring
                    organization: acme
                    status: active
                    discount_code: " Spring10 "
                """);
        importRecipients("acme", "campaign,external_id,email,status\nspring,p-1,pending@example.com,pending\n");
        importOrders(
                "acme",
                "order_id,created_at,email,total,discount_codes\n"
                        + "1,2024-01-20T00:00:00Z,someone@example.net,10.00,SPRING10\n"
                        + "2,2024-01-20T00:00:00Z,pending@example.com,10.00,spring10\n"
                        + "3,2024-01-20T00:00:00Z,other@example.net,10.00,SPRING1\n");
        assertThat(attributions())
                .containsExactly(
                        "acme/1 -> acme/spring - discount_code holdout=false dup=0",
                        "acme/2 -> acme/spring p-1 discount_code holdout=false dup=0");
    }

    @Test
    void campaignAndOrderCodesAreComparedInOneFormWhateverTheDatabasesLocale() {
        // Upper case beyond ASCII is the application's (root locale), as for the order's codes: "Große10" is
        // "GROSSE10" on both sides; a tab around the campaign's code is trimmed like the order's whitespace.
        apply("""
                organizations:
                  - slug: acme
                campaigns:
                  - key: herbst
                    organization: acme
                    status: active
                    discount_code: "\\tGroße10"
                  - key: ete
                    organization: acme
                    status: active
                    discount_code: "été10"
                """);
        importOrders(
                "acme",
                "order_id,created_at,email,total,discount_codes\n"
                        + "1,2024-01-20T00:00:00Z,someone@example.net,10.00,große10\n"
                        + "2,2024-01-20T00:00:00Z,other@example.net,10.00,GROSSE10\n"
                        + "3,2024-01-20T00:00:00Z,third@example.net,10.00,ÉTÉ10\n");
        assertThat(attributions())
                .containsExactly(
                        "acme/1 -> acme/herbst - discount_code holdout=false dup=0",
                        "acme/2 -> acme/herbst - discount_code holdout=false dup=0",
                        "acme/3 -> acme/ete - discount_code holdout=false dup=0");
    }
}
