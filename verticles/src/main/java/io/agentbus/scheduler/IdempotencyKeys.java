package io.agentbus.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import io.agentbus.api.Json;
import io.agentbus.api.SubmitTask;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Idempotency-Key claims, cluster-wide (Hazelcast IMap {@value #MAP}, atomic put-if-absent by entry processor,
 * entries expire after tasks.idempotency-ttl-ms): the first submit with a key claims it for its task id and request
 * fingerprint; a repeat learns the task it must return, or that the key was used for a different request.
 */
final class IdempotencyKeys {

  static final String MAP = "agentbus.idempotency";

  /** What a claim found: null {@code existingTaskId} means the key is now ours. */
  record Claim(String existingTaskId, long claimedAtMs, String existingFingerprint) {
    boolean won() {
      return existingTaskId == null;
    }
  }

  private final IMap<String, String> map;
  private final Context context;

  IdempotencyKeys(HazelcastInstance hazelcast, Context context) {
    this.map = hazelcast.getMap(MAP);
    this.context = context;
  }

  Future<Claim> claim(String key, String fingerprint, String taskId) {
    String value = taskId + " " + System.currentTimeMillis() + " " + fingerprint;
    return Future.fromCompletionStage(map.submitToKey(key, new PutIfAbsent(value)), context)
        .map(existing -> {
          if (existing == null) {
            return new Claim(null, 0, null);
          }
          String[] parts = existing.split(" ", 3);
          return new Claim(parts[0], Long.parseLong(parts[1]), parts[2]);
        });
  }

  /** Gives the key up again (the task it was claimed for was not accepted). */
  Future<Void> release(String key) {
    return Future.fromCompletionStage(map.removeAsync(key), context).mapEmpty();
  }

  /** A digest of what makes two submits the same request: agent type, input, timeout and metadata. */
  static String fingerprint(SubmitTask submit) {
    ObjectNode n = Json.object();
    n.put("agent_type", submit.agentType());
    n.set("input", canonical(submit.input()));
    if (submit.timeoutMs() != null) {
      n.put("timeout_ms", submit.timeoutMs());
    }
    if (submit.sessionId() != null) {
      n.put("session_id", submit.sessionId()).put("on_busy", submit.onBusy().wireName());
    }
    ObjectNode meta = n.putObject("metadata");
    submit.metadata().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> meta.put(e.getKey(), e.getValue()));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(Json.toString(n).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // objects with their keys sorted, so key order does not change the fingerprint
  private static JsonNode canonical(JsonNode node) {
    if (node == null) {
      return null;
    }
    if (node.isObject()) {
      ObjectNode sorted = Json.object();
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      names.forEach(name -> sorted.set(name, canonical(node.get(name))));
      return sorted;
    }
    if (node.isArray()) {
      var array = Json.MAPPER.createArrayNode();
      node.forEach(item -> array.add(canonical(item)));
      return array;
    }
    return node;
  }

  /** Sets the value if the key has none; returns the value that was there (null when this call set it). */
  static final class PutIfAbsent implements EntryProcessor<String, String, String> {
    private static final long serialVersionUID = 1L;
    private final String value;

    PutIfAbsent(String value) {
      this.value = value;
    }

    @Override
    public String process(Map.Entry<String, String> entry) {
      String existing = entry.getValue();
      if (existing == null) {
        entry.setValue(value);
      }
      return existing;
    }
  }
}
