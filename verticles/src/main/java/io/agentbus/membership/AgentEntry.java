package io.agentbus.membership;

import io.agentbus.api.AgentDescriptor;
import java.util.Arrays;
import java.util.Comparator;

/**
 * An element of the replicated agent set: one registration of an agent as its home node last stated it. Changing a
 * registered agent (new descriptor, suspect or alive again) removes its old entry and adds a new one with a higher
 * stamp. Two entries for one id exist only after concurrent registrations on different nodes; every node then shows
 * the same one ({@link #PRECEDENCE}) and the losing home node removes its own.
 *
 * @param agent   the descriptor; its {@code nodeId} is the home node
 * @param suspect the home node misses the agent's heartbeats
 * @param stamp   orders the registrations of one id: the wall-clock millisecond of the change, but always above
 *                every stamp the home node knew for the id
 */
record AgentEntry(AgentDescriptor agent, boolean suspect, long stamp) {

  /** Of two entries for one agent id, the greater wins: the higher stamp, then the greater encoding. */
  static final Comparator<AgentEntry> PRECEDENCE = Comparator.comparingLong(AgentEntry::stamp)
      .thenComparing((a, b) -> Arrays.compareUnsigned(AgentEntryCodec.INSTANCE.encode(a),
          AgentEntryCodec.INSTANCE.encode(b)));

  String id() {
    return agent.id();
  }

  String homeNode() {
    return agent.nodeId();
  }
}
