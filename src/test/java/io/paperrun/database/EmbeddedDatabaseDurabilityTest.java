package io.paperrun.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded database keeps a merchant's data between runs, so a commit must survive a crash of the machine:
 * the settings that the embedded launcher turns off are on again, as on a server. Only the test suite's
 * database, thrown away after the run, goes without.
 */
class EmbeddedDatabaseDurabilityTest {

    @TempDir
    Path dir;

    @Test
    void theEmbeddedDatabaseIsDurableByDefault() throws Exception {
        try (EmbeddedDatabase database = EmbeddedDatabase.start(dir.resolve("data"))) {
            assertThat(setting(database.jdbcUrl(), "fsync")).isEqualTo("on");
            assertThat(setting(database.jdbcUrl(), "synchronous_commit")).isEqualTo("on");
        }
    }

    @Test
    void theTestSuitesThrowawayDatabaseIsNot() throws Exception {
        assertThat(setting(TestDatabase.jdbcUrl(), "fsync")).isEqualTo("off");
        assertThat(setting(TestDatabase.jdbcUrl(), "synchronous_commit")).isEqualTo("off");
    }

    private static String setting(String url, String name) throws Exception {
        try (Connection db = DriverManager.getConnection(url, "postgres", "");
                Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
