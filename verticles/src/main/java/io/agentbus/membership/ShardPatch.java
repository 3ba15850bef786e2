package io.agentbus.membership;

import io.agentbus.membership.crdt.ORSet;
import java.util.HashMap;
import java.util.Map;

/**
 * A delta (or a whole state) of one shard of the replicated agents: part of the agent set and per-agent counters. The
 * unit that deltas, anti-entropy answers and state transfers are made of.
 *
 * @param shard    the shard index, see {@link ReplicatedAgents#shardOf}
 * @param agents   a delta of the shard's agent set, possibly empty
 * @param counters counters of agents of this shard, by agent id
 */
record ShardPatch(int shard, ORSet<AgentEntry> agents, Map<String, AgentCounters> counters) {

  ShardPatch {
    counters = Map.copyOf(counters);
  }

  static ShardPatch ofAgents(int shard, ORSet<AgentEntry> agents) {
    return new ShardPatch(shard, agents, Map.of());
  }

  /** Agents plus counters: the measure of a patch's size. */
  int items() {
    return agents.size() + counters.size();
  }

  boolean isEmpty() {
    return hasNoAgentState() && counters.isEmpty();
  }

  boolean hasNoAgentState() {
    return agents.isEmpty() && agents.context().isEmpty();
  }

  /** The join of two patches of the same shard. */
  ShardPatch merge(ShardPatch other) {
    if (other.shard != shard) {
      throw new IllegalArgumentException("patches of shards " + shard + " and " + other.shard + " do not merge");
    }
    Map<String, AgentCounters> joined = new HashMap<>(counters);
    other.counters.forEach((id, c) -> joined.merge(id, c, AgentCounters::merge));
    return new ShardPatch(shard, agents.merge(other.agents), joined);
  }
}
