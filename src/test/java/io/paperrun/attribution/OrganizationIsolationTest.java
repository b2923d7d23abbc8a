package io.paperrun.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.ScenarioTest;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stage A: "Only recipients and campaigns of the order's own organization are ever considered", and
 * attribution-rerun with {@code org=} touches only that organization's orders and attributions.
 * <p>
 * acme and globex have campaigns of the same keys, the same campaign-level code, the same unique recipient
 * code, and recipients with the same email and address. globex's are always the more recent ones (recipients
 * created later, code campaign started later), so that any leak across organizations would make globex's win
 * for an acme order. globex also has recipients, codes and a campaign code that acme does not have at all.
 */
class OrganizationIsolationTest extends ScenarioTest {

    private static final String RECIPIENTS =
            "campaign,external_id,email,address1,city,zip,status,created_at,sent_at," + "discount_code\n";

    private static final String ORDERS =
            "order_id,created_at,email,total,discount_codes,shipping_address1," + "shipping_zip\n";

    /** The same file, imported for each organization. */
    private static final String SAME_ORDERS = ORDERS
            // the email both organizations mailed
            + "1,2024-03-01T10:00:00Z,shared@example.com,10.00,,,\n"
            // the address both mailed, another email
            + "2,2024-03-01T10:00:00Z,two@example.net,10.00,,1 Main Street,10001\n"
            // the unique code both gave
            + "3,2024-03-01T10:00:00Z,three@example.net,10.00,shared-u,,\n"
            // the campaign code both use
            + "4,2024-03-01T10:00:00Z,four@example.net,10.00,SHARED10,,\n"
            // the email both hold out
            + "5,2024-03-01T10:00:00Z,held@example.com,10.00,,,\n"
            // globex's alone: an email, an address, a unique code, a campaign code
            + "6,2024-03-01T10:00:00Z,only-globex@example.com,10.00,,,\n"
            + "7,2024-03-01T10:00:00Z,seven@example.net,10.00,,9 Globex Road,20002\n"
            + "8,2024-03-01T10:00:00Z,eight@example.net,10.00,GLOBEX-U,,\n"
            + "9,2024-03-01T10:00:00Z,nine@example.net,10.00,GLOBEX10,,\n";

    @BeforeEach
    void twoOrganizationsThatShareCodesEmailsAndAddresses() {
        apply("""
                organizations:
                  - slug: acme
                    email_domain: acme-co.com
                  - slug: globex
                    email_domain: globex-co.com
                campaigns:
                  - {key: spring, organization: acme, status: active, start_date: 2024-01-01, discount_code: SHARED10}
                  - {key: spring, organization: globex, status: active, start_date: 2024-02-01, discount_code: SHARED10}
                  - {key: unique, organization: acme, status: active, use_unique_discount: true}
                  - {key: unique, organization: globex, status: active, use_unique_discount: true}
                  - key: held
                    organization: acme
                    status: active
                    holdout: {enabled: true, percentage: 10}
                  - key: held
                    organization: globex
                    status: active
                    holdout: {enabled: true, percentage: 10}
                  - {key: only, organization: globex, status: active, start_date: 2024-01-01, discount_code: GLOBEX10}
                """);
        importRecipients(
                "acme",
                RECIPIENTS
                        + "spring,a-1,shared@example.com,1 Main Street,Town,10001,sent,2024-01-01T00:00:00Z,2024-01-03T00:00:00Z,\n"
                        + "unique,a-u,,5 Code Street,Town,10005,sent,2024-01-01T00:00:00Z,2024-01-03T00:00:00Z,SHARED-U\n"
                        + "held,a-h,held@example.com,,,,holdout,2024-01-01T00:00:00Z,,\n");
        importRecipients(
                "globex",
                RECIPIENTS
                        + "spring,g-1,shared@example.com,1 Main Street,Town,10001,sent,2024-01-02T00:00:00Z,2024-01-03T00:00:00Z,\n"
                        + "spring,g-2,only-globex@example.com,9 Globex Road,Town,20002,sent,2024-01-02T00:00:00Z,"
                        + "2024-01-03T00:00:00Z,\n"
                        + "unique,g-u,,5 Code Street,Town,10005,sent,2024-01-02T00:00:00Z,2024-01-03T00:00:00Z,SHARED-U\n"
                        + "unique,g-u2,,6 Code Street,Town,10006,sent,2024-01-02T00:00:00Z,2024-01-03T00:00:00Z,GLOBEX-U\n"
                        + "held,g-h,held@example.com,,,,holdout,2024-01-02T00:00:00Z,,\n");
    }

    @Test
    void onlyRecipientsAndCampaignsOfTheOrdersOwnOrganizationAreEverConsidered() {
        importOrders("acme", SAME_ORDERS);
        importOrders("globex", SAME_ORDERS);

        assertThat(count("customer_order"))
                .as("one order per (organization, provider, id)")
                .isEqualTo(18);
        assertThat(attributions())
                .containsExactly(
                        "acme/1 -> acme/spring a-1 email holdout=false dup=0",
                        "acme/2 -> acme/spring a-1 physical_address holdout=false dup=0",
                        "acme/3 -> acme/unique a-u discount_code holdout=false dup=0",
                        "acme/4 -> acme/spring - discount_code holdout=false dup=0",
                        "acme/5 -> acme/held a-h email holdout=true dup=0",
                        // 6 to 9: nothing of acme's matches, and globex's are not acme's
                        "globex/1 -> globex/spring g-1 email holdout=false dup=0",
                        "globex/2 -> globex/spring g-1 physical_address holdout=false dup=0",
                        "globex/3 -> globex/unique g-u discount_code holdout=false dup=0",
                        "globex/4 -> globex/spring - discount_code holdout=false dup=0",
                        "globex/5 -> globex/held g-h email holdout=true dup=0",
                        "globex/6 -> globex/spring g-2 email holdout=false dup=0",
                        "globex/7 -> globex/spring g-2 physical_address holdout=false dup=0",
                        "globex/8 -> globex/unique g-u2 discount_code holdout=false dup=0",
                        "globex/9 -> globex/only - discount_code holdout=false dup=0");
        // The attribution carries the order's organization, whatever it matched.
        assertThat(jdbc.sql("SELECT count(*) FROM attribution a JOIN customer_order o ON o.id = a.order_id "
                                + "WHERE a.organization_id <> o.organization_id")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void attributionRerunForOneOrganizationTouchesOnlyThatOrganizationsOrdersAndAttributions() {
        importOrders("acme", SAME_ORDERS);
        importOrders("globex", SAME_ORDERS);
        run(0, "run", "attribution-processing");
        // Since the live run: both organizations mailed order 2's email (a re-run would now credit it by email),
        // and each has a new order that stage B has not decided yet.
        importRecipients(
                "acme", RECIPIENTS + "spring,a-2,two@example.net,,,,sent,2024-01-05T00:00:00Z,2024-01-06T00:00:00Z,\n");
        importRecipients(
                "globex",
                RECIPIENTS + "spring,g-9,two@example.net,,,,sent,2024-01-05T00:00:00Z,2024-01-06T00:00:00Z,\n");
        // (globex's first: its attribution's id then lies among those of acme's that the re-run decides)
        importOrders("globex", ORDERS + "20,2024-03-02T10:00:00Z,shared@example.com,10.00,,,\n");
        importOrders("acme", ORDERS + "20,2024-03-02T10:00:00Z,shared@example.com,10.00,,,\n");
        List<String> globexBefore = globex();
        assertThat(globexBefore)
                .anyMatch(l -> l.startsWith("2 globex/spring g-1 physical_address processed=true "))
                .anyMatch(l -> l.startsWith("20 globex/spring g-1 email processed=false passes=- "));

        run(0, "run", "attribution-rerun", "from=2024-01-01", "to=2025-01-01", "org=acme");

        assertThat(globex())
                .as("globex's orders and attributions, row versions included")
                .isEqualTo(globexBefore);
        assertThat(jdbc.sql("""
                SELECT o.provider_order_id || ' ' || coalesce(r.natural_key, '-') || ' ' || a.method
                       || ' processed=' || a.processed
                FROM attribution a JOIN customer_order o ON o.id = a.order_id
                LEFT JOIN recipient r ON r.id = a.recipient_id
                WHERE o.organization_id = (SELECT id FROM organization WHERE slug = 'acme')
                  AND o.provider_order_id IN ('2', '20') ORDER BY 1
                """).query(String.class).list())
                .as("acme's were re-run: today's recipients, and stage B decided")
                .containsExactly("2 a-2 email processed=true", "20 a-1 email processed=true");
    }

    /** globex's orders and attributions, each with its row version (xmin): any write shows. */
    private List<String> globex() {
        return jdbc.sql("""
                SELECT o.provider_order_id || ' ' || coalesce(g.slug || '/' || c.key || ' ' || coalesce(r.natural_key, '-')
                       || ' ' || a.method || ' processed=' || a.processed || ' passes='
                       || coalesce(a.passes_rules::text, '-'), 'unattributed')
                       || ' order@' || o.xmin || ' attribution@' || coalesce(a.xmin::text, '-')
                FROM customer_order o
                LEFT JOIN attribution a ON a.order_id = o.id
                LEFT JOIN campaign c ON c.id = a.campaign_id LEFT JOIN organization g ON g.id = c.organization_id
                LEFT JOIN recipient r ON r.id = a.recipient_id
                WHERE o.organization_id = (SELECT id FROM organization WHERE slug = 'globex')
                ORDER BY 1
                """).query(String.class).list();
    }
}
