package io.agentbus.toolexecutor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.circuitbreaker.CircuitBreakerState;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The executor's meters: calls by tool and outcome, call duration by tool, calls running by tool (a call counts as
 * running until the tool's own future completes, even after the caller was told it timed out), circuit-breaker state
 * and bulkhead queue by tool, intents by how the ledger resolved them, dead letters by reason, the intent consumer's
 * lag, and the time from an intent to its observation.
 */
final class ToolMetrics {

  static final String CALLS = "agentbus.tool.calls";
  static final String DURATION = "agentbus.tool.call.duration";
  static final String RUNNING = "agentbus.tool.calls.running";
  static final String QUEUED = "agentbus.tool.calls.queued";
  static final String CIRCUIT_STATE = "agentbus.tool.circuit.state";
  static final String CIRCUIT_OPENED = "agentbus.tool.circuit.opened";
  static final String INTENTS = "agentbus.tool.intents";
  static final String DEAD_LETTERS = "agentbus.tool.dead.letters";
  static final String CONSUMER_LAG = "agentbus.tool.intent.consumer.lag";
  static final String ROUND_TRIP = "agentbus.tool.intent.round.trip";
  /** The {@code tool} tag of calls naming no registered tool; not a valid tool name, so it cannot collide. */
  static final String UNKNOWN_TOOL_TAG = "(unknown)";

  /** How the ledger resolved an intent, the {@code resolution} tag of {@link #INTENTS}. */
  enum Resolution {
    EXECUTED("executed"), DUPLICATE("duplicate"), RETRIED_AFTER_CRASH("retried_after_crash"), IN_DOUBT("in_doubt"),
    CONFLICT("conflict"), REJECTED("rejected");

    private final String tag;

    Resolution(String tag) {
      this.tag = tag;
    }
  }

  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
  private final AtomicLong lag = new AtomicLong();

  ToolMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder(CONSUMER_LAG, lag, AtomicLong::get)
        .description("Intents in the partitions this node consumes that are not yet committed (end offset - committed)")
        .register(registry);
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

  /** Registers the breaker-state and queue gauges of a tool. */
  void watch(RegisteredTool tool) {
    Gauge.builder(CIRCUIT_STATE, tool, t -> circuitValue(t.breaker().state()))
        .description("Circuit breaker of a tool on this node: 0 closed, 1 half-open, 2 open")
        .tag("tool", tool.name()).strongReference(true).register(registry);
    Gauge.builder(QUEUED, tool, t -> t.bulkhead().queued())
        .description("Calls waiting for a free slot of the tool's bulkhead")
        .tag("tool", tool.name()).strongReference(true).register(registry);
    Counter opened = Counter.builder(CIRCUIT_OPENED).description("Times a tool's circuit breaker opened")
        .tag("tool", tool.name()).register(registry);
    tool.breaker().openHandler(v -> opened.increment());
  }

  void intent(Resolution resolution) {
    Counter.builder(INTENTS).description("Intents consumed, by how the idempotency ledger resolved them")
        .tag("resolution", resolution.tag).register(registry).increment();
  }

  void deadLetter(String reason) {
    Counter.builder(DEAD_LETTERS).description("Records of the intent topic sent to the dead-letter topic, by reason")
        .tag("reason", reason).register(registry).increment();
  }

  void lag(long value) {
    lag.set(value);
  }

  void roundTrip(long elapsedNanos) {
    Timer.builder(ROUND_TRIP).description("Time from a call's intent being sent to its observation reaching the caller")
        .publishPercentileHistogram().register(registry).record(elapsedNanos, TimeUnit.NANOSECONDS);
  }

  static int circuitValue(CircuitBreakerState state) {
    return switch (state) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    };
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
