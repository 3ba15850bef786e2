package io.agentbus.api;

/** Asks for a task to be cancelled; its agent is told to stop with {@code reason}. */
public record CancelTask(String taskId, String reason) {
}
