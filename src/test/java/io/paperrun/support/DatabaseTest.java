package io.paperrun.support;

import io.paperrun.PaperRunApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the tests that need the application and its database: one Spring
 * context and one embedded PostgreSQL for the whole run, every table emptied
 * before each test.
 */
@SpringBootTest(classes = PaperRunApplication.class)
public abstract class DatabaseTest {

    @Autowired
    protected JdbcClient jdbc;

    @Autowired
    protected ApplicationContext context;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", TestDatabase::jdbcUrl);
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
        registry.add("paperrun.data-directory", () -> DATA_DIRECTORY.toString());
    }

    /** The data directory of the test run's application: proofs and print files go under it. */
    protected static final Path DATA_DIRECTORY = dataDirectory();

    private static Path dataDirectory() {
        try {
            Path directory = Files.createTempDirectory("paperrun-test-data-");
            directory.toFile().deleteOnExit();
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeEach
    protected void emptyTables() {
        jdbc.sql("""
                TRUNCATE attribution, attribution_pending, attribution_requeue, attribution_rerun_order, customer_order,
                    do_not_mail, recipient_sync_checkpoint, recipient_sync_run,
                    recipient, campaign, order_sync_run, order_sync_checkpoint,
                    rejected_row, organization,
                    batch_step_execution_context, batch_step_execution, batch_job_execution_context,
                    batch_job_execution_params, batch_job_execution, batch_job_instance
                RESTART IDENTITY CASCADE
                """).update();
        jdbc.sql("""
                ALTER SEQUENCE batch_job_instance_seq RESTART;
                ALTER SEQUENCE batch_job_execution_seq RESTART;
                ALTER SEQUENCE batch_step_execution_seq RESTART
                """).update();
    }

    /** Runs commands of the real command line in this process, against this test's database. */
    protected Cli cli() {
        return new Cli(context);
    }

    /** Runs a command, asserting its exit code (the command and its output are the failure message). */
    protected Cli.Result run(int expectedExit, String... args) {
        Cli.Result result = cli().run(args);
        Assertions.assertThat(result.exitCode())
                .as(String.join(" ", args) + "\n" + result)
                .isEqualTo(expectedExit);
        return result;
    }

    /** The sample files of the demo. */
    protected static final String EXAMPLES = "jobs-config/examples/";

    protected void applySample() {
        run(0, "apply", "-f", EXAMPLES + "acme.yaml");
    }

    protected void importSampleRecipients() {
        run(0, "import", "recipients", "--org", "acme", "--file", EXAMPLES + "recipients.csv");
    }

    protected void importSampleOrders() {
        run(0, "import", "orders", "--org", "acme", "--file", EXAMPLES + "orders.csv");
    }

    /** The demo's matchback: apply, recipients, orders, attribution-processing; returns the resulting rows. */
    protected List<String> sampleMatchback() {
        applySample();
        importSampleRecipients();
        importSampleOrders();
        run(0, "run", "attribution-processing");
        return Snapshot.of(jdbc);
    }

    /** An organization of the sample apply file, acme's rules, syncing from {@code provider} with these settings. */
    protected static String organization(String slug, String provider, String settings) {
        return "  - slug: " + slug + "\n    email_domain: acmeco.com\n    sync_orders: true\n"
                + "    order_blacklist: {discount_code_contains: [wholesale]}\n"
                + "    order_source: " + provider + "\n    integrations:\n      " + provider + ": " + settings + "\n";
    }

    /**
     * The sample apply file's text, its designs named by absolute paths, so that a test may write it (changed)
     * anywhere.
     */
    protected static String sampleApplyText() throws IOException {
        return Files.readString(Path.of(EXAMPLES + "acme.yaml"))
                .replace(" designs/", " " + Path.of(EXAMPLES, "designs").toAbsolutePath() + "/");
    }

    /** Applies these organizations (YAML list entries) with the sample's campaigns, from a file in {@code dir}. */
    protected void applyWithSampleCampaigns(Path dir, String organizations) throws IOException {
        String sample = sampleApplyText();
        Path file = dir.resolve("apply.yaml");
        Files.writeString(file, "organizations:\n" + organizations + sample.substring(sample.indexOf("campaigns:")));
        run(0, "apply", "-f", file.toString());
    }

    /** The sample's attributions when its orders are imported from their CSV file; the tables are emptied after. */
    protected String attributionsFromTheSampleFile() {
        sampleMatchback();
        String fromFile = exportAttributions();
        emptyTables();
        return fromFile;
    }

    /** acme's attributions as {@code export attributions} writes them. */
    protected String exportAttributions() {
        return run(0, "export", "attributions", "--org", "acme", "--out", "-").out();
    }

    /** The newest job execution's id. */
    protected long lastExecutionId() {
        return jdbc.sql("SELECT max(job_execution_id) FROM batch_job_execution")
                .query(Long.class)
                .single();
    }

    protected long count(String table) {
        return jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single();
    }
}
