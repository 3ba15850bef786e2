package io.agentbus.api;

/** Asks for recent tasks, newest first; null filters match everything. */
public record TaskQuery(TaskState state, String agentType, int limit) {
}
