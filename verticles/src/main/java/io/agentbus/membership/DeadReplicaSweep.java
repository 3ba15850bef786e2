package io.agentbus.membership;

import io.agentbus.membership.crdt.ReplicaId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds replicas whose member is not in the cluster although no removal was seen here: a node that left before this
 * one joined, or while its listener was not yet registered. A replica counts as dead only when two consecutive sweeps
 * find its member missing, so a member that is still joining (its first delta may outrun the member list) is spared.
 * Every node sweeps against the same member list once it is stable, so survivors agree. Not thread-safe.
 */
final class DeadReplicaSweep {

  private Set<ReplicaId> missingLastTime = new HashSet<>();

  /**
   * @param live        replicas known and not retired, other than this node's own
   * @param memberUuids UUIDs of the current members
   * @return the replicas to retire now
   */
  List<ReplicaId> due(Set<ReplicaId> live, Set<String> memberUuids) {
    Set<ReplicaId> missing = new HashSet<>();
    List<ReplicaId> due = new ArrayList<>();
    for (ReplicaId r : live) {
      if (!memberUuids.contains(ReplicaNames.memberOf(r))) {
        missing.add(r);
        if (missingLastTime.contains(r)) {
          due.add(r);
        }
      }
    }
    missingLastTime = missing;
    return due;
  }
}
