package io.paperrun.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.Cli;
import io.paperrun.support.DatabaseTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Exit codes of the interface spec beyond {@link CommandLineContractTest}: 3 for every job whose lock
 * another process holds, 2 for usage errors the parser catches, and the rejected-row count of
 * {@code executions}.
 */
class ExitCodesCliTest extends DatabaseTest {

    @Autowired
    DataSource dataSource;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "attribution-processing | run attribution-processing",
                "attribution-rerun      | run attribution-rerun from=2024-01-01 to=2024-02-01",
                "recipient-sync         | import recipients --org acme --file jobs-config/examples/recipients.csv",
                "order-sync             | run order-sync org=acme file=jobs-config/examples/orders.csv",
                "do-not-mail-import     | import do-not-mail --org acme --file jobs-config/examples/do-not-mail.csv"
            })
    void aJobWhoseLockAnotherProcessHoldsExitsThreeAndLeavesNoTrace(String job, String command) throws Exception {
        run(0, "apply", "-f", EXAMPLES + "acme.yaml");
        try (Connection other = dataSource.getConnection();
                Statement st = other.createStatement()) {
            st.execute("SELECT pg_advisory_lock(hashtext('paperrun.job'), hashtext('" + job + "'))");
            Cli.Result busy = run(3, command.split(" "));
            assertThat(busy.err()).contains("another execution of " + job + " is already running");
        }
        assertThat(count("batch_job_execution")).isZero();
        assertThat(count("recipient") + count("customer_order") + count("attribution") + count("do_not_mail"))
                .isZero();
        // Once the lock is released, the same command runs.
        run(0, command.split(" "));
    }

    @Test
    void usageErrorsExitTwoAndPointToTheHelp() {
        assertThat(run(2, "frobnicate").err())
                .contains("Unmatched argument at index 0: 'frobnicate'")
                .contains("See 'paperrun --help'.");
        assertThat(run(2, "import", "orders", "--file", EXAMPLES + "orders.csv").err())
                .contains("Missing required option: '--org=ORG'")
                .contains("See 'paperrun import orders --help'.");
        assertThat(run(2, "import").err()).contains("say what to import: recipients, orders, do-not-mail or codes");
        assertThat(run(2, "export").err()).contains("say what to export: attributions or recipients");
        assertThat(run(2, "export", "attributions", "--org", "acme", "--from", "2024-13-01", "--out", "-")
                        .err())
                .startsWith("paperrun export attributions: --from: 2024-13-01 is not a date (YYYY-MM-DD)\n");
        assertThat(run(2, "restart").err()).contains("Missing required parameter: 'EXECUTION_ID'");
        assertThat(run(2, "executions", "--limit", "0").err()).contains("--limit must be at least 1");
        assertThat(run(2, "executions", "--job", "nosuch").err())
                .contains("unknown job 'nosuch'; jobs: "
                        + "address-enrichment, attribution-processing, attribution-rerun, code-import, delivery-tracking, "
                        + "do-not-mail-import, experiment-report, mailing, order-sync, proofing, recipient-sync");
        assertThat(run(0, "executions", "--job", "mailing").out().lines()).hasSize(1); // a job still to come
        Cli.Result none = run(2);
        assertThat(none.out()).isEmpty();
        assertThat(none.err()).startsWith("paperrun: say which command to run").contains("Usage: paperrun");
        assertThat(run(0, "import", "orders", "-V").out()).startsWith("paperrun ");
        assertThat(run(0, "--version").out()).startsWith("paperrun ");
        assertThat(run(0, "help", "import").out()).startsWith("Usage: paperrun import");
        // help follows the whole path, as --help does: a subcommand's help, not its parent's
        assertThat(run(0, "help", "import", "orders").out()).startsWith("Usage: paperrun import orders");
        assertThat(run(0, "help", "export", "attributions").out()).startsWith("Usage: paperrun export attributions");
        assertThat(run(0, "help", "export", "recipients").out()).startsWith("Usage: paperrun export recipients");
        assertThat(run(0, "help", "import", "do-not-mail").out()).startsWith("Usage: paperrun import do-not-mail");
        assertThat(run(0, "help").out()).startsWith("Usage: paperrun ");
        assertThat(run(2, "help", "import", "nosuch").err())
                .contains("Unknown command 'import nosuch': 'paperrun import' has no command 'nosuch'");
        assertThat(count("batch_job_execution")).isZero();
    }

    @Test
    void aDateOrANumberThatCannotBeReadIsNamedWithoutJavasWords() {
        Cli.Result date = run(2, "export", "attributions", "--org", "acme", "--to", "2024-02-30", "--out", "-");
        assertThat(date.err().lines().findFirst())
                .hasValue("paperrun export attributions: --to: 2024-02-30 is not a " + "date (YYYY-MM-DD)");
        assertThat(date.err()).doesNotContain("java.").contains("See 'paperrun export attributions --help'.");
        assertThat(run(2, "restart", "twelve").err())
                .startsWith("paperrun restart: EXECUTION_ID: twelve is not a " + "whole number\n");
        assertThat(run(2, "executions", "--limit", "many").err())
                .startsWith("paperrun executions: --limit: many is " + "not a whole number\n");
        assertThat(count("batch_job_execution")).isZero();
    }

    @Test
    void aWorkerOnTheEmbeddedDatabaseIsRefusedInOneLineAndItsHelpSaysWhatItNeeds() {
        Cli.Result refused = run(2, "worker");
        assertThat(refused.err())
                .isEqualTo("paperrun worker: needs the database server the launching commands use "
                        + "(SPRING_DATASOURCE_URL); the embedded database serves one process alone\n");
        assertThat(refused.out()).isEmpty();
        Cli.Result help = run(0, "worker", "--help");
        assertThat(help.out())
                .startsWith("Usage: paperrun worker")
                .contains(
                        "PAPERRUN_BROKER_URL",
                        "SPRING_DATASOURCE_URL",
                        "PAPERRUN_BROKER_WORKER_PARTITIONS",
                        "PAPERRUN_BROKER_WORKER_DRAIN",
                        "SIGTERM");
        assertThat(count("batch_job_execution")).isZero();
    }

    @Test
    void executionsCountTheRowsEachImportRejected() throws IOException {
        run(0, "apply", "-f", EXAMPLES + "acme.yaml");
        Path file = Files.writeString(
                dir.resolve("orders.csv"),
                "order_id,created_at,total\n"
                        + "1,2024-01-01T00:00:00Z,1.00\n2,yesterday,1.00\n3,2024-01-01T00:00:00Z,\n");
        run(2, "import", "orders", "--org", "acme", "--file", file.toString());
        assertThat(run(0, "executions", "--job", "order-sync")
                        .out()
                        .lines()
                        .skip(1)
                        .toList())
                .singleElement()
                .asString()
                .matches("1\\s+order-sync\\s+COMPLETED\\s.*\\s3\\s+3\\s+2");
        assertThat(run(0, "executions", "--job", "recipient-sync").out().lines().toList())
                .hasSize(1);
    }
}
