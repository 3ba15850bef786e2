package io.agentbus.api;

/**
 * A small summary of one node's replicated membership state (reply of {@link Addresses#MEMBERSHIP_SUMMARY}), for
 * {@code GET /v1/cluster} and for comparing nodes: two nodes with equal {@code stateHash} hold identical states.
 *
 * @param nodeId             the node
 * @param replicaId          the replica id its changes are made under: node id, '#', incarnation
 * @param agents             agents in its view
 * @param suspectAgents      of those, how many are suspect
 * @param replicasKnown      replica ids seen in the state, live or retired
 * @param replicasRetired    of those, how many are retired (their node left the cluster)
 * @param stateHash          a 64-bit hash of the whole replicated state (agents, dots, counters), as 16 hex digits
 * @param deltasSent         delta messages published
 * @param deltasReceived     delta messages received from other nodes
 * @param deltasDropped      delta messages not published because of the {@code membership.drop-outgoing-deltas} test
 *                           hook
 * @param deltaBytesSent     bytes of the published delta messages
 * @param deltaBytesReceived bytes of the received delta messages
 * @param antiEntropyRounds  anti-entropy rounds this node started that got an answer
 * @param itemsHealed        agents and counters that reached this node by anti-entropy or state transfer and changed
 *                           its state
 * @param lastFullSyncMs     how long the last state transfer at start-up took, -1 if none was made
 */
public record MembershipSummary(String nodeId, String replicaId, int agents, int suspectAgents, int replicasKnown,
                                int replicasRetired, String stateHash, long deltasSent, long deltasReceived,
                                long deltasDropped, long deltaBytesSent, long deltaBytesReceived,
                                long antiEntropyRounds, long itemsHealed, long lastFullSyncMs) {
}
