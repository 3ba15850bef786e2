package io.agentbus.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentbus.api.Json;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What a task is, independent of where it runs: written in full into its submitted event and into every adoption
 * event, so a survivor can take a task over from the log alone.
 */
record TaskSpec(String id, String agentType, JsonNode input, Map<String, String> metadata, long timeoutMs,
                Instant createdAt, String idempotencyKey, String traceparent) {

  TaskSpec {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    input = input == null ? NullNode.getInstance() : input;
  }

  /** The event data that carries this spec (plus whatever the caller adds). */
  ObjectNode toData() {
    ObjectNode data = Json.object().put("agent_type", agentType).put("timeout_ms", timeoutMs);
    data.set("input", input);
    data.set("metadata", Json.tree(metadata));
    data.put("created_at", createdAt.toString());
    if (idempotencyKey != null) {
      data.put("idempotency_key", idempotencyKey);
    }
    return data;
  }

  /** Reads a spec from a submitted or adoption event's data; null when the data does not carry one. */
  static TaskSpec fromData(String taskId, JsonNode data, Instant fallbackCreatedAt, String traceparent) {
    if (data == null || !data.hasNonNull("agent_type") || !data.has("timeout_ms")) {
      return null;
    }
    Map<String, String> metadata = new HashMap<>();
    data.path("metadata").fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
    Instant created = data.hasNonNull("created_at") ? Instant.parse(data.get("created_at").asText()) : fallbackCreatedAt;
    return new TaskSpec(taskId, data.get("agent_type").asText(), data.get("input"), metadata,
        data.get("timeout_ms").asLong(), created, data.path("idempotency_key").asText(null), traceparent);
  }
}
