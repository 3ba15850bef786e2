package io.agentbus.observer;

import io.agentbus.api.AgentList;
import io.agentbus.api.AgentStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gauges of the agent registry: {@code agentbus_agents{agent_type}} (registered agents) and
 * {@code agentbus_agent_capacity{agent_type}} (their summed capacity).
 */
final class AgentGauges {

  private final MeterRegistry registry;
  private final Map<String, AtomicLong> counts = new HashMap<>();
  private final Map<String, AtomicLong> capacity = new HashMap<>();

  AgentGauges(MeterRegistry registry) {
    this.registry = registry;
  }

  void update(AgentList view) {
    counts.values().forEach(v -> v.set(0));
    capacity.values().forEach(v -> v.set(0));
    for (AgentStatus s : view.agents()) {
      for (String type : s.agent().types()) {
        gauge(counts, "agentbus.agents", "Registered agents", type).incrementAndGet();
        gauge(capacity, "agentbus.agent.capacity", "Summed capacity of registered agents", type)
            .addAndGet(s.agent().capacity());
      }
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
