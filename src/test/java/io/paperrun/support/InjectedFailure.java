package io.paperrun.support;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A failure injected from the database, without any hook in the product: a
 * trigger that raises an exception when a row meets a condition. Close it to
 * drop the trigger (the job can then be restarted).
 */
public final class InjectedFailure implements AutoCloseable {

    public static final String MESSAGE = "injected failure";

    private final JdbcClient jdbc;
    private final String table;
    private final String name;

    private InjectedFailure(JdbcClient jdbc, String table, String name) {
        this.jdbc = jdbc;
        this.table = table;
        this.name = name;
    }

    /**
     * Makes every {@code event} (INSERT, UPDATE, INSERT OR UPDATE) on {@code table} whose row satisfies
     * {@code condition} (SQL over {@code NEW}) fail.
     */
    public static InjectedFailure on(JdbcClient jdbc, String table, String event, String condition) {
        String name = "inject_failure_" + table;
        jdbc.sql("CREATE OR REPLACE FUNCTION " + name + "() RETURNS trigger AS $$ BEGIN IF " + condition
                        + " THEN RAISE EXCEPTION '" + MESSAGE + "'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql")
                .update();
        jdbc.sql("DROP TRIGGER IF EXISTS " + name + " ON " + table).update();
        jdbc.sql("CREATE TRIGGER " + name + " BEFORE " + event + " ON " + table + " FOR EACH ROW EXECUTE FUNCTION "
                        + name + "()")
                .update();
        return new InjectedFailure(jdbc, table, name);
    }

    /** Drops every failure this class may have injected (for an {@code @AfterEach}). */
    public static void dropAll(JdbcClient jdbc) {
        for (String table : new String[] {"customer_order", "recipient", "attribution", "attribution_rerun_order"}) {
            jdbc.sql("DROP TRIGGER IF EXISTS inject_failure_" + table + " ON " + table)
                    .update();
            jdbc.sql("DROP FUNCTION IF EXISTS inject_failure_" + table + "()").update();
        }
    }

    @Override
    public void close() {
        jdbc.sql("DROP TRIGGER IF EXISTS " + name + " ON " + table).update();
        jdbc.sql("DROP FUNCTION IF EXISTS " + name + "()").update();
    }
}
