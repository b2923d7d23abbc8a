package io.paperrun.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.DatabaseTest;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Stage A is set-based: one query per kind of lookup for a whole chunk, never one per order. */
class OrderMatchingSetBasedTest extends DatabaseTest {

    @Autowired
    DataSource dataSource;

    @Test
    void theNumberOfQueriesDoesNotGrowWithTheChunk() {
        long org = sampleOrganization();

        AtomicInteger statements = new AtomicInteger();
        OrderMatching matching = new OrderMatching(JdbcClient.create(counting(dataSource, statements)));
        OrganizationRules rules = new OrganizationRules("acmeco.com", List.of("wholesale"));

        List<MatchResult> small = matching.match(org, rules, orders(50));
        int forFifty = statements.getAndSet(0);
        List<MatchResult> large = matching.match(org, rules, orders(1000));
        int forAThousand = statements.get();

        assertThat(forFifty).isBetween(1, 5);
        assertThat(forAThousand).isEqualTo(forFifty);
        assertThat(small).hasSize(50);
        assertThat(large).hasSize(1000);
        assertThat(large.stream().filter(MatchResult::isAttributed).count()).isGreaterThan(300);
    }

    /** The sample's organization, with its campaigns and recipients. */
    private long sampleOrganization() {
        applySample();
        importSampleRecipients();
        return jdbc.sql("SELECT id FROM organization").query(Long.class).single();
    }

    /** Bob's address key (34 Elm Avenue, Apt 2, 62702). */
    private static final String BOBS_ADDRESS = "34elmaveapt262702";

    @Test
    void anOrderItsEmailCreditsHasItsAddressNotLookedUpAndAnInternalOrderNothing() {
        long org = sampleOrganization();
        AtomicInteger statements = new AtomicInteger();
        OrderMatching matching = new OrderMatching(JdbcClient.create(counting(dataSource, statements)));
        OrganizationRules rules = new OrganizationRules("acmeco.com", List.of());

        List<MatchResult> unknownEmail = matching.match(org, rules, List.of(order("nobody@example.com", BOBS_ADDRESS)));
        assertThat(statements.getAndSet(0)).as("email and address looked up").isEqualTo(2);
        assertThat(unknownEmail.get(0).method()).isEqualTo(AttributionMethod.PHYSICAL_ADDRESS);

        // Ann, mailed before the order: step 1 credits it whatever its address, which is not looked up.
        List<MatchResult> annsEmail = matching.match(org, rules, List.of(order("ann@example.com", BOBS_ADDRESS)));
        assertThat(statements.getAndSet(0)).as("email looked up, address not").isEqualTo(1);
        assertThat(annsEmail.get(0).method()).isEqualTo(AttributionMethod.EMAIL);

        List<MatchResult> internal = matching.match(org, rules, List.of(order("x@acmeco.com", BOBS_ADDRESS)));
        assertThat(statements.getAndSet(0))
                .as("an internal order is never credited")
                .isZero();
        assertThat(internal.get(0)).isEqualTo(MatchResult.INTERNAL);
    }

    @Test
    void anEmailThatDoesNotCreditLeavesTheAddressToBeLookedUp() {
        long org = sampleOrganization();
        // Ann was mailed after the order: her email matches, but step 1 does not credit it.
        jdbc.sql("UPDATE recipient SET sent_at = '2024-03-01T00:00:00Z' WHERE email_lower = 'ann@example.com'")
                .update();
        OrderMatching matching = new OrderMatching(jdbc);

        MatchResult result = matching.match(
                        org,
                        new OrganizationRules("acmeco.com", List.of()),
                        List.of(order("ann@example.com", BOBS_ADDRESS)))
                .get(0);

        assertThat(result.method()).isEqualTo(AttributionMethod.PHYSICAL_ADDRESS);
        assertThat(result.recipientId())
                .isEqualTo(jdbc.sql("SELECT id FROM recipient WHERE email_lower = 'bob@example.com'")
                        .query(Long.class)
                        .single());
    }

    private static OrderFacts order(String email, String addressKey) {
        return new OrderFacts(
                Instant.parse("2024-02-15T00:00:00Z"),
                email,
                email,
                addressKey,
                List.of(),
                new BigDecimal("20.00"),
                null);
    }

    /** Orders that exercise every lookup: emails, addresses, unique codes and campaign codes. */
    private static List<OrderFacts> orders(int n) {
        String[] emails = {"ann@example.com", "fay@example.com", "nobody@example.com", "x@acmeco.com"};
        List<OrderFacts> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<String> codes = switch (i % 4) {
                case 0 -> List.of("WELCOME-IVY");
                case 1 -> List.of("WINBACK10");
                default -> List.of();
            };
            String email = emails[i % emails.length];
            out.add(new OrderFacts(
                    Instant.parse("2024-02-15T00:00:00Z"),
                    email,
                    email,
                    i % 3 == 0 ? "34elmaveapt262702" : null,
                    codes,
                    new BigDecimal("20.00"),
                    null));
        }
        return out;
    }

    private static DataSource counting(DataSource target, AtomicInteger statements) {
        return (DataSource) Proxy.newProxyInstance(
                DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    Object result = method.invoke(target, args);
                    if (result instanceof Connection connection) {
                        return Proxy.newProxyInstance(
                                Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (p, m, a) -> {
                                    if (m.getName().startsWith("prepare")
                                            || m.getName().equals("createStatement")) {
                                        statements.incrementAndGet();
                                    }
                                    return m.invoke(connection, a);
                                });
                    }
                    return result;
                });
    }
}
