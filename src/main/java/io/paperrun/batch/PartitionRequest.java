package io.paperrun.batch;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A partition to run, as it travels through the broker: {@code {"step":"order-sync-orders","step_execution_id":42}}
 * (JSON; Spring Batch's {@code StepExecutionRequest} is Java-serialized, which a worker must never read from a
 * queue).
 */
public record PartitionRequest(String step, long stepExecutionId) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public byte[] json() {
        return JSON.writeValueAsBytes(
                JSON.createObjectNode().put("step", step).put("step_execution_id", stepExecutionId));
    }

    /** The request in {@code body}; an {@link IllegalArgumentException} when it is not one. */
    public static PartitionRequest parse(byte[] body) {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not JSON");
        }
        if (node == null
                || !node.path("step").isString()
                || node.path("step").asString().isBlank()
                || !node.path("step_execution_id").canConvertToLong()
                || !node.path("step_execution_id").isIntegralNumber()) {
            throw new IllegalArgumentException("not a partition request (step, step_execution_id)");
        }
        return new PartitionRequest(
                node.get("step").asString(), node.get("step_execution_id").asLong());
    }
}
