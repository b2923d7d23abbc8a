package io.paperrun.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.ScenarioTest;
import org.junit.jupiter.api.Test;

/**
 * Address key: "a US ZIP cut to its first five digits", with the order's country taken from the orders CSV's
 * {@code shipping_country} (empty means US): a non-US postcode is never cut.
 */
class ShippingCountryAddressKeyTest extends ScenarioTest {

    @Test
    void shippingCountryDecidesWhetherTheZipIsCutToFiveDigits() {
        apply("""
                organizations:
                  - slug: acme
                campaigns:
                  - {key: spring, organization: acme, status: active}
                """);
        importRecipients(
                "acme",
                "campaign,external_id,address1,city,zip,country,status,created_at,sent_at\n"
                        + "spring,us-1,10 Elm Street,Town,12345,US,sent,2024-01-01T00:00:00Z,2024-01-02T00:00:00Z\n"
                        + "spring,de-1,20 Linden Road,Berlin,123456789,DE,sent,2024-01-01T00:00:00Z,2024-01-02T00:00:00Z\n");
        importOrders(
                "acme",
                "order_id,created_at,total,shipping_address1,shipping_zip,shipping_country\n"
                        + "1,2024-01-20T00:00:00Z,10.00,10 Elm Street,12345-6789,US\n" // US ZIP+4: cut, matches 12345
                        + "2,2024-01-20T00:00:00Z,10.00,10 Elm Street,12345-6789,\n" // no country: US
                        + "3,2024-01-20T00:00:00Z,10.00,10 Elm Street,12345-6789,us\n" // any case
                        + "4,2024-01-20T00:00:00Z,10.00,10 Elm Street,12345-6789,CA\n" // not US: 123456789, no match
                        + "5,2024-01-20T00:00:00Z,10.00,20 Linden Road,12345-6789,DE\n" // not US: matches 123456789
                        + "6,2024-01-20T00:00:00Z,10.00,20 Linden Road,12345-6789,US\n"); // cut: 12345, no match
        assertThat(attributions())
                .containsExactly(
                        "acme/1 -> acme/spring us-1 physical_address holdout=false dup=0",
                        "acme/2 -> acme/spring us-1 physical_address holdout=false dup=0",
                        "acme/3 -> acme/spring us-1 physical_address holdout=false dup=0",
                        "acme/5 -> acme/spring de-1 physical_address holdout=false dup=0");
        assertThat(jdbc.sql("SELECT provider_order_id || ' ' || address_key FROM customer_order ORDER BY 1")
                        .query(String.class)
                        .list())
                .containsExactly(
                        "1 10elmst12345",
                        "2 10elmst12345",
                        "3 10elmst12345",
                        "4 10elmst123456789",
                        "5 20lindenrd123456789",
                        "6 20lindenrd12345");
    }
}
