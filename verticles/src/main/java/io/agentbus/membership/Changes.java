package io.agentbus.membership;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one operation on the replicated agents changed: the agent ids whose status must be recomputed and, for local
 * changes, the deltas to publish (joined per shard). Event-loop confined, short-lived.
 */
final class Changes {

  private final Set<String> agentIds = new HashSet<>();
  private final Map<Integer, ShardPatch> deltas = new TreeMap<>();

  void touched(String agentId) {
    agentIds.add(agentId);
  }

  void delta(ShardPatch patch) {
    if (!patch.isEmpty()) {
      deltas.merge(patch.shard(), patch, ShardPatch::merge);
    }
  }

  Set<String> agentIds() {
    return agentIds;
  }

  List<ShardPatch> deltas() {
    return new ArrayList<>(deltas.values());
  }
}
