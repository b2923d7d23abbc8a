package io.paperrun.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.Cli;
import io.paperrun.support.ScenarioTest;
import org.junit.jupiter.api.Test;

/**
 * Stage A step 0, "Internal order": the order email's domain equals the organization's email domain or ends
 * with "." + it (case-insensitive): the order is stored with {@code customer_order.internal = true} and not
 * attributed. {@code x@notacme.com} is not internal to {@code acme.com}.
 */
class InternalOrderTest extends ScenarioTest {

    @Test
    void ordersFromTheOrganizationsDomainOrASubdomainAreStoredInternalAndNotAttributed() {
        apply("""
                organizations:
                  - slug: acme
                    email_domain: acme.com
                campaigns:
                  - {key: spring, organization: acme, status: active}
                """);
        // Every order's email was mailed: whatever is not internal is attributed by email.
        String sent = ",sent,2024-01-01T00:00:00Z,2024-01-02T00:00:00Z\n";
        importRecipients(
                "acme",
                "campaign,external_id,email,status,created_at,sent_at\n"
                        + "spring,r-1,staff@acme.com" + sent + "spring,r-2,y@shop.acme.com" + sent
                        + "spring,r-3,w@acme.com" + sent + "spring,r-4,x@notacme.com" + sent
                        + "spring,r-5,z@acme.com.evil.org" + sent + "spring,r-6,v@acme.co" + sent);
        Cli.Result imported = importOrders(
                "acme",
                "order_id,created_at,email,total\n"
                        + "1,2024-01-20T00:00:00Z,staff@acme.com,10.00\n"
                        + "2,2024-01-20T00:00:00Z,y@shop.acme.com,10.00\n"
                        + "3,2024-01-20T00:00:00Z, W@Acme.COM ,10.00\n"
                        + "4,2024-01-20T00:00:00Z,x@notacme.com,10.00\n"
                        + "5,2024-01-20T00:00:00Z,z@acme.com.evil.org,10.00\n"
                        + "6,2024-01-20T00:00:00Z,v@acme.co,10.00\n");
        assertThat(imported.out()).contains("3 matched, 3 internal");
        assertThat(jdbc.sql("SELECT provider_order_id || ' internal=' || internal FROM customer_order ORDER BY 1")
                        .query(String.class)
                        .list())
                .containsExactly(
                        "1 internal=true",
                        "2 internal=true",
                        "3 internal=true",
                        "4 internal=false",
                        "5 internal=false",
                        "6 internal=false");
        assertThat(attributions())
                .containsExactly(
                        "acme/4 -> acme/spring r-4 email holdout=false dup=0",
                        "acme/5 -> acme/spring r-5 email holdout=false dup=0",
                        "acme/6 -> acme/spring r-6 email holdout=false dup=0");
    }
}
