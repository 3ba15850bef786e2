package io.agentbus.api;

/** Asks for recent tasks, newest first; null filters match everything (tenant: only that tenant's tasks). */
public record TaskQuery(TaskState state, String agentType, int limit, String tenant) {
}
