package io.paperrun.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.ScenarioTest;
import org.junit.jupiter.api.Test;

/**
 * Stage A step 2: "If the order carries an active_subscription_start_date earlier than the chosen recipient's
 * sent_at, this step gives no match and matching goes on to step 3", with the column read from the orders CSV.
 */
class ActiveSubscriptionStartTest extends ScenarioTest {

    @Test
    void anActiveSubscriptionStartedBeforeTheRecipientsSentAtVoidsTheAddressMatch() {
        apply("""
                organizations:
                  - slug: acme
                campaigns:
                  - {key: spring, organization: acme, status: active, discount_code: SPRING10}
                """);
        importRecipients(
                "acme",
                "campaign,external_id,email,address1,city,zip,status,created_at,sent_at\n"
                        + "spring,r-1,r1@example.com,5 Oak Street,Town,30303,sent,2024-01-01T00:00:00Z,2024-01-05T12:00:00Z\n");
        // Every order ships to r-1's address, from an email nobody was mailed at.
        String row = ",2024-01-20T00:00:00Z,someone@example.net,10.00,5 Oak St.,30303,";
        importOrders(
                "acme",
                "order_id,created_at,email,total,shipping_address1,shipping_zip,discount_codes,"
                        + "active_subscription_start_date\n"
                        + "1" + row + ",\n" // no subscription: matched by address
                        + "2" + row + ",2024-01-01\n" // subscribed before the send: no match at all
                        + "3" + row + "SPRING10,2024-01-05T11:59:59Z\n" // subscribed just before: on to step 3
                        + "4" + row + ",2024-01-05T12:00:00Z\n" // subscribed at the send: not earlier
                        + "5" + row + ",2024-01-10\n"); // subscribed after the send
        assertThat(attributions())
                .containsExactly(
                        "acme/1 -> acme/spring r-1 physical_address holdout=false dup=0",
                        "acme/3 -> acme/spring r-1 discount_code holdout=false dup=0",
                        "acme/4 -> acme/spring r-1 physical_address holdout=false dup=0",
                        "acme/5 -> acme/spring r-1 physical_address holdout=false dup=0");
        assertThat(jdbc.sql("SELECT provider_order_id || ' ' || coalesce(active_subscription_start::text, '-') "
                                + "FROM customer_order ORDER BY 1")
                        .query(String.class)
                        .list())
                .containsExactly(
                        "1 -",
                        "2 2024-01-01 00:00:00+00",
                        "3 2024-01-05 11:59:59+00",
                        "4 2024-01-05 12:00:00+00",
                        "5 2024-01-10 00:00:00+00");
    }
}
