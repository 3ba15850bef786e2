package io.agentbus.api;

/**
 * Subscribes {@code watcherAddress} to the events of a task after sequence number {@code afterSeq}
 * (0 for all of them).
 */
public record WatchTask(String taskId, long afterSeq, String watcherAddress) {
}
