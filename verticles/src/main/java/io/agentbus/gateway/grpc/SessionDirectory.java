package io.agentbus.gateway.grpc;

import io.agentbus.api.Assignment;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent sessions of one node's gateway, by agent id, across its gRPC gateway instances (event loops). A session
 * that registers an id another session holds takes it over: the older one ends first (its inbox gone), so one inbox
 * consumer serves an agent at any time, and hands the new one the attempts it was running. Thread-safe.
 */
public final class SessionDirectory {

  private final ConcurrentHashMap<String, AgentSession> byAgentId = new ConcurrentHashMap<>();

  /**
   * Makes {@code session} the holder of {@code agentId}; completes on {@code mine} once an older holder ended, with
   * the assignments the older one was still running (the new holder gives them back to their schedulers).
   */
  Future<List<Assignment>> claim(String agentId, AgentSession session, Context mine) {
    AgentSession older = byAgentId.put(agentId, session);
    if (older == null || older == session) {
      return Future.succeededFuture(List.of());
    }
    Promise<List<Assignment>> ended = Promise.promise();
    older.context().runOnContext(v -> older.takenOver().onComplete(ar -> mine.runOnContext(
        x -> ended.complete(ar.succeeded() ? ar.result() : List.of()))));
    return ended.future();
  }

  /** Gives {@code agentId} up if {@code session} still holds it; true if it did. */
  boolean release(String agentId, AgentSession session) {
    return byAgentId.remove(agentId, session);
  }

  /** Whether a session holds {@code agentId} now. */
  boolean isHeld(String agentId) {
    return byAgentId.containsKey(agentId);
  }

  /** Open sessions holding an agent id. */
  public int size() {
    return byAgentId.size();
  }
}
