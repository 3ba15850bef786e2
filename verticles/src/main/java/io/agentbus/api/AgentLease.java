package io.agentbus.api;

/**
 * The reply to a registration ({@link Addresses#MEMBERSHIP_REGISTER}): the agent as registered and the terms of its
 * lease. The agent must send a heartbeat ({@link Addresses#MEMBERSHIP_HEARTBEAT}) every {@code heartbeatIntervalMs};
 * after {@code suspectAfterMs} without one it is marked suspect, after {@code expireAfterMs} it is removed.
 *
 * @param agent               the registered descriptor (its home node set to the node that took the registration)
 * @param heartbeatIntervalMs how often to send a heartbeat: a third of {@code suspectAfterMs}
 * @param suspectAfterMs      silence after which the agent is suspect
 * @param expireAfterMs       silence after which the agent is removed
 */
public record AgentLease(AgentDescriptor agent, long heartbeatIntervalMs, long suspectAfterMs, long expireAfterMs) {
}
