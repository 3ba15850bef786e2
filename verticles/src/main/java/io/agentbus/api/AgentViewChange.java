package io.agentbus.api;

import java.util.List;

/**
 * A change of a node's agent view, published node-locally on {@link Addresses#MEMBERSHIP_VIEW}.
 *
 * <p>Receivers apply {@code upserts} (replace the agent with that id, or add it) and then {@code removedAgentIds}. An
 * id appears in at most one of the two lists. When {@code full} is true, {@code upserts} holds every agent of the view
 * and {@code removedAgentIds} is empty: receivers replace their whole map. Changes of descriptors and suspect flags
 * are published at once; changes of load alone are coalesced and carry only the agents whose counts changed.
 *
 * @param upserts         the current status of each agent that appeared or changed
 * @param removedAgentIds agents that are gone from the view
 * @param full            true if this is the whole view
 */
public record AgentViewChange(List<AgentStatus> upserts, List<String> removedAgentIds, boolean full) {

  public AgentViewChange {
    upserts = List.copyOf(upserts);
    removedAgentIds = List.copyOf(removedAgentIds);
  }

  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isEmpty() {
    return !full && upserts.isEmpty() && removedAgentIds.isEmpty();
  }
}
