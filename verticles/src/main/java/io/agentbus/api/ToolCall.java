package io.agentbus.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A request to run one tool.
 *
 * @param callId    unique per call within the task; with {@code taskId} it names the call
 * @param timeoutMs at most this long, or null for the tool's own timeout
 */
public record ToolCall(String tool, JsonNode arguments, String taskId, String callId, Long timeoutMs) {
}
