package io.agentbus.membership;

import io.agentbus.api.AgentDescriptor;
import io.agentbus.api.AgentList;
import io.agentbus.api.AgentLoad;
import io.agentbus.api.AgentStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An immutable registry state: agents by id and their dispatched/completed counts. */
final class AgentRegistry {

  private final Map<String, AgentDescriptor> agents;
  private final Map<String, Long> dispatched;
  private final Map<String, Long> completed;

  private AgentRegistry(Map<String, AgentDescriptor> agents, Map<String, Long> dispatched, Map<String, Long> completed) {
    this.agents = agents;
    this.dispatched = dispatched;
    this.completed = completed;
  }

  static AgentRegistry empty() {
    return new AgentRegistry(Map.of(), Map.of(), Map.of());
  }

  AgentRegistry with(AgentDescriptor agent) {
    Map<String, AgentDescriptor> next = new LinkedHashMap<>(agents);
    next.put(agent.id(), agent);
    return new AgentRegistry(next, dispatched, completed);
  }

  AgentRegistry without(String agentId) {
    Map<String, AgentDescriptor> next = new LinkedHashMap<>(agents);
    next.remove(agentId);
    Map<String, Long> d = new LinkedHashMap<>(dispatched);
    Map<String, Long> c = new LinkedHashMap<>(completed);
    d.remove(agentId);
    c.remove(agentId);
    return new AgentRegistry(next, d, c);
  }

  AgentRegistry withLoad(AgentLoad load) {
    return new AgentRegistry(agents, add(dispatched, load.dispatched()), add(completed, load.completed()));
  }

  private Map<String, Long> add(Map<String, Long> base, Map<String, Long> increments) {
    Map<String, Long> next = new LinkedHashMap<>(base);
    increments.forEach((agent, n) -> {
      if (agents.containsKey(agent)) {
        next.merge(agent, n, Long::sum);
      }
    });
    return next;
  }

  AgentList view() {
    List<AgentStatus> list = new ArrayList<>();
    for (AgentDescriptor a : agents.values()) {
      list.add(new AgentStatus(a, dispatched.getOrDefault(a.id(), 0L), completed.getOrDefault(a.id(), 0L)));
    }
    list.sort(Comparator.comparing(s -> s.agent().id()));
    return new AgentList(list);
  }
}
