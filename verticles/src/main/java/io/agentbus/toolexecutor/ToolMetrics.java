package io.agentbus.toolexecutor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor's meters: calls by tool and outcome, call duration by tool, and calls running by tool (a call counts
 * as running until the tool's own future completes, even after the caller was told it timed out).
 */
final class ToolMetrics {

  static final String CALLS = "agentbus.tool.calls";
  static final String DURATION = "agentbus.tool.call.duration";
  static final String RUNNING = "agentbus.tool.calls.running";
  /** The {@code tool} tag of calls naming no registered tool; not a valid tool name, so it cannot collide. */
  static final String UNKNOWN_TOOL_TAG = "(unknown)";

  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();

  ToolMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void record(String tool, CallOutcome outcome, long elapsedNanos) {
    Counter.builder(CALLS).description("Tool calls by tool and outcome")
        .tag("tool", tool).tag("outcome", outcome.tag())
        .register(registry).increment();
    if (outcome != CallOutcome.UNKNOWN_TOOL) {
      Timer.builder(DURATION).description("Time from receiving a tool call to replying")
          .tag("tool", tool)
          .register(registry).record(elapsedNanos, TimeUnit.NANOSECONDS);
    }
  }

  void started(String tool) {
    runningCount(tool).incrementAndGet();
  }

  void finished(String tool) {
    runningCount(tool).decrementAndGet();
  }

  private AtomicInteger runningCount(String tool) {
    return running.computeIfAbsent(tool, name -> {
      AtomicInteger count = new AtomicInteger();
      Gauge.builder(RUNNING, count, AtomicInteger::get).description("Tool calls whose tool has not finished yet")
          .tag("tool", name).register(registry);
      return count;
    });
  }
}
