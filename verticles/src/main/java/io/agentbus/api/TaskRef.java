package io.agentbus.api;

/** Names one task. */
public record TaskRef(String taskId) {
}
