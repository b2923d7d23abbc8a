package io.paperrun.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.Cli;
import io.paperrun.support.DatabaseTest;
import io.paperrun.support.InjectedFailure;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code paperrun executions}: its table in 100 columns, its durations and exit messages, and its JSON. */
class ExecutionsCliTest extends DatabaseTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String LONG_JOB = "a-job-whose-name-is-far-longer-than-any-in-the-catalog";

    private static final String LONG_MESSAGE = "acme (ometria): GET https://api.ometria.example/v2/orders?since="
            + "2026-12-01T00:00:00Z: status 503 after 5 tries, the last one refused";

    @Test
    void theTableFitsAHundredCharactersInAlignedColumnsWithDurationsAndExitMessages() {
        sampleMatchback(); // executions 1 recipient-sync, 2 order-sync, 3 attribution-processing
        times(1, "2026-12-04T16:09:08", "2026-12-04T16:09:08.412");
        times(2, "2026-12-04T16:10:00", "2026-12-04T16:13:05.999");
        times(3, "2026-12-04T14:00:00", "2026-12-04T15:02:30");
        jdbc.sql("UPDATE batch_job_execution SET status = 'FAILED', exit_code = 'FAILED', exit_message = ? "
                        + "WHERE job_execution_id = 3")
                .param(LONG_MESSAGE
                        + "\norg.springframework.batch.core.job.JobExecutionException: x\n\tat a.b(C.java:1)")
                .update();
        jdbc.sql("UPDATE batch_job_instance SET job_name = ? WHERE job_instance_id = 1")
                .param(LONG_JOB)
                .update();

        List<String> lines = run(0, "executions").out().lines().toList();

        assertThat(lines)
                .hasSize(4)
                .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(100));
        String header = lines.get(0);
        assertThat(header).startsWith("ID JOB ").endsWith(" REJECTED EXIT MESSAGE");
        assertAligned(header, lines.subList(1, 4));
        assertThat(cell(header, lines.get(1), "STATUS")).isEqualTo("FAILED");
        assertThat(cell(header, lines.get(1), "STARTED")).isEqualTo("2026-12-04 14:00:00");
        assertThat(cell(header, lines.get(1), "DURATION")).isEqualTo("1h02m");
        assertThat(lines.get(1)).hasSize(100).endsWith("…");
        assertThat(lines.get(1).substring(header.indexOf("EXIT MESSAGE")))
                .as("the one-line reason, not the stack trace after it")
                .startsWith("acme (");
        assertThat(cell(header, lines.get(2), "DURATION")).isEqualTo("3m05s");
        assertThat(lines.get(2))
                .as("a completed execution has no exit message")
                .matches("2  order-sync +COMPLETED 2026-12-04 16:10:00 +3m05s +19 +19 +0");
        assertThat(cell(header, lines.get(3), "JOB")).isEqualTo("a-job-whose-name-is-f…");
        assertThat(cell(header, lines.get(3), "DURATION")).isEqualTo("0.4s");

        assertThat(run(0, "executions", "--wide").out().lines().skip(1).toList())
                .as("--wide: every column in full")
                .anySatisfy(line -> assertThat(line).endsWith(" " + LONG_MESSAGE))
                .anySatisfy(line -> assertThat(line)
                        .contains("file=" + Path.of(EXAMPLES + "orders.csv").toAbsolutePath() + " org=acme"))
                .anySatisfy(line -> assertThat(line).contains(LONG_JOB));
    }

    @Test
    void aRunningExecutionsDurationIsTheTimeSoFar() {
        sampleMatchback();
        jdbc.sql("UPDATE batch_job_execution SET status = 'STARTED', exit_code = 'EXECUTING', start_time = ?, "
                        + "end_time = NULL WHERE job_execution_id = 3")
                .param(LocalDateTime.now().minusSeconds(75))
                .update();
        List<String> lines =
                run(0, "executions", "--status", "started").out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(cell(lines.get(0), lines.get(1), "DURATION")).matches("1m1[5-9]s");

        JsonNode running = json(run(0, "executions", "--status", "started", "--format", "json"))
                .get(0);
        assertThat(running.get("ended").isNull()).isTrue();
        assertThat(running.get("duration_seconds").decimalValue())
                .isBetween(new BigDecimal("75"), new BigDecimal("90"));
        assertThat(running.get("restartable").booleanValue()).isFalse();
    }

    @Test
    void jsonGivesEachExecutionFieldByField() {
        sampleMatchback();
        times(2, "2026-12-04T16:10:00.250", "2026-12-04T16:13:05.750");

        JsonNode all = json(run(0, "executions", "--format", "json"));
        assertThat(all.isArray()).isTrue();
        assertThat(all.valueStream().map(e -> e.get("id").longValue()).toList()).containsExactly(3L, 2L, 1L);

        JsonNode orders = all.get(1);
        List<String> fields = new ArrayList<>(orders.propertyNames());
        assertThat(fields)
                .containsExactly(
                        "id",
                        "job",
                        "status",
                        "exit_code",
                        "exit_message",
                        "started",
                        "ended",
                        "duration_seconds",
                        "read",
                        "written",
                        "skipped",
                        "rejected",
                        "parameters",
                        "restartable");
        assertThat(orders.get("id").longValue()).isEqualTo(2);
        assertThat(orders.get("job").stringValue()).isEqualTo("order-sync");
        assertThat(orders.get("status").stringValue()).isEqualTo("COMPLETED");
        assertThat(orders.get("exit_code").stringValue()).isEqualTo("COMPLETED");
        assertThat(orders.get("exit_message").isNull()).isTrue();
        assertThat(orders.get("started").stringValue()).isEqualTo("2026-12-04T16:10:00.250Z");
        assertThat(orders.get("ended").stringValue()).isEqualTo("2026-12-04T16:13:05.750Z");
        assertThat(orders.get("duration_seconds").isNumber()).isTrue();
        assertThat(orders.get("duration_seconds").decimalValue()).isEqualByComparingTo("185.5");
        assertThat(orders.get("read").longValue()).isEqualTo(19);
        assertThat(orders.get("written").longValue()).isEqualTo(19);
        assertThat(orders.get("skipped").longValue()).isZero();
        assertThat(orders.get("rejected").longValue()).isZero();
        assertThat(orders.get("parameters").get("file").stringValue())
                .isEqualTo(Path.of(EXAMPLES + "orders.csv").toAbsolutePath().toString());
        assertThat(orders.get("parameters").get("org").stringValue()).isEqualTo("acme");
        assertThat(orders.get("parameters").get("sha256").stringValue()).matches("[0-9a-f]{64}");
        assertThat(orders.get("restartable").booleanValue()).isFalse();

        JsonNode processing = all.get(0);
        assertThat(processing.get("job").stringValue()).isEqualTo("attribution-processing");
        assertThat(processing.get("parameters").has("run")).isTrue();
        assertThat(Duration.between(
                                Instant.parse(processing.get("started").stringValue()),
                                Instant.parse(processing.get("ended").stringValue()))
                        .isNegative())
                .isFalse();
    }

    @Test
    void aFailedImportSaysWhyAndIsRestartableUntilItIsRestarted() {
        applySample();
        importSampleRecipients();
        try (InjectedFailure ignored =
                InjectedFailure.on(jdbc, "customer_order", "INSERT", "NEW.provider_order_id = '1010'")) {
            run(1, "import", "orders", "--org", "acme", "--file", EXAMPLES + "orders.csv");
        }
        long failed = lastExecutionId();
        List<String> table =
                run(0, "executions", "--job", "order-sync").out().lines().toList();
        assertThat(table.get(1)).matches(failed + " +order-sync +FAILED .* ERROR: " + InjectedFailure.MESSAGE);
        JsonNode before = json(run(0, "executions", "--job", "order-sync", "--format", "json"))
                .get(0);
        assertThat(before.get("status").stringValue()).isEqualTo("FAILED");
        assertThat(before.get("exit_code").stringValue()).isEqualTo("FAILED");
        assertThat(before.get("exit_message").stringValue()).isEqualTo("ERROR: " + InjectedFailure.MESSAGE);
        assertThat(before.get("ended").isNull()).isFalse();
        assertThat(before.get("restartable").booleanValue()).isTrue();

        run(0, "restart", Long.toString(failed));
        JsonNode after = json(run(0, "executions", "--job", "order-sync", "--format", "json"));
        assertThat(after.get(0).get("status").stringValue()).isEqualTo("COMPLETED");
        assertThat(after.get(0).get("exit_message").isNull()).isTrue();
        assertThat(after.get(1).get("id").longValue()).isEqualTo(failed);
        assertThat(after.get(1).get("restartable").booleanValue())
                .as("restarted to completion")
                .isFalse();
    }

    @Test
    void aFormatThatIsNotOneIsBadUsage() {
        Cli.Result result = run(2, "executions", "--format", "xml");
        assertThat(result.err()).contains("--format").contains("xml").contains("json");
        assertThat(result.out()).isEmpty();
    }

    /** The cell of {@code column} in {@code line}, as the header places it (left or right aligned). */
    private static String cell(String header, String line, String column) {
        int start = header.indexOf(column);
        int end = start + column.length();
        boolean right = List.of("DURATION", "READ", "WRITTEN", "REJECTED").contains(column);
        if (right) {
            int from = line.lastIndexOf(' ', end - 1) + 1;
            return line.substring(from, end);
        }
        int to = line.indexOf(' ', start);
        String cell = line.substring(start, to < 0 ? line.length() : to);
        return column.equals("STARTED") ? line.substring(start, start + 19) : cell;
    }

    /** Each left-aligned cell starts where its header does; each right-aligned one ends where its header does. */
    private static void assertAligned(String header, List<String> rows) {
        for (String column : List.of("JOB", "STATUS", "STARTED")) {
            int start = header.indexOf(column);
            assertThat(rows)
                    .as(column)
                    .allSatisfy(row -> assertThat(row.charAt(start - 1) == ' ' && row.charAt(start) != ' ')
                            .isTrue());
        }
        for (String column : List.of("DURATION", "READ", "WRITTEN", "REJECTED")) {
            int end = header.indexOf(column) + column.length();
            assertThat(rows)
                    .as(column)
                    .allSatisfy(row -> assertThat(
                                    row.charAt(end - 1) != ' ' && (row.length() == end || row.charAt(end) == ' '))
                            .isTrue());
        }
    }

    private void times(long execution, String started, String ended) {
        jdbc.sql("UPDATE batch_job_execution SET start_time = ?, end_time = ? WHERE job_execution_id = ?")
                .param(LocalDateTime.parse(started))
                .param(LocalDateTime.parse(ended))
                .param(execution)
                .update();
    }

    private static JsonNode json(Cli.Result result) {
        return JSON.readTree(result.out());
    }
}
