package io.agentbus.membership;

import io.agentbus.membership.crdt.GCounter;
import io.agentbus.membership.crdt.ReplicaId;
import java.util.Set;

/**
 * The load of one agent: grow-only counts of tasks dispatched to it and completed by it, per scheduler replica.
 * Immutable; a join of its two counters.
 */
record AgentCounters(GCounter dispatched, GCounter completed) {

  static final AgentCounters EMPTY = new AgentCounters(GCounter.empty(), GCounter.empty());

  AgentCounters merge(AgentCounters other) {
    return other == null ? this : new AgentCounters(dispatched.merge(other.dispatched), completed.merge(other.completed));
  }

  /** What a replica holding {@code remote} (null: nothing) lacks from this. */
  AgentCounters missingFor(AgentCounters remote) {
    return remote == null ? this
        : new AgentCounters(dispatched.missingFor(remote.dispatched), completed.missingFor(remote.completed));
  }

  boolean isEmpty() {
    return dispatched.isEmpty() && completed.isEmpty();
  }

  /** True if {@code replica} counted here and is not yet retired here. */
  boolean countsLive(ReplicaId replica) {
    return (dispatched.counts().containsKey(replica) && !dispatched.isRetired(replica))
        || (completed.counts().containsKey(replica) && !completed.isRetired(replica));
  }

  boolean isRetired(ReplicaId replica) {
    return dispatched.isRetired(replica) || completed.isRetired(replica);
  }

  AgentCounters prune(ReplicaId replica) {
    return new AgentCounters(dispatched.prune(replica).state(), completed.prune(replica).state());
  }

  /**
   * Tasks in flight from schedulers other than {@code self} that are not retired: per replica
   * {@code max(0, dispatched - completed)}, summed.
   */
  long inFlightExcept(ReplicaId self, Set<ReplicaId> retired) {
    long sum = 0;
    for (var e : dispatched.counts().entrySet()) {
      ReplicaId replica = e.getKey();
      if (!replica.equals(self) && !retired.contains(replica) && !dispatched.isRetired(replica)) {
        sum += Math.max(0, e.getValue() - completed.countOf(replica));
      }
    }
    return sum;
  }
}
