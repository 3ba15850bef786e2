package io.agentbus.api;

import java.util.Map;

/** Increments of tasks dispatched to and completed by agents, keyed by agent id. */
public record AgentLoad(Map<String, Long> dispatched, Map<String, Long> completed) {

  public AgentLoad {
    dispatched = Map.copyOf(dispatched);
    completed = Map.copyOf(completed);
  }
}
