package io.agentbus.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One event of one task. {@code seq} starts at 1 with the submitted event and grows by one per event of that task,
 * so a reader can tell exactly which events it has missed.
 */
public record TaskEvent(String taskId, long seq, TaskEventType type, Instant time, JsonNode data) {
}
