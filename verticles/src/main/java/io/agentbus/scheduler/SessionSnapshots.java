package io.agentbus.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.map.IMap;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.Json;
import io.agentbus.api.SessionSnapshot;
import io.agentbus.api.Tenants;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Session snapshots, cluster-wide (Hazelcast IMap {@value #MAP}, JSON {@link SessionSnapshot} per session, keyed by
 * the session id scoped to its tenant, so two tenants choosing the same id never see each other's state). A
 * save is an optimistic compare-and-set on the version, done atomically on the entry's partition owner; each save
 * restarts the entry's time to live (sessions.retention-ms).
 */
final class SessionSnapshots {

  static final String MAP = "agentbus.sessions";

  private final IMap<String, String> map;
  private final Context context;
  private final int maxStateBytes;
  private final long retentionMs;

  SessionSnapshots(HazelcastInstance hazelcast, Context context, int maxStateBytes, long retentionMs) {
    this.map = hazelcast.getMap(MAP);
    this.context = context;
    this.maxStateBytes = maxStateBytes;
    this.retentionMs = retentionMs;
  }

  /**
   * Saves {@code state} as the next version if the session is at {@code expectedVersion} now (0: no snapshot yet).
   * Fails with SESSION_VERSION_CONFLICT naming the current version otherwise, SESSION_STATE_TOO_LARGE when the state
   * exceeds sessions.max-state-bytes.
   */
  Future<SessionSnapshot> save(String tenant, String sessionId, long expectedVersion, JsonNode state) {
    String stateJson = Json.toString(state == null ? Json.MAPPER.nullNode() : state);
    int size = stateJson.getBytes(StandardCharsets.UTF_8).length;
    if (size > maxStateBytes) {
      return Future.failedFuture(new AgentbusException(ErrorCode.SESSION_STATE_TOO_LARGE,
          "the snapshot state has " + size + " bytes; at most " + maxStateBytes + " are allowed"));
    }
    if (expectedVersion < 0) {
      return Future.failedFuture(new AgentbusException(ErrorCode.INVALID_REQUEST, "expected_version must be >= 0"));
    }
    SessionSnapshot next = new SessionSnapshot(sessionId, expectedVersion + 1, state, System.currentTimeMillis());
    return Future.fromCompletionStage(map.submitToKey(Tenants.scoped(tenant, sessionId),
            new CompareAndSet(expectedVersion, Json.toString(next), retentionMs)), context)
        .compose(current -> {
          if (current == expectedVersion) {
            return Future.succeededFuture(next);
          }
          return Future.failedFuture(new AgentbusException(ErrorCode.SESSION_VERSION_CONFLICT, "session " + sessionId
              + " is at version " + current + ", not " + expectedVersion + "; load it again and retry"));
        });
  }

  /** The session's snapshot, or null when it has none (never saved, or expired). */
  Future<SessionSnapshot> load(String tenant, String sessionId) {
    return Future.fromCompletionStage(map.getAsync(Tenants.scoped(tenant, sessionId)), context)
        .map(json -> json == null ? null : Json.fromString(json, SessionSnapshot.class));
  }

  /** Writes the new value when the stored version is the expected one; returns the version found before. */
  static final class CompareAndSet implements EntryProcessor<String, String, Long>, Serializable {
    private static final long serialVersionUID = 1L;
    private final long expected;
    private final String value;
    private final long ttlMs;

    CompareAndSet(long expected, String value, long ttlMs) {
      this.expected = expected;
      this.value = value;
      this.ttlMs = ttlMs;
    }

    @Override
    public Long process(Map.Entry<String, String> entry) {
      String existing = entry.getValue();
      long current = existing == null ? 0 : Json.fromString(existing, SessionSnapshot.class).version();
      if (current == expected) {
        ((ExtendedMapEntry<String, String>) entry).setValue(value, ttlMs, TimeUnit.MILLISECONDS);
      }
      return current;
    }
  }
}
