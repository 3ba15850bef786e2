package io.agentbus.observer;

import io.agentbus.api.LifecycleNotice;
import io.agentbus.api.TaskEventType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Task metrics from lifecycle events:
 * {@code agentbus_task_events_total{event, agent_type}} (every lifecycle event),
 * {@code agentbus_task_duration_seconds{state, agent_type}} (histogram, submit to terminal),
 * {@code agentbus_task_queue_seconds{agent_type}} (histogram, submit to first assignment),
 * {@code agentbus_tasks_in_flight{agent_type}} (accepted, not yet terminal). Confined to the observer's event loop.
 */
final class TaskMetrics {

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new HashMap<>();
  private final Map<String, Timer> durations = new HashMap<>();
  private final Map<String, Timer> queueTimes = new HashMap<>();
  private final Map<String, AtomicLong> inFlight = new HashMap<>();

  TaskMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void record(LifecycleNotice n) {
    String type = n.agentType();
    counters.computeIfAbsent(n.type().wireName() + "|" + type, k -> Counter.builder("agentbus.task.events")
        .description("Task lifecycle events by kind and agent type")
        .tag("event", n.type().wireName()).tag("agent_type", type).register(registry)).increment();
    if (n.type() == TaskEventType.SUBMITTED) {
      inFlight(type).incrementAndGet();
    } else if (n.type() == TaskEventType.ASSIGNED && n.attempt() == 1) {
      queueTimes.computeIfAbsent(type, t -> Timer.builder("agentbus.task.queue")
          .description("Time from acceptance to the first assignment")
          .tag("agent_type", t).publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(100_000))
          .maximumExpectedValue(Duration.ofMinutes(10)).register(registry))
          .record(Duration.between(n.createdAt(), n.at()));
    } else if (n.type().isTerminal()) {
      inFlight(type).decrementAndGet();
      String state = n.type().state().name();
      durations.computeIfAbsent(state + "|" + type, k -> Timer.builder("agentbus.task.duration")
          .description("Time from acceptance to the terminal state")
          .tag("state", state).tag("agent_type", type).publishPercentileHistogram()
          .minimumExpectedValue(Duration.ofNanos(100_000)).maximumExpectedValue(Duration.ofHours(1))
          .register(registry)).record(Duration.between(n.createdAt(), n.at()));
    }
  }

  private AtomicLong inFlight(String type) {
    return inFlight.computeIfAbsent(type, t -> {
      AtomicLong value = new AtomicLong();
      Gauge.builder("agentbus.tasks.in_flight", value, AtomicLong::get)
          .description("Tasks accepted and not yet terminal").tag("agent_type", t).register(registry);
      return value;
    });
  }
}
