package io.agentbus.scheduler;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The node ids of the current cluster members (the Vert.x node id Hazelcast carries as a member attribute). */
final class ClusterMembers {

  static final String NODE_ID_ATTRIBUTE = "__vertx.nodeId";

  private ClusterMembers() {
  }

  static Set<String> liveNodeIds(HazelcastInstance hazelcast) {
    return new HashSet<>(nodeIds(hazelcast));
  }

  static List<String> nodeIds(HazelcastInstance hazelcast) {
    List<String> ids = new ArrayList<>();
    for (Member m : hazelcast.getCluster().getMembers()) {
      String id = m.getAttribute(NODE_ID_ATTRIBUTE);
      if (id != null) {
        ids.add(id);
      }
    }
    return ids;
  }
}
