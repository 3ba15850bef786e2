package io.agentbus.api;

/**
 * An agent with its load as one node's replicated view sees it.
 *
 * @param agent             the descriptor that won for this agent id
 * @param dispatched        tasks dispatched to it, summed over every scheduler in the cluster
 * @param completed         tasks it ended (any way), summed over every scheduler in the cluster
 * @param suspect           its home node has missed its heartbeats for {@code membership.agent-suspect-ms}; it is
 *                          removed if they stay away until {@code membership.agent-ttl-ms}
 * @param inFlightElsewhere tasks in flight on it from the schedulers of other live nodes: the sum over replicas other
 *                          than this node's own (and other than retired ones) of {@code dispatched - completed}, each
 *                          term at least 0; the local scheduler adds its own exact count
 */
public record AgentStatus(AgentDescriptor agent, long dispatched, long completed, boolean suspect,
                          long inFlightElsewhere) {

  /** {@code dispatched - completed}, cluster-wide (as far as this node has heard). */
  @com.fasterxml.jackson.annotation.JsonProperty("in_flight")
  public long inFlight() {
    return dispatched - completed;
  }
}
