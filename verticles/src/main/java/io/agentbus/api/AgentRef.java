package io.agentbus.api;

/** Names one agent. */
public record AgentRef(String agentId) {
}
