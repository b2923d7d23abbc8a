package db.migration;

import io.paperrun.campaign.DiscountCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Sets every campaign's {@code discount_code_upper} (V7) to the form stage A compares codes in,
 * {@link DiscountCode#upper}, which only the application computes: V7 filled it with PostgreSQL's
 * {@code upper(btrim())}, which differs beyond ASCII, around tabs, and with the database's locale, and
 * {@code apply} rewrites a campaign only when its settings change. A Java migration, in the directory of the
 * SQL ones ({@code spring.flyway.locations}), because the form is the application's.
 */
public class V8__campaign_codes_in_the_applications_form extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        try (PreparedStatement read = connection.prepareStatement(
                        "SELECT id, discount_code FROM campaign WHERE discount_code IS NOT NULL");
                ResultSet rows = read.executeQuery();
                PreparedStatement write = connection.prepareStatement(
                        "UPDATE campaign SET discount_code_upper = ? WHERE id = ? AND discount_code_upper IS DISTINCT FROM ?")) {
            while (rows.next()) {
                String upper = DiscountCode.upper(rows.getString(2));
                write.setString(1, upper);
                write.setLong(2, rows.getLong(1));
                write.setString(3, upper);
                write.addBatch();
            }
            write.executeBatch();
        }
    }
}
