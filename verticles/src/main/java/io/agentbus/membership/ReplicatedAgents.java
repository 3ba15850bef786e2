package io.agentbus.membership;

import io.agentbus.api.AgentStatus;
import io.agentbus.membership.crdt.GCounter;
import io.agentbus.membership.crdt.ORSet;
import io.agentbus.membership.crdt.ReplicaId;
import io.agentbus.membership.crdt.Update;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * This node's replica of the cluster's agents: an add-wins OR-Set of {@link AgentEntry}s and per-agent G-Counters of
 * dispatched and completed tasks, split into {@value #SHARDS} shards by agent id.
 *
 * <p>Why shards: the CRDT values are immutable, so a change costs time in proportion to the set it changes. A product
 * of small sets is still a CRDT (merge is per shard) and keeps every change, delta merge and anti-entropy comparison
 * proportional to one shard, about 100 agents at 100,000. Anti-entropy compares a hash per shard first and exchanges
 * digests only of the shards that differ.
 *
 * <p>Retirement: {@link #retire} undoes a replica's adds ({@code ORSet.removeReplica}) and prunes its counts
 * ({@code GCounter.prune}) in every shard that mentions it, and remembers the replica so that anything of it that
 * arrives later is retired on arrival. A retirement learned from a merged state is applied everywhere too.
 * Event-loop confined.
 */
final class ReplicatedAgents {

  /** Shards of the state; part of the wire protocol (every node must use the same number). */
  static final int SHARDS = 1024;

  private final Shard[] shards = new Shard[SHARDS];
  private final Set<ReplicaId> known = new HashSet<>();
  private final Set<ReplicaId> retired = new HashSet<>();
  private ReplicaId self;
  private boolean selfRetired;

  ReplicatedAgents(ReplicaId self) {
    this.self = self;
    known.add(self);
    for (int i = 0; i < SHARDS; i++) {
      shards[i] = new Shard();
    }
  }

  static int shardOf(String agentId) {
    return Math.floorMod(agentId.hashCode(), SHARDS);
  }

  ReplicaId self() {
    return self;
  }

  // ---- local changes: each records the delta to publish in changes ----

  /** Makes {@code entry} the only entry of its agent id: every entry of the id this replica knows is removed. */
  void put(AgentEntry entry, Changes changes) {
    int k = shardOf(entry.id());
    Shard shard = shards[k];
    ORSet<AgentEntry> set = shard.agents();
    ORSet<AgentEntry> delta = ORSet.empty();
    for (AgentEntry old : List.copyOf(shard.entriesOf(entry.id()))) {
      Update<ORSet<AgentEntry>> removal = set.remove(old);
      set = removal.state();
      delta = delta.merge(removal.delta());
    }
    Update<ORSet<AgentEntry>> add = set.add(self, entry);
    shard.setAgents(add.state(), changes);
    changes.delta(ShardPatch.ofAgents(k, delta.merge(add.delta())));
  }

  /** Removes the entries of {@code agentId} for which {@code which} holds. */
  void remove(String agentId, java.util.function.Predicate<AgentEntry> which, Changes changes) {
    int k = shardOf(agentId);
    Shard shard = shards[k];
    ORSet<AgentEntry> set = shard.agents();
    ORSet<AgentEntry> delta = ORSet.empty();
    for (AgentEntry old : List.copyOf(shard.entriesOf(agentId))) {
      if (which.test(old)) {
        Update<ORSet<AgentEntry>> removal = set.remove(old);
        set = removal.state();
        delta = delta.merge(removal.delta());
      }
    }
    shard.setAgents(set, changes);
    changes.delta(ShardPatch.ofAgents(k, delta));
  }

  /** Counts tasks dispatched to and completed by a present agent under this replica; an absent agent is ignored. */
  void count(String agentId, long dispatched, long completed, Changes changes) {
    int k = shardOf(agentId);
    Shard shard = shards[k];
    if (!shard.holds(agentId) || (dispatched <= 0 && completed <= 0)) {
      return;
    }
    AgentCounters current = shard.countersOf(agentId);
    Update<GCounter> d = current.dispatched().increment(self, Math.max(0, dispatched));
    Update<GCounter> c = current.completed().increment(self, Math.max(0, completed));
    shard.setCounters(agentId, new AgentCounters(d.state(), c.state()), changes);
    changes.delta(new ShardPatch(k, ORSet.empty(), Map.of(agentId, new AgentCounters(d.delta(), c.delta()))));
  }

  // ---- what other replicas sent ----

  /** Merges deltas, anti-entropy answers or transferred state; returns how many agents changed. */
  int merge(List<ShardPatch> patches, Changes changes) {
    int before = changes.agentIds().size();
    Set<ReplicaId> newlyRetired = new LinkedHashSet<>();
    for (ShardPatch patch : patches) {
      Shard shard = shards[patch.shard()];
      if (!patch.hasNoAgentState()) {
        ORSet<AgentEntry> incoming = patch.agents();
        for (ReplicaId r : incoming.context().replicas()) {
          learn(r, incoming.isRetired(r), newlyRetired);
        }
        ORSet<AgentEntry> merged = shard.agents().mergeDelta(incoming);
        for (ReplicaId r : incoming.context().replicas()) {
          if (retired.contains(r) && !merged.isRetired(r)) {
            merged = merged.removeReplica(r).state();
          }
        }
        shard.setAgents(merged, changes);
      }
      patch.counters().forEach((agentId, incoming) -> mergeCounters(shard, agentId, incoming, newlyRetired, changes));
    }
    for (ReplicaId r : newlyRetired) {
      retire(r, changes);
    }
    return changes.agentIds().size() - before;
  }

  private void mergeCounters(Shard shard, String agentId, AgentCounters incoming, Set<ReplicaId> newlyRetired,
                             Changes changes) {
    if (!shard.holds(agentId)) {
      return;
    }
    AgentCounters current = shard.countersOf(agentId);
    AgentCounters merged = current.merge(incoming);
    for (ReplicaId r : replicasOf(incoming)) {
      learn(r, incoming.isRetired(r), newlyRetired);
      if (retired.contains(r) && merged.countsLive(r)) {
        merged = merged.prune(r);
      }
    }
    if (!merged.equals(current)) {
      shard.setCounters(agentId, merged, changes);
    }
  }

  private static Set<ReplicaId> replicasOf(AgentCounters c) {
    Set<ReplicaId> replicas = new HashSet<>(c.dispatched().counts().keySet());
    replicas.addAll(c.completed().counts().keySet());
    replicas.addAll(c.dispatched().retiredReplicas());
    replicas.addAll(c.completed().retiredReplicas());
    return replicas;
  }

  private void learn(ReplicaId replica, boolean retiredThere, Set<ReplicaId> newlyRetired) {
    known.add(replica);
    if (retiredThere && !retired.contains(replica)) {
      newlyRetired.add(replica);
    }
  }

  /**
   * Retires a replica whose node has left for good: its adds are undone and its counts frozen in every shard that
   * mentions it, now and whenever more of it arrives. Idempotent.
   */
  void retire(ReplicaId replica, Changes changes) {
    retired.add(replica);
    known.add(replica);
    if (replica.equals(self)) {
      selfRetired = true;
    }
    for (Shard shard : shards) {
      ORSet<AgentEntry> set = shard.agents();
      if (set.context().replicas().contains(replica) && !set.isRetired(replica)) {
        shard.setAgents(set.removeReplica(replica).state(), changes);
      }
      for (Map.Entry<String, AgentCounters> e : new ArrayList<>(shard.counters().entrySet())) {
        if (e.getValue().countsLive(replica)) {
          shard.setCounters(e.getKey(), e.getValue().prune(replica), changes);
        }
      }
    }
  }

  /** True once another node retired this replica (it was taken for dead); see {@link #continueAs}. */
  boolean selfRetired() {
    return selfRetired;
  }

  /** Continues under a fresh replica id after this one was retired. */
  void continueAs(ReplicaId next) {
    self = next;
    known.add(next);
    selfRetired = false;
  }

  // ---- reading ----

  List<AgentEntry> entriesOf(String agentId) {
    return shards[shardOf(agentId)].entriesOf(agentId);
  }

  /** The entry every node shows for this id, or null if the agent is absent. */
  AgentEntry winner(String agentId) {
    List<AgentEntry> entries = entriesOf(agentId);
    if (entries.isEmpty()) {
      return null;
    }
    return entries.size() == 1 ? entries.get(0) : Collections.max(entries, AgentEntry.PRECEDENCE);
  }

  /** The agent as the view shows it, or null if absent. */
  AgentStatus status(String agentId) {
    AgentEntry winner = winner(agentId);
    if (winner == null) {
      return null;
    }
    AgentCounters c = shards[shardOf(agentId)].countersOf(agentId);
    return new AgentStatus(winner.agent(), c.dispatched().value(), c.completed().value(), winner.suspect(),
        c.inFlightExcept(self, retired));
  }

  /** The highest stamp of any entry of this id, 0 if none. */
  long latestStamp(String agentId) {
    long stamp = 0;
    for (AgentEntry e : entriesOf(agentId)) {
      stamp = Math.max(stamp, e.stamp());
    }
    return stamp;
  }

  // ---- anti-entropy ----

  long[] hashes() {
    long[] hashes = new long[SHARDS];
    for (int i = 0; i < SHARDS; i++) {
      hashes[i] = shards[i].hash();
    }
    return hashes;
  }

  /** One hash of the whole state: equal on nodes with identical states. */
  long stateHash() {
    Hash64 h = new Hash64();
    for (long shardHash : hashes()) {
      h.addLong(shardHash);
    }
    return h.value();
  }

  ShardDigest digest(int shard) {
    Shard s = shards[shard];
    return new ShardDigest(shard, s.agents().digest(), s.counters());
  }

  /** Exactly what a replica with this digest lacks of the shard. */
  ShardPatch missingFor(ShardDigest remote) {
    Shard s = shards[remote.shard()];
    Map<String, AgentCounters> counters = new HashMap<>();
    s.counters().forEach((id, mine) -> {
      AgentCounters lacking = mine.missingFor(remote.counters().get(id));
      if (!lacking.isEmpty()) {
        counters.put(id, lacking);
      }
    });
    return new ShardPatch(remote.shard(), s.agents().missingFor(remote.agents()), counters);
  }

  /** The whole shard, for a replica that has nothing of it. */
  ShardPatch whole(int shard) {
    Shard s = shards[shard];
    return new ShardPatch(shard, s.agents(), s.counters());
  }

  /** Replicas seen in the state, including this one and retired ones. */
  Set<ReplicaId> knownReplicas() {
    return Collections.unmodifiableSet(known);
  }

  Set<ReplicaId> retiredReplicas() {
    return Collections.unmodifiableSet(retired);
  }
}
