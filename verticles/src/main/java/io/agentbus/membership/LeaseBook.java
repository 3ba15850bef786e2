package io.agentbus.membership;

import io.agentbus.api.AgentDescriptor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The leases of the agents whose home is this node: when each last sent a heartbeat, and whether it is suspect. Times
 * are {@link System#nanoTime()} values passed in by the caller. Event-loop confined.
 */
final class LeaseBook {

  /** How a heartbeat was taken. */
  enum Beat { UNKNOWN, ALIVE, REVIVED }

  /** What {@link #due} found: agents to mark suspect and agents to remove. */
  record Due(List<Lease> suspected, List<String> expired) {
  }

  /** One agent's lease; {@code pinned} leases (bench hooks) never lapse. */
  static final class Lease {
    private final AgentDescriptor agent;
    private final boolean pinned;
    private long lastBeat;
    private boolean suspect;

    private Lease(AgentDescriptor agent, boolean pinned, long lastBeat) {
      this.agent = agent;
      this.pinned = pinned;
      this.lastBeat = lastBeat;
    }

    AgentDescriptor agent() {
      return agent;
    }

    boolean suspect() {
      return suspect;
    }
  }

  private final long suspectAfterNanos;
  private final long expireAfterNanos;
  private final Map<String, Lease> leases = new HashMap<>();

  LeaseBook(long suspectAfterMs, long expireAfterMs) {
    this.suspectAfterNanos = suspectAfterMs * 1_000_000;
    this.expireAfterNanos = expireAfterMs * 1_000_000;
  }

  void hold(AgentDescriptor agent, long now, boolean pinned) {
    leases.put(agent.id(), new Lease(agent, pinned, now));
  }

  Beat beat(String agentId, long now) {
    Lease lease = leases.get(agentId);
    if (lease == null) {
      return Beat.UNKNOWN;
    }
    lease.lastBeat = now;
    if (lease.suspect) {
      lease.suspect = false;
      return Beat.REVIVED;
    }
    return Beat.ALIVE;
  }

  void release(String agentId) {
    leases.remove(agentId);
  }

  Lease get(String agentId) {
    return leases.get(agentId);
  }

  Collection<Lease> all() {
    return leases.values();
  }

  /** Marks agents silent for the suspect time as suspect and drops those silent for the expiry time. */
  Due due(long now) {
    List<Lease> suspected = new ArrayList<>();
    List<String> expired = new ArrayList<>();
    for (Lease lease : leases.values()) {
      long silent = now - lease.lastBeat;
      if (lease.pinned) {
        continue;
      }
      if (silent >= expireAfterNanos) {
        expired.add(lease.agent.id());
      } else if (silent >= suspectAfterNanos && !lease.suspect) {
        lease.suspect = true;
        suspected.add(lease);
      }
    }
    expired.forEach(leases::remove);
    return new Due(suspected, expired);
  }
}
