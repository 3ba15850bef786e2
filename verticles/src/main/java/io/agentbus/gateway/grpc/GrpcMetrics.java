package io.agentbus.gateway.grpc;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the gRPC ingress counts. Each gateway instance has its own; counters with the same name are shared in the
 * registry, the gauges carry the instance id as a tag.
 */
final class GrpcMetrics {

  /** The scheduler's counter of refused reports; the gateway adds the ones it refuses itself. */
  static final String FENCED = "agentbus.agent.reports.fenced";
  static final String STREAM_BUFFERED = "agentbus.grpc.stream.buffered";
  static final String STREAM_OVERFLOWS = "agentbus.grpc.stream.overflows";
  static final String SESSIONS = "agentbus.grpc.agent.sessions";
  static final String SESSION_PAUSES = "agentbus.grpc.agent.sessions.paused";
  static final String REPORTS_IN_FLIGHT = "agentbus.grpc.agent.reports.in_flight";

  private final Counter oversized;
  private final Counter invalid;
  private final Counter fenced;
  private final Counter streamStalls;
  private final Counter streamOverflows;
  private final Counter sessionsExpired;
  private final Counter stopsUnacknowledged;
  private final Counter sessionPauses;
  /** Task events held for slow Stream readers, on this instance. */
  final AtomicInteger buffered = new AtomicInteger();
  /** Open agent sessions on this instance. */
  final AtomicInteger sessions = new AtomicInteger();
  /** Reports of this instance's agent sessions on their way to a scheduler. */
  final AtomicInteger reportsInFlight = new AtomicInteger();

  GrpcMetrics(MeterRegistry registry, String instance) {
    oversized = Counter.builder("agentbus.grpc.messages.oversized")
        .description("gRPC messages refused with RESOURCE_EXHAUSTED for their size").register(registry);
    invalid = Counter.builder("agentbus.grpc.messages.invalid")
        .description("gRPC messages refused with INVALID_ARGUMENT because they did not decode").register(registry);
    fenced = Counter.builder(FENCED)
        .description("Agent reports and tool calls refused because their attempt was no longer current")
        .register(registry);
    streamStalls = Counter.builder("agentbus.grpc.stream.stalls")
        .description("Times a Stream call's client did not keep up and writes waited for it").register(registry);
    streamOverflows = Counter.builder(STREAM_OVERFLOWS)
        .description("Times a slow Stream reader's buffer filled; the events past it were fetched again once it caught up")
        .register(registry);
    sessionsExpired = Counter.builder("agentbus.grpc.agent.sessions.expired")
        .description("Agent sessions ended because the agent sent nothing for grpc.agent-session-timeout-ms")
        .register(registry);
    stopsUnacknowledged = Counter.builder("agentbus.grpc.agent.stops.unacknowledged")
        .description("Stops a remote agent did not acknowledge in time; its attempt was fenced").register(registry);
    sessionPauses = Counter.builder(SESSION_PAUSES)
        .description("Times an agent session stopped reading its agent: too many reports on their way, or the agent"
            + " not reading what is sent to it").register(registry);
    Gauge.builder(REPORTS_IN_FLIGHT, reportsInFlight, AtomicInteger::get).tag("instance", instance)
        .description("Agent reports on their way to a scheduler (at most grpc.agent-max-in-flight per session)")
        .register(registry);
    Gauge.builder(STREAM_BUFFERED, buffered, AtomicInteger::get).tag("instance", instance)
        .description("Task events held for slow Stream readers").register(registry);
    Gauge.builder(SESSIONS, sessions, AtomicInteger::get).tag("instance", instance)
        .description("Open agent sessions").register(registry);
  }

  void oversized() {
    oversized.increment();
  }

  void invalid() {
    invalid.increment();
  }

  void fenced() {
    fenced.increment();
  }

  void streamStalled() {
    streamStalls.increment();
  }

  void streamOverflow() {
    streamOverflows.increment();
  }

  void sessionExpired() {
    sessionsExpired.increment();
  }

  void stopUnacknowledged() {
    stopsUnacknowledged.increment();
  }

  void sessionPaused() {
    sessionPauses.increment();
  }
}
