package io.paperrun.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.Cli;
import io.paperrun.support.DatabaseTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;

/** The command line of the interface spec: exit codes, --help, executions, stop, restart, export. */
class CommandLineContractTest extends DatabaseTest {

    @Autowired
    DataSource dataSource;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "apply",
                "import",
                "import recipients",
                "import orders",
                "import do-not-mail",
                "run",
                "executions",
                "restart",
                "stop",
                "export",
                "export attributions",
                "export recipients"
            })
    void everyCommandHasHelpThatExitsZero(String command) {
        String[] args = (command + " --help").trim().split(" ");
        Cli.Result result = cli().run(args);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).startsWith("Usage: paperrun" + (command.isEmpty() ? "" : " " + command));
    }

    @Test
    void runsUsageListsMailingAndDeliveryTrackingWithTheirParameters() {
        String help = run(0, "run", "--help").out();
        assertThat(help)
                .contains("  mailing [org=SLUG] [campaign=KEY]")
                .contains("send proofed postcards, exactly once");
        assertThat(help).contains("  delivery-tracking [org=SLUG]").contains("follow sent postcards home");
        assertThat(help.substring(help.indexOf("Jobs of this version:")))
                .doesNotContainPattern("Not yet available:.*(mailing|delivery-tracking)");
        assertThat(run(2, "run", "nosuchjob").err()).contains("mailing").contains("delivery-tracking");
    }

    @Test
    void anotherExecutionOfTheSameJobRunningExitsThreeAndChangesNothing() throws Exception {
        run(0, "apply", "-f", EXAMPLES + "acme.yaml");
        try (Connection other = dataSource.getConnection();
                Statement st = other.createStatement()) {
            st.execute("SELECT pg_advisory_lock(hashtext('paperrun.job'), hashtext('order-sync'))");
            Cli.Result busy = run(3, "import", "orders", "--org", "acme", "--file", EXAMPLES + "orders.csv");
            assertThat(busy.err()).contains("another execution of order-sync is already running");
            assertThat(count("customer_order")).isZero();
            assertThat(count("batch_job_execution")).isZero();
            // Another job is not held up.
            run(0, "import", "recipients", "--org", "acme", "--file", EXAMPLES + "recipients.csv");
        }
        run(0, "import", "orders", "--org", "acme", "--file", EXAMPLES + "orders.csv");
    }

    @Test
    void runRefusesUnknownJobsJobsNotYetBuiltAndBadParameters() {
        assertThat(run(2, "run", "nosuchjob").err()).contains("unknown job 'nosuchjob'");
        assertThat(run(2, "run", "mailing", "colour=blue").err())
                .contains("mailing takes no parameter 'colour' (it takes optional org, optional campaign)");
        assertThat(run(2, "run", "delivery-tracking", "campaign=winback").err())
                .contains("delivery-tracking takes no parameter 'campaign'");
        assertThat(run(2, "run", "attribution-rerun", "from=2024-01-01").err()).contains("needs to=...");
        assertThat(run(2, "run", "attribution-rerun", "from=2024-02-01", "to=2024-01-01")
                        .err())
                .contains("must be before to");
        // A date the database cannot store failed the job (exit 1) once it had started; now it is bad usage.
        assertThat(run(2, "run", "attribution-rerun", "from=2024-01-01", "to=+300000-01-01")
                        .err())
                .contains("from and to must be within the years 0001 to 9999");
        assertThat(run(2, "run", "attribution-rerun", "from=January", "to=2024-01-01")
                        .err())
                .contains("dates: YYYY-MM-DD");
        assertThat(run(2, "run", "attribution-processing", "colour=blue").err())
                .contains("takes no parameter 'colour'");
        assertThat(run(2, "run", "attribution-processing", "org=globex").err())
                .contains("unknown organization 'globex'");
        assertThat(run(2, "run", "attribution-processing", "justaword").err()).contains("is not name=value");
        assertThat(count("batch_job_execution")).isZero();
    }

    @Test
    void aJobWithNothingToDoExitsZero() {
        Cli.Result result = run(0, "run", "attribution-processing");
        assertThat(result.out()).contains("completed").contains("attribution-processing-decide: 0 read");
    }

    @Test
    void executionsListsTheRunsWithCountsAndFilters() {
        sampleMatchback();
        Cli.Result all = run(0, "executions");
        assertThat(all.out().lines().toList()).hasSize(4);
        assertThat(all.out()).contains("order-sync").contains("COMPLETED");
        assertThat(run(0, "executions", "--wide").out())
                .contains("file=" + Path.of(EXAMPLES + "orders.csv").toAbsolutePath());
        Cli.Result orders = run(0, "executions", "--job", "order-sync");
        assertThat(orders.out().lines().toList()).hasSize(2);
        assertThat(orders.out().lines().toList().get(1)).matches("2\\s+order-sync\\s+COMPLETED\\s.*\\s19\\s+19\\s+0");
        assertThat(run(0, "executions", "--status", "failed").out().lines().toList())
                .hasSize(1);
        assertThat(run(2, "executions", "--status", "bogus").err()).contains("unknown status 'bogus'");
    }

    @Test
    void stopAndRestartRefuseWhatCannotBeStoppedOrRestarted() {
        sampleMatchback();
        assertThat(run(2, "stop", "1").err()).contains("execution 1 is not running (COMPLETED)");
        assertThat(run(2, "restart", "1").err()).contains("execution 1 completed; there is nothing to restart");
        assertThat(run(2, "restart", "999").err()).contains("no execution 999");
        assertThat(run(2, "stop", "999").err()).contains("no execution 999");
        assertThat(run(2, "restart", "abc").err()).contains("abc");
    }

    @Test
    void exportHonoursFromAndToWithToExclusive() {
        sampleMatchback();
        Cli.Result january = run(
                0,
                "export",
                "attributions",
                "--org",
                "acme",
                "--from",
                "2024-01-10",
                "--to",
                "2024-01-20",
                "--out",
                "-");
        assertThat(january.out().lines().toList())
                .containsExactly(
                        "order_id,order_created_at,order_value,campaign,recipient_external_id,recipient_email,method,"
                                + "holdout,passes_rules,order_count,archived",
                        "1001,2024-01-10T15:00:00Z,59.90,winback-2024,wb-001,ann@example.com,email,false,true,1,false",
                        "1002,2024-01-12T10:30:00Z,120.00,winback-2024,wb-002,bob@example.com,physical_address,false,true,1,false",
                        "1003,2024-01-15T18:45:00Z,45.00,winback-2024,,,discount_code,false,true,1,false");
        assertThat(run(
                                2,
                                "export",
                                "attributions",
                                "--org",
                                "acme",
                                "--from",
                                "2024-02-01",
                                "--to",
                                "2024-01-01",
                                "--out",
                                "-")
                        .err())
                .contains("must be before");
        Cli.Result farOff = run(2, "export", "attributions", "--org", "acme", "--to", "+300000-01-01", "--out", "-");
        assertThat(farOff.err()).contains("--from and --to must be within the years 0001 to 9999, not +300000-01-01");
        assertThat(farOff.out()).isEmpty();
        assertThat(run(2, "export", "attributions", "--org", "globex", "--out", "-")
                        .err())
                .contains("unknown organization 'globex'");
    }

    @Test
    void exportToAFileWritesItWhole(@TempDir Path dir) throws Exception {
        sampleMatchback();
        Path out = dir.resolve("attributions.csv");
        Cli.Result result = run(0, "export", "attributions", "--org", "acme", "--out", out.toString());
        assertThat(result.err()).contains("15 attributions written to " + out);
        assertThat(Files.readAllLines(out)).hasSize(16);
        assertThat(dir.resolve("attributions.csv.partial")).doesNotExist();
    }

    @Test
    void exportSaysWhenAttributionsAreNotProcessedYet() {
        applySample();
        importSampleRecipients();
        importSampleOrders();
        Cli.Result export = run(0, "export", "attributions", "--org", "acme", "--out", "-");
        assertThat(export.err()).contains("14 of them are not processed yet");
        // The holdout attribution was processed during the sync, the others wait for attribution-processing.
        assertThat(export.out())
                .contains("1004,2024-01-20T11:00:00Z,80.00,winback-2024,wb-006,fay@example.com,email,true,true,1,false")
                .contains("1001,2024-01-10T15:00:00Z,59.90,winback-2024,wb-001,ann@example.com,email,false,,,false");
    }
}
