package io.agentbus.api;

/**
 * A tool's circuit breaker on one node.
 *
 * @param state    {@code closed} (calls pass), {@code open} (calls fail fast with {@link ErrorCode#TOOL_UNAVAILABLE})
 *                 or {@code half_open} (one trial call decides)
 * @param failures failures counted towards opening it
 */
public record ToolCircuit(String state, long failures) {
}
