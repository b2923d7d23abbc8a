package io.paperrun.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.paperrun.support.DatabaseTest;
import io.paperrun.support.PaperRunProcess;
import io.paperrun.support.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The logs on request ({@code PAPERRUN_LOG_FORMAT}): one JSON object a line in Spring Boot's structured formats,
 * each event of a job naming the job, the step and their executions; text lines otherwise.
 */
class StructuredLogsTest extends DatabaseTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // format,  timestamp,   level,      logger,       message
        "ecs,       @timestamp,  log.level,  log.logger,   message",
        "logstash,  @timestamp,  level,      logger_name,  message"
    })
    void eachLineIsAJsonObjectAndTheJobsEventsNameTheJobTheStepAndTheirExecutions(
            String format, String timestamp, String level, String logger, String message) throws Exception {
        applySample();
        importSampleRecipients();

        PaperRunProcess.Exit exit = paperrun(Map.of("PAPERRUN_LOG_FORMAT", format), "run", "address-enrichment");

        assertThat(exit.code()).as(exit.err()).isZero();
        long execution = lastExecutionId();
        List<JsonNode> lines = exit.err().lines().map(JSON::readTree).toList();
        assertThat(lines).isNotEmpty().allSatisfy(line -> {
            assertThat(field(line, timestamp)).isNotBlank();
            assertThat(field(line, level)).isNotBlank();
            assertThat(field(line, logger)).isNotBlank();
            assertThat(field(line, message)).isNotBlank();
        });
        List<JsonNode> enriched = lines.stream()
                .filter(line -> field(line, logger).equals("io.paperrun.enrichment.AddressEnrichmentWriter"))
                .toList();
        assertThat(enriched).isNotEmpty().allSatisfy(line -> {
            assertThat(field(line, level)).isEqualTo("INFO");
            assertThat(field(line, message)).startsWith("acme: addresses enriched: ");
            assertThat(field(line, "job")).isEqualTo("address-enrichment");
            assertThat(field(line, "job_execution_id")).isEqualTo(Long.toString(execution));
            String step = field(line, "step");
            assertThat(step).startsWith("address-enrichment-enrich:partition");
            assertThat(field(line, "step_execution_id")).isEqualTo(Long.toString(stepExecutionId(execution, step)));
        });
    }

    @Test
    void withoutAFormatTheLogsAreLinesOfText() throws Exception {
        applySample();
        importSampleRecipients();

        PaperRunProcess.Exit exit = paperrun(Map.of(), "run", "address-enrichment");

        assertThat(exit.code()).as(exit.err()).isZero();
        assertThat(exit.err().lines().toList())
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line)
                        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO  AddressEnrichmentWriter: "
                                + "acme: addresses enriched: .*"));
    }

    @Test
    void anEventLoggedBeforeTheApplicationStartsIsStructuredToo() {
        LoggerContext context = new LoggerContext();
        StructuredLogs encoder = new StructuredLogs();
        encoder.setContext(context);
        encoder.setFormat("ecs");
        encoder.start();
        LoggingEvent event = new LoggingEvent(
                getClass().getName(),
                context.getLogger("io.paperrun.database.EmbeddedDatabase"),
                Level.WARN,
                "data directory {} is new",
                null,
                new Object[] {"/tmp/data"});
        event.setMDCPropertyMap(Map.of("job", "order-sync"));

        JsonNode line = JSON.readTree(new String(encoder.encode(event), StandardCharsets.UTF_8));

        assertThat(field(line, "message")).isEqualTo("data directory /tmp/data is new");
        assertThat(field(line, "log.level")).isEqualTo("WARN");
        assertThat(field(line, "service.name")).isEqualTo("paperrun");
        assertThat(field(line, "job")).isEqualTo("order-sync");
    }

    /** A field by its dotted path ({@code log.level} is {@code {"log":{"level":...}}}), or "" when absent. */
    private static String field(JsonNode line, String path) {
        JsonNode node = line;
        for (String name : path.startsWith("@") ? new String[] {path} : path.split("\\.")) {
            node = node == null ? null : node.get(name);
        }
        return node == null || node.isNull() ? "" : node.asString();
    }

    private long stepExecutionId(long jobExecution, String step) {
        return jdbc.sql(
                        "SELECT step_execution_id FROM batch_step_execution WHERE job_execution_id = ? AND step_name = ?")
                .params(jobExecution, step)
                .query(Long.class)
                .single();
    }

    private PaperRunProcess.Exit paperrun(Map<String, String> env, String... args) throws Exception {
        Map<String, String> all = new HashMap<>(env);
        all.put("SPRING_DATASOURCE_URL", TestDatabase.jdbcUrl());
        all.put("SPRING_DATASOURCE_USERNAME", "postgres");
        all.put("PAPERRUN_DATA_DIR", dir.resolve("data").toString());
        all.put("PAPERRUN_LOG_LEVEL", "INFO");
        return PaperRunProcess.run(dir, all, List.of(), args);
    }
}
