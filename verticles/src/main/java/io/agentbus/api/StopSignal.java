package io.agentbus.api;

/** Sent to an agent's inbox: stop working on this attempt of the task. */
public record StopSignal(String taskId, int epoch, String reason) {
}
