package io.paperrun.cli;

import io.paperrun.batch.ExecutionHistory.Execution;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code paperrun executions --format json}: an array, newest first, of one object per execution with its
 * status, Spring Batch's exit code, the one-line exit message (null when it completed), its times (ISO-8601 UTC;
 * {@code ended} null while it runs) and duration in seconds (so far, while it runs), its main step's counts, its
 * parameters, and whether {@code paperrun restart} can take it on.
 */
final class ExecutionsJson {

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private ExecutionsJson() {}

    /** @param now when a running execution's duration ends, in the job repository's time (UTC) */
    static String of(List<Execution> executions, LocalDateTime now) {
        ArrayNode array = JSON.createArrayNode();
        for (Execution e : executions) {
            ObjectNode node = array.addObject();
            node.put("id", e.id());
            node.put("job", e.job());
            node.put("status", e.status());
            node.put("exit_code", e.exitCode());
            node.put("exit_message", e.exitMessage() == null || e.exitMessage().isEmpty() ? null : e.exitMessage());
            node.put("started", instant(e.started()));
            node.put("ended", instant(e.ended()));
            node.put(
                    "duration_seconds",
                    e.started() == null
                            ? null
                            : BigDecimal.valueOf(
                                    Duration.between(e.started(), e.ended() == null ? now : e.ended())
                                            .toMillis(),
                                    3));
            node.put("read", e.read());
            node.put("written", e.written());
            node.put("skipped", e.skipped());
            node.put("rejected", e.rejected());
            ObjectNode parameters = node.putObject("parameters");
            e.parameters().forEach(parameters::put);
            node.put("restartable", e.restartable());
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(array) + "\n";
    }

    /** {@code 2026-12-04T16:09:08.123Z}, to the millisecond; null for none. */
    private static String instant(LocalDateTime time) {
        return time == null
                ? null
                : time.truncatedTo(ChronoUnit.MILLIS)
                        .atOffset(ZoneOffset.UTC)
                        .toInstant()
                        .toString();
    }
}
