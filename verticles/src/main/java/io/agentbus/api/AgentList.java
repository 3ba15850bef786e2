package io.agentbus.api;

import java.util.List;

/** Every agent a node knows, with load. */
public record AgentList(List<AgentStatus> agents) {

  public AgentList {
    agents = List.copyOf(agents);
  }
}
