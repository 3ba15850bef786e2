package io.agentbus.membership;

import io.agentbus.membership.crdt.ORSetDigest;
import java.util.Map;

/**
 * What a node sends to learn what it lacks in one shard: the agent set's digest (dots, no descriptors) and its
 * counters (a counter is its own digest).
 */
record ShardDigest(int shard, ORSetDigest agents, Map<String, AgentCounters> counters) {

  ShardDigest {
    counters = Map.copyOf(counters);
  }
}
