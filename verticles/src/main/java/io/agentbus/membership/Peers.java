package io.agentbus.membership;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * The other nodes, as the Hazelcast member list tells them: their node ids (member attribute {@value #NODE_ID}),
 * member UUIDs, and removals. Lite members (tools such as the membership bench) are not nodes. Without Hazelcast
 * (a node-less test) there are no peers. Thread-safe.
 */
final class Peers {

  /** The member attribute Vert.x and agentbus keep the node id in. */
  static final String NODE_ID = "__vertx.nodeId";

  private final HazelcastInstance hazelcast;
  private final String fallbackUuid = UUID.randomUUID().toString();

  Peers(HazelcastInstance hazelcast) {
    this.hazelcast = hazelcast;
  }

  /** This member's UUID: a fresh random value per start. */
  String localMemberUuid() {
    return hazelcast == null ? fallbackUuid : hazelcast.getCluster().getLocalMember().getUuid().toString();
  }

  /** Node ids of the other data members, in member-list order. */
  List<String> otherNodeIds() {
    List<String> ids = new ArrayList<>();
    if (hazelcast == null) {
      return ids;
    }
    for (Member m : hazelcast.getCluster().getMembers()) {
      String nodeId = m.getAttribute(NODE_ID);
      if (!m.localMember() && !m.isLiteMember() && nodeId != null) {
        ids.add(nodeId);
      }
    }
    return ids;
  }

  /** UUIDs of every current member, or null without Hazelcast (then nothing can be judged gone). */
  Set<String> memberUuids() {
    if (hazelcast == null) {
      return null;
    }
    Set<String> uuids = new HashSet<>();
    hazelcast.getCluster().getMembers().forEach(m -> uuids.add(m.getUuid().toString()));
    return uuids;
  }

  /**
   * Calls {@code removed(nodeId, memberUuid)} on a Hazelcast thread for every data member that leaves; returns the
   * registration to pass to {@link #stopListening}, or null without Hazelcast.
   */
  UUID onRemoval(BiConsumer<String, String> removed) {
    if (hazelcast == null) {
      return null;
    }
    return hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        Member m = event.getMember();
        String nodeId = m.getAttribute(NODE_ID);
        if (!m.isLiteMember() && nodeId != null) {
          removed.accept(nodeId, m.getUuid().toString());
        }
      }
    });
  }

  void stopListening(UUID registration) {
    if (hazelcast != null && registration != null && hazelcast.getLifecycleService().isRunning()) {
      hazelcast.getCluster().removeMembershipListener(registration);
    }
  }
}
