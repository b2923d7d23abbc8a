package db.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.ScenarioTest;
import java.sql.Connection;
import javax.sql.DataSource;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.migration.Context;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * V8: a campaign stored before V7 has its code in the form V7's SQL gave it; V8 puts it in the application's
 * ({@code Große10} is {@code GROSSE10}), so that its orders match without the campaign being applied again.
 */
class CampaignCodesMigrationTest extends ScenarioTest {

    @Autowired
    DataSource dataSource;

    @Test
    void campaignCodesTakeTheApplicationsFormAndThenMatch() throws Exception {
        assertThat(jdbc.sql("SELECT success FROM flyway_schema_history WHERE version = '8'")
                        .query(Boolean.class)
                        .single())
                .isTrue();
        apply("""
                organizations:
                  - slug: acme
                campaigns:
                  - key: herbst
                    organization: acme
                    status: active
                    discount_code: "Große10"
                  - key: plain
                    organization: acme
                    status: active
                    discount_code: "Plain5"
                  - key: none
                    organization: acme
                    status: active
                """);
        // As V7 left a campaign stored before it (PostgreSQL's upper() keeps ß).
        jdbc.sql("UPDATE campaign SET discount_code_upper = 'GROßE10' WHERE key = 'herbst'")
                .update();

        try (Connection connection = dataSource.getConnection()) {
            new V8__campaign_codes_in_the_applications_form().migrate(new Context() {
                @Override
                public Configuration getConfiguration() {
                    return null;
                }

                @Override
                public Connection getConnection() {
                    return connection;
                }
            });
        }
        assertThat(jdbc.sql("SELECT key || ' ' || coalesce(discount_code_upper, '-') FROM campaign ORDER BY key")
                        .query(String.class)
                        .list())
                .containsExactly("herbst GROSSE10", "none -", "plain PLAIN5");
        importOrders(
                "acme",
                "order_id,created_at,email,total,discount_codes\n"
                        + "1,2024-01-20T00:00:00Z,someone@example.net,10.00,große10\n");
        assertThat(attributions()).containsExactly("acme/1 -> acme/herbst - discount_code holdout=false dup=0");
    }
}
