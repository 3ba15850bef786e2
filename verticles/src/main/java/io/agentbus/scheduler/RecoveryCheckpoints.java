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
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Every scheduler's recovery marks, cluster-wide (Hazelcast IMap {@value #MAP}, one entry per node): written every
 * tasks.recovery-checkpoint-ms, claimed by exactly one survivor when its node is lost, deleted once that survivor
 * has taken over the node's tasks. A claim held by a node that is itself gone can be claimed again.
 */
final class RecoveryCheckpoints {

  static final String MAP = "agentbus.recovery";

  /** A lost node's marks, claimed by this node. */
  record Claimed(String node, Map<Integer, Long> marks) {
  }

  private final HazelcastInstance hazelcast;
  private final IMap<String, String> map;
  private final Context context;

  RecoveryCheckpoints(HazelcastInstance hazelcast, Context context) {
    this.hazelcast = hazelcast;
    this.map = hazelcast.getMap(MAP);
    this.context = context;
  }

  Future<Void> write(String node, Map<Integer, Long> marks) {
    ObjectNode value = Json.object().put("node", node).put("at", Instant.now().toString())
        .put("at_cluster_ms", hazelcast.getCluster().getClusterTime());
    ObjectNode m = value.putObject("marks");
    marks.forEach((p, o) -> m.put(Integer.toString(p), o));
    return Future.fromCompletionStage(map.setAsync(node, value.toString()), context);
  }

  /**
   * Claims the marks of {@code lostNode} for {@code me}; null when another live node holds them or there are none.
   *
   * @param liveNodes the node ids of the current cluster members (a claim by anyone else is void)
   */
  Future<Claimed> claim(String lostNode, String me, Set<String> liveNodes) {
    return Future.fromCompletionStage(map.submitToKey(lostNode, new Claim(me, Set.copyOf(liveNodes))), context)
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

  /** The lost node's tasks are all taken over: forget its marks. */
  Future<Void> release(String lostNode) {
    return Future.fromCompletionStage(map.removeAsync(lostNode), context).mapEmpty();
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
    try {
      JsonNode node = Json.MAPPER.readTree(json);
      Map<Integer, Long> marks = new HashMap<>();
      node.path("marks").fields().forEachRemaining(e -> marks.put(Integer.parseInt(e.getKey()), e.getValue().asLong()));
      return marks;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Marks the entry as being taken over by {@code claimant} unless a live node already does; returns it if so. */
  static final class Claim implements EntryProcessor<String, String, String> {
    private static final long serialVersionUID = 1L;
    private final String claimant;
    private final Set<String> liveNodes;

    Claim(String claimant, Set<String> liveNodes) {
      this.claimant = claimant;
      this.liveNodes = liveNodes;
    }

    @Override
    public String process(Map.Entry<String, String> entry) {
      String value = entry.getValue();
      if (value == null) {
        return null;
      }
      try {
        ObjectNode json = (ObjectNode) Json.MAPPER.readTree(value);
        String holder = json.path("adopting_by").asText(null);
        if (holder != null && (holder.equals(claimant) || liveNodes.contains(holder))) {
          return null;
        }
        json.put("adopting_by", claimant);
        entry.setValue(json.toString());
        return value;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
