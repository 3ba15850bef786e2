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
 * <p>Immutable, with value equality over (agent, suspect, stamp). The canonical encoding ({@link AgentEntryCodec}) and
 * the hash are computed once, at construction, or kept from the bytes the entry was decoded from: an entry is hashed
 * many times in set operations and encoded every time a state transfer includes it.
 */
final class AgentEntry {

  /** Of two entries for one agent id, the greater wins: the higher stamp, then the greater encoding. */
  static final Comparator<AgentEntry> PRECEDENCE = Comparator.comparingLong(AgentEntry::stamp)
      .thenComparing((a, b) -> Arrays.compareUnsigned(a.encoded, b.encoded));

  private final AgentDescriptor agent;
  private final boolean suspect;
  private final long stamp;
  private final byte[] encoded;
  private final int hash;

  /**
   * @param agent   the descriptor; its {@code nodeId} is the home node
   * @param suspect the home node misses the agent's heartbeats
   * @param stamp   orders the registrations of one id: the wall-clock millisecond of the change, but always above
   *                every stamp the home node knew for the id
   */
  AgentEntry(AgentDescriptor agent, boolean suspect, long stamp) {
    this(agent, suspect, stamp, null);
  }

  /** An entry decoded from {@code encoded}, which must be its canonical encoding and is kept, not copied. */
  AgentEntry(AgentDescriptor agent, boolean suspect, long stamp, byte[] encoded) {
    this.agent = agent;
    this.suspect = suspect;
    this.stamp = stamp;
    this.encoded = encoded != null ? encoded : AgentEntryCodec.encodeFields(agent, suspect, stamp);
    this.hash = 31 * (31 * agent.hashCode() + Boolean.hashCode(suspect)) + Long.hashCode(stamp);
  }

  AgentDescriptor agent() {
    return agent;
  }

  boolean suspect() {
    return suspect;
  }

  long stamp() {
    return stamp;
  }

  String id() {
    return agent.id();
  }

  String homeNode() {
    return agent.nodeId();
  }

  /** The canonical encoding; callers must not modify it. */
  byte[] encoded() {
    return encoded;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AgentEntry other && hash == other.hash && stamp == other.stamp && suspect == other.suspect
        && agent.equals(other.agent);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "AgentEntry[" + agent + ", suspect=" + suspect + ", stamp=" + stamp + "]";
  }
}
