package io.agentbus.gateway.grpc;

import io.agentbus.api.AgentDescriptor;
import io.agentbus.api.AgentLease;
import io.agentbus.config.NodeContext;
import io.agentbus.config.Setting;
import io.agentbus.grpc.v1.Lease;
import io.vertx.core.Vertx;

/** What every agent session of a gateway instance shares: settings, metrics, the session directory. */
final class SessionContext {

  private final Vertx vertx;
  private final String nodeId;
  private final GrpcMetrics metrics;
  private final SessionDirectory sessions;
  private final ProtoTasks protos;
  private final int maxMessageBytes;
  private final long sessionTimeoutMs;
  private final long keepaliveMs;
  private final long keepaliveTimeoutMs;
  private final long stopAckTimeoutMs;
  private final int maxInFlight;

  SessionContext(Vertx vertx, NodeContext node, GrpcMetrics metrics, SessionDirectory sessions, ProtoTasks protos) {
    this.vertx = vertx;
    this.nodeId = node.nodeId();
    this.metrics = metrics;
    this.sessions = sessions;
    this.protos = protos;
    this.maxMessageBytes = node.config().getInt(Setting.GRPC_MAX_MESSAGE_BYTES);
    this.sessionTimeoutMs = node.config().getLong(Setting.GRPC_AGENT_SESSION_TIMEOUT_MS);
    this.keepaliveMs = node.config().getLong(Setting.GRPC_KEEPALIVE_MS);
    this.keepaliveTimeoutMs = node.config().getLong(Setting.GRPC_KEEPALIVE_TIMEOUT_MS);
    this.stopAckTimeoutMs = node.config().getLong(Setting.TASKS_STOP_ACK_TIMEOUT_MS);
    this.maxInFlight = node.config().getInt(Setting.GRPC_AGENT_MAX_IN_FLIGHT);
  }

  /**
   * The lease an agent is told: the registry's terms (heartbeat interval, suspect and expiry times) bounded by this
   * gateway's session timeout, which ends a silent session even when the registry would keep the agent longer.
   */
  Lease lease(AgentDescriptor agent, AgentLease terms) {
    long interval = sessionTimeoutMs / 3;
    long suspect = sessionTimeoutMs;
    long expire = sessionTimeoutMs;
    if (terms != null) {
      interval = Math.min(interval, terms.heartbeatIntervalMs());
      suspect = Math.min(suspect, terms.suspectAfterMs());
      expire = Math.min(expire, terms.expireAfterMs());
    }
    return Lease.newBuilder().setAgentId(agent.id()).setNodeId(nodeId).setHeartbeatIntervalMs(Math.max(1, interval))
        .setSuspectAfterMs(suspect).setExpireAfterMs(expire).setMaxMessageBytes(maxMessageBytes).build();
  }

  Vertx vertx() {
    return vertx;
  }

  String nodeId() {
    return nodeId;
  }

  GrpcMetrics metrics() {
    return metrics;
  }

  SessionDirectory sessions() {
    return sessions;
  }

  ProtoTasks protos() {
    return protos;
  }

  int maxMessageBytes() {
    return maxMessageBytes;
  }

  long sessionTimeoutMs() {
    return sessionTimeoutMs;
  }

  long keepaliveMs() {
    return keepaliveMs;
  }

  long keepaliveTimeoutMs() {
    return keepaliveTimeoutMs;
  }

  long stopAckTimeoutMs() {
    return stopAckTimeoutMs;
  }

  int maxInFlight() {
    return maxInFlight;
  }
}
