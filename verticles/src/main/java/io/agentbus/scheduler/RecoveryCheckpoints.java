package io.agentbus.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import io.agentbus.api.Json;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Every scheduler's recovery marks, cluster-wide (Hazelcast IMap {@value #MAP}, one entry per node): renewed every
 * tasks.recovery-checkpoint-ms by its node, claimed by exactly one survivor once the node is lost and its checkpoint
 * is older than the owner lease, deleted once that survivor has taken over the node's tasks. The entry is also the
 * fence between a node and its adopters: nobody claims the entry of a live node or a fresh one, and a node does not
 * renew (and so loses its lease) while a live survivor holds a claim on it. A claim held by a node that is itself
 * gone can be claimed again.
 */
final class RecoveryCheckpoints {

  static final String MAP = "agentbus.recovery";

  /** A lost node's marks, claimed by this node. */
  record Claimed(String node, Map<Integer, Long> marks) {
  }

  /**
   * What a renewal found: {@code fencedBy} names the live node that is taking this node's tasks over (then nothing
   * was written); otherwise {@code previous} holds the marks the entry had before (when asked for and present).
   */
  record Renewal(String fencedBy, Map<Integer, Long> previous) implements Serializable {
  }

  private final HazelcastInstance hazelcast;
  private final IMap<String, String> map;
  private final Context context;

  RecoveryCheckpoints(HazelcastInstance hazelcast, Context context) {
    this.hazelcast = hazelcast;
    this.map = hazelcast.getMap(MAP);
    this.context = context;
  }

  /**
   * Writes {@code node}'s marks, stamped with the cluster time, unless a live node other than it holds a claim on
   * its entry. With {@code takeBack} the entry keeps the lower of its old and the new marks and the old ones are
   * returned: what an earlier run of this node, or this node before it lost its lease, left to take over.
   */
  Future<Renewal> renew(String node, Map<Integer, Long> marks, Set<String> liveNodes, boolean takeBack) {
    ObjectNode value = Json.object().put("node", node).put("at", Instant.now().toString())
        .put("at_cluster_ms", hazelcast.getCluster().getClusterTime());
    ObjectNode m = value.putObject("marks");
    marks.forEach((p, o) -> m.put(Integer.toString(p), o));
    return Future.fromCompletionStage(
        map.submitToKey(node, new Renew(value.toString(), node, Set.copyOf(liveNodes), takeBack)), context);
  }

  /**
   * Claims the marks of {@code lostNode} for {@code me}; null when there are none, when {@code lostNode} is live again,
   * when its checkpoint is younger than {@code minAgeMs} (it renewed: it still holds its tasks) or when another live
   * node holds them. Checked and marked in one step on the entry's owner.
   *
   * @param liveNodes the node ids of the current cluster members (a claim by anyone else is void)
   */
  Future<Claimed> claim(String lostNode, String me, Set<String> liveNodes, long minAgeMs) {
    Claim claim = new Claim(me, Set.copyOf(liveNodes), hazelcast.getCluster().getClusterTime(), minAgeMs);
    return Future.fromCompletionStage(map.submitToKey(lostNode, claim), context)
        .map(json -> json == null ? null : new Claimed(lostNode, parseMarks(json)));
  }

  /**
   * How long ago, in Hazelcast cluster time (synchronised across members), {@code node} last wrote its marks; null when
   * it has none.
   */
  Future<Long> age(String node) {
    return Future.fromCompletionStage(map.getAsync(node), context).map(json -> {
      if (json == null) {
        return null;
      }
      try {
        long at = Json.MAPPER.readTree(json).path("at_cluster_ms").asLong(0);
        return hazelcast.getCluster().getClusterTime() - at;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** The lost node's tasks are all taken over by {@code me}: forget its marks (unless someone else holds them now). */
  Future<Void> release(String lostNode, String me) {
    return Future.fromCompletionStage(map.submitToKey(lostNode, new Release(me)), context).mapEmpty();
  }

  /** Nodes with marks here that are not among {@code liveNodes}: lost while nobody was there to take over. */
  Future<Set<String>> orphans(Set<String> liveNodes) {
    return context.owner().executeBlocking(() -> {
      Set<String> orphans = new java.util.HashSet<>(map.keySet());
      orphans.removeAll(liveNodes);
      return orphans;
    });
  }

  private static Map<Integer, Long> parseMarks(String json) {
    return marksOf(read(json));
  }

  private static Map<Integer, Long> marksOf(JsonNode checkpoint) {
    Map<Integer, Long> marks = new HashMap<>();
    checkpoint.path("marks").fields()
        .forEachRemaining(e -> marks.put(Integer.parseInt(e.getKey()), e.getValue().asLong()));
    return marks;
  }

  private static ObjectNode read(String json) {
    try {
      return (ObjectNode) Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // the live node, other than `self`, that holds a claim on this checkpoint, or null
  private static String claimedByOther(JsonNode checkpoint, String self, Set<String> liveNodes) {
    String holder = checkpoint.path("adopting_by").asText(null);
    return holder != null && !holder.equals(self) && liveNodes.contains(holder) ? holder : null;
  }

  /** A node's own write of its checkpoint; refused while a live node holds a claim on it. */
  static final class Renew implements EntryProcessor<String, String, Renewal> {
    private static final long serialVersionUID = 1L;
    private final String value;
    private final String node;
    private final Set<String> liveNodes;
    private final boolean takeBack;

    Renew(String value, String node, Set<String> liveNodes, boolean takeBack) {
      this.value = value;
      this.node = node;
      this.liveNodes = liveNodes;
      this.takeBack = takeBack;
    }

    @Override
    public Renewal process(Map.Entry<String, String> entry) {
      String old = entry.getValue();
      ObjectNode oldJson = old == null ? null : read(old);
      if (oldJson != null) {
        String holder = claimedByOther(oldJson, node, liveNodes);
        if (holder != null) {
          return new Renewal(holder, null);
        }
      }
      if (!takeBack || oldJson == null) {
        entry.setValue(value);
        return new Renewal(null, null);
      }
      Map<Integer, Long> previous = marksOf(oldJson);
      ObjectNode json = read(value);
      ObjectNode marks = json.putObject("marks");
      RecoveryMarks.lowest(marksOf(read(value)), previous).forEach((p, o) -> marks.put(Integer.toString(p), o));
      entry.setValue(json.toString());
      return new Renewal(null, previous);
    }
  }

  /**
   * Marks the entry as being taken over by {@code claimant} and returns it, unless its node is live, it is fresher than
   * the minimum age, or another live node holds it already.
   */
  static final class Claim implements EntryProcessor<String, String, String> {
    private static final long serialVersionUID = 1L;
    private final String claimant;
    private final Set<String> liveNodes;
    private final long clusterNowMs;
    private final long minAgeMs;

    Claim(String claimant, Set<String> liveNodes, long clusterNowMs, long minAgeMs) {
      this.claimant = claimant;
      this.liveNodes = liveNodes;
      this.clusterNowMs = clusterNowMs;
      this.minAgeMs = minAgeMs;
    }

    @Override
    public String process(Map.Entry<String, String> entry) {
      String value = entry.getValue();
      if (value == null || liveNodes.contains(entry.getKey())) {
        return null;
      }
      ObjectNode json = read(value);
      if (claimedByOther(json, claimant, liveNodes) != null
          || clusterNowMs - json.path("at_cluster_ms").asLong(0) < minAgeMs) {
        return null;
      }
      json.put("adopting_by", claimant);
      entry.setValue(json.toString());
      return value;
    }
  }

  /** Deletes the entry if {@code claimant} still holds the claim on it. */
  static final class Release implements EntryProcessor<String, String, Boolean> {
    private static final long serialVersionUID = 1L;
    private final String claimant;

    Release(String claimant) {
      this.claimant = claimant;
    }

    @Override
    public Boolean process(Map.Entry<String, String> entry) {
      String value = entry.getValue();
      if (value == null || !claimant.equals(read(value).path("adopting_by").asText(null))) {
        return false;
      }
      entry.setValue(null);
      return true;
    }
  }
}
