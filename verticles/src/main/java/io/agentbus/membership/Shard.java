package io.agentbus.membership;

import io.agentbus.membership.crdt.GCounterCodec;
import io.agentbus.membership.crdt.ORSet;
import io.agentbus.membership.crdt.ORSetDigestCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One shard of the replicated agents: the agents whose id hashes here, as an OR-Set, an index of its entries by agent
 * id, the agents' counters, and a cached hash of it all. Counters are kept only for agents present in the set.
 * Event-loop confined.
 */
final class Shard {

  private ORSet<AgentEntry> agents = ORSet.empty();
  private final Map<String, List<AgentEntry>> byId = new HashMap<>();
  private final Map<String, AgentCounters> counters = new HashMap<>();
  private long hash;
  private boolean hashKnown = true;

  ORSet<AgentEntry> agents() {
    return agents;
  }

  List<AgentEntry> entriesOf(String agentId) {
    return byId.getOrDefault(agentId, List.of());
  }

  boolean holds(String agentId) {
    return byId.containsKey(agentId);
  }

  Map<String, AgentCounters> counters() {
    return counters;
  }

  AgentCounters countersOf(String agentId) {
    return counters.getOrDefault(agentId, AgentCounters.EMPTY);
  }

  /** Takes a new agent set; records which agent ids changed and drops the counters of agents no longer present. */
  void setAgents(ORSet<AgentEntry> next, Changes changes) {
    ORSet<AgentEntry> before = agents;
    if (next == before) {
      return;
    }
    agents = next;
    hashKnown = false;
    for (AgentEntry e : next.elements()) {
      if (!before.contains(e)) {
        byId.merge(e.id(), List.of(e), Shard::plus);
        changes.touched(e.id());
      }
    }
    if (before.isEmpty()) {
      return;
    }
    for (AgentEntry e : before.elements()) {
      if (!next.contains(e)) {
        List<AgentEntry> entries = byId.computeIfPresent(e.id(), (id, es) -> minus(es, e));
        if (entries == null) {
          counters.remove(e.id());
        }
        changes.touched(e.id());
      }
    }
  }

  // entry lists are immutable and almost always hold one entry
  private static List<AgentEntry> plus(List<AgentEntry> entries, List<AgentEntry> more) {
    List<AgentEntry> all = new ArrayList<>(entries);
    all.addAll(more);
    return List.copyOf(all);
  }

  private static List<AgentEntry> minus(List<AgentEntry> entries, AgentEntry gone) {
    List<AgentEntry> rest = entries.stream().filter(e -> !e.equals(gone)).toList();
    return rest.isEmpty() ? null : rest;
  }

  void setCounters(String agentId, AgentCounters next, Changes changes) {
    counters.put(agentId, next);
    hashKnown = false;
    changes.touched(agentId);
  }

  boolean isEmpty() {
    return agents.isEmpty() && agents.context().isEmpty() && counters.isEmpty();
  }

  /** 0 for an empty shard, else a non-zero hash of the set's digest and every counter, equal on equal states. */
  long hash() {
    if (!hashKnown) {
      hash = computeHash();
      hashKnown = true;
    }
    return hash;
  }

  private long computeHash() {
    if (isEmpty()) {
      return 0;
    }
    Hash64 h = new Hash64().add(ORSetDigestCodec.encode(agents.digest()));
    new TreeMap<>(counters).forEach((id, c) -> h.add(id.getBytes(StandardCharsets.UTF_8))
        .add(GCounterCodec.encode(c.dispatched())).add(GCounterCodec.encode(c.completed())));
    long v = h.value();
    return v == 0 ? 1 : v;
  }
}
