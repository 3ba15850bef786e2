package io.agentbus.api;

import java.util.Map;
import java.util.Set;

/**
 * A live agent as the registry knows it.
 *
 * @param id       unique across the cluster
 * @param types    the agent types it serves (routing key of {@link SubmitTask#agentType()})
 * @param capacity how many tasks it runs at once; routing never assigns more
 * @param labels   free-form attributes
 * @param nodeId   the node the agent is connected to
 * @param inbox    where it receives {@link Assignment}s and {@link StopSignal}s
 */
public record AgentDescriptor(String id, Set<String> types, int capacity, Map<String, String> labels, String nodeId,
                              String inbox) {

  public AgentDescriptor {
    types = Set.copyOf(types);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
  }

  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean serves(String type) {
    return types.contains(type);
  }
}
