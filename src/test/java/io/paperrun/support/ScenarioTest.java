package io.paperrun.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link DatabaseTest} that builds its own tiny input files (apply YAML, recipients CSV, orders CSV) in a
 * temporary directory and feeds them to the real commands, for end-to-end tests of one rule each.
 */
public abstract class ScenarioTest extends DatabaseTest {

    @TempDir
    protected Path dir;

    private int files;

    /** Writes a file in the test's temporary directory. */
    protected Path write(String name, String content) {
        try {
            return Files.writeString(dir.resolve((++files) + "-" + name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code paperrun apply -f} of this YAML, which must succeed. */
    protected Cli.Result apply(String yaml) {
        return run(0, "apply", "-f", write("apply.yaml", yaml).toString());
    }

    /** {@code paperrun import recipients} of this CSV (header included), which must import every row. */
    protected Cli.Result importRecipients(String org, String csv) {
        return run(
                0,
                "import",
                "recipients",
                "--org",
                org,
                "--file",
                write("recipients.csv", csv).toString());
    }

    /** {@code paperrun import orders} of this CSV (header included), which must import every row. */
    protected Cli.Result importOrders(String org, String csv) {
        return run(
                0,
                "import",
                "orders",
                "--org",
                org,
                "--file",
                write("orders.csv", csv).toString());
    }

    /** {@code paperrun export attributions --org ORG --out -}: the header and the rows. */
    protected List<String> export(String org) {
        return run(0, "export", "attributions", "--org", org, "--out", "-")
                .out()
                .lines()
                .toList();
    }

    /**
     * Every attribution as {@code orderOrg/orderId -> campaignOrg/campaignKey recipient method holdout=.. dup=..},
     * sorted; {@code -} for no recipient.
     */
    protected List<String> attributions() {
        return jdbc.sql("""
                SELECT og.slug || '/' || o.provider_order_id || ' -> ' || cg.slug || '/' || c.key || ' '
                       || coalesce(r.natural_key, '-') || ' ' || a.method || ' holdout=' || a.holdout
                       || ' dup=' || a.duplicate_candidates
                FROM attribution a
                JOIN customer_order o ON o.id = a.order_id JOIN organization og ON og.id = o.organization_id
                JOIN campaign c ON c.id = a.campaign_id JOIN organization cg ON cg.id = c.organization_id
                LEFT JOIN recipient r ON r.id = a.recipient_id
                ORDER BY og.slug, length(o.provider_order_id), o.provider_order_id
                """).query(String.class).list();
    }
}
