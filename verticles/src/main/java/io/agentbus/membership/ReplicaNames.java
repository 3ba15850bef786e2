package io.agentbus.membership;

import io.agentbus.membership.crdt.ReplicaId;

/**
 * Replica ids of the membership layer: {@code <node id>#<Hazelcast member UUID>}, with {@code ~<n>} appended after
 * the n-th reincarnation within one member. The member UUID is random per start, so a node that restarts with the
 * same {@code node.id} never reuses a retired replica id, and a member that Hazelcast reports gone names exactly the
 * replicas to retire.
 */
final class ReplicaNames {

  private ReplicaNames() {
  }

  static ReplicaId of(String nodeId, String memberUuid) {
    return ReplicaId.of(nodeId + "#" + memberUuid);
  }

  /** The node id part: everything before the last '#'. */
  static String nodeOf(ReplicaId replica) {
    String v = replica.value();
    int hash = v.lastIndexOf('#');
    return hash < 0 ? v : v.substring(0, hash);
  }

  /** The member UUID part: between the last '#' and a '~', or "" if the id has no '#'. */
  static String memberOf(ReplicaId replica) {
    String v = replica.value();
    int hash = v.lastIndexOf('#');
    if (hash < 0) {
      return "";
    }
    int tilde = v.indexOf('~', hash);
    return tilde < 0 ? v.substring(hash + 1) : v.substring(hash + 1, tilde);
  }

  /**
   * The id to continue under after {@code current} was retired while this node lives: the current member UUID if it
   * changed (Hazelcast gives a merged member a new one), else the same member with the next {@code ~n}.
   */
  static ReplicaId next(ReplicaId current, String currentMemberUuid) {
    String node = nodeOf(current);
    if (!memberOf(current).equals(currentMemberUuid)) {
      return of(node, currentMemberUuid);
    }
    String v = current.value();
    int tilde = v.indexOf('~', v.lastIndexOf('#'));
    int n = tilde < 0 ? 0 : Integer.parseInt(v.substring(tilde + 1));
    return ReplicaId.of(of(node, currentMemberUuid).value() + "~" + (n + 1));
  }
}
