package io.agentbus.observer;

import io.agentbus.api.AgentDescriptor;
import io.agentbus.api.AgentStatus;
import io.agentbus.api.AgentViewChange;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gauges of the agent registry: {@code agentbus_agents{agent_type}} (registered agents) and
 * {@code agentbus_agent_capacity{agent_type}} (their summed capacity), kept up to date from the view's changes.
 */
final class AgentGauges {

  private final MeterRegistry registry;
  private final Map<String, AgentDescriptor> agents = new HashMap<>();
  private final Map<String, AtomicLong> counts = new HashMap<>();
  private final Map<String, AtomicLong> capacity = new HashMap<>();

  AgentGauges(MeterRegistry registry) {
    this.registry = registry;
  }

  void update(AgentViewChange change) {
    if (change.full()) {
      agents.values().forEach(a -> count(a, -1));
      agents.clear();
    }
    for (AgentStatus s : change.upserts()) {
      AgentDescriptor before = agents.put(s.agent().id(), s.agent());
      if (before != null) {
        count(before, -1);
      }
      count(s.agent(), 1);
    }
    for (String id : change.removedAgentIds()) {
      AgentDescriptor before = agents.remove(id);
      if (before != null) {
        count(before, -1);
      }
    }
  }

  private void count(AgentDescriptor agent, int sign) {
    for (String type : agent.types()) {
      gauge(counts, "agentbus.agents", "Registered agents", type).addAndGet(sign);
      gauge(capacity, "agentbus.agent.capacity", "Summed capacity of registered agents", type)
          .addAndGet((long) sign * agent.capacity());
    }
  }

  private AtomicLong gauge(Map<String, AtomicLong> map, String name, String description, String type) {
    return map.computeIfAbsent(type, t -> {
      AtomicLong value = new AtomicLong();
      Gauge.builder(name, value, AtomicLong::get).description(description).tag("agent_type", t).register(registry);
      return value;
    });
  }
}
