package io.agentbus.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;

/**
 * What a client sees of a task. {@code result} is set once SUCCEEDED, {@code error} once FAILED, CANCELLED or
 * TIMED_OUT. {@code lastSeq} is the sequence number of the task's newest event.
 */
public record TaskView(String id, String agentType, TaskState state, JsonNode input, JsonNode result,
                       TaskError error, Map<String, String> metadata, long timeoutMs, Instant createdAt,
                       Instant updatedAt, int attempt, String agentId, long lastSeq, String ownerNode) {

  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isTerminal() {
    return state.isTerminal();
  }
}
