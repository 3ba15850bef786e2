package io.agentbus.api;

import com.fasterxml.jackson.databind.JsonNode;

/** How a tool call ended: {@code result} when ok, {@code error} otherwise. */
public record ToolOutcome(String callId, String tool, boolean ok, JsonNode result, TaskError error, long durationMs) {

  public static ToolOutcome success(String callId, String tool, JsonNode result, long durationMs) {
    return new ToolOutcome(callId, tool, true, result, null, durationMs);
  }

  public static ToolOutcome failure(String callId, String tool, TaskError error, long durationMs) {
    return new ToolOutcome(callId, tool, false, null, error, durationMs);
  }
}
