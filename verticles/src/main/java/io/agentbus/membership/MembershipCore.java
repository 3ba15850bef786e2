package io.agentbus.membership;

import io.agentbus.api.Addresses;
import io.agentbus.api.AgentDescriptor;
import io.agentbus.api.AgentList;
import io.agentbus.api.AgentLoad;
import io.agentbus.api.AgentStatus;
import io.agentbus.api.AgentViewChange;
import io.agentbus.membership.crdt.ReplicaId;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * The membership logic of one node without any I/O: the replicated agents, the view published from them and the
 * leases of the agents at home here. Every operation returns an {@link Outcome}: the view change to publish locally and
 * the deltas to publish to the cluster. Event-loop confined; times are {@link System#nanoTime()} values.
 */
final class MembershipCore {

  /**
   * What an operation produced.
   *
   * @param viewChange     for {@link Addresses#MEMBERSHIP_VIEW}, empty if nothing visible changed at once
   * @param deltas         local changes for the other nodes
   * @param agentsChanged  agents whose replicated state changed
   */
  record Outcome(AgentViewChange viewChange, List<ShardPatch> deltas, int agentsChanged) {
  }

  private final String nodeId;
  private final ReplicatedAgents state;
  private final AgentView view = new AgentView();
  private final LeaseBook leases;
  private final LongSupplier wallClockMs;
  private final UnaryOperator<ReplicaId> nextIncarnation;

  /**
   * @param nextIncarnation the replica id to continue under when other nodes retired this one (see
   *                        {@link ReplicaNames#next})
   */
  MembershipCore(String nodeId, ReplicaId replica, LeaseBook leases, LongSupplier wallClockMs,
                 UnaryOperator<ReplicaId> nextIncarnation) {
    this.nodeId = nodeId;
    this.state = new ReplicatedAgents(replica);
    this.leases = leases;
    this.wallClockMs = wallClockMs;
    this.nextIncarnation = nextIncarnation;
  }

  /** Registers (or re-registers) an agent with this node as its home; the descriptor must be valid. */
  Outcome register(AgentDescriptor requested, long now) {
    return registerAll(List.of(requested), now, false);
  }

  /** Registers several agents in one change; {@code pinned} leases never lapse (bench hooks). */
  Outcome registerAll(List<AgentDescriptor> requested, long now, boolean pinned) {
    Changes changes = new Changes();
    for (AgentDescriptor a : requested) {
      AgentDescriptor agent = atHome(a);
      leases.hold(agent, now, pinned);
      state.put(entry(agent, false), changes);
    }
    return finish(changes);
  }

  /** The descriptor as registered here: home node this node, inbox defaulted. */
  AgentDescriptor atHome(AgentDescriptor a) {
    String inbox = a.inbox() == null || a.inbox().isBlank() ? Addresses.agentInbox(a.id()) : a.inbox();
    return new AgentDescriptor(a.id(), a.types(), a.capacity(), a.labels(), nodeId, inbox);
  }

  Outcome deregister(String agentId) {
    return deregisterAll(List.of(agentId));
  }

  Outcome deregisterAll(Collection<String> agentIds) {
    Changes changes = new Changes();
    for (String agentId : agentIds) {
      leases.release(agentId);
      state.remove(agentId, e -> true, changes);
    }
    return finish(changes);
  }

  /** A heartbeat; null if this node holds no lease for the agent (it should register again). */
  Outcome heartbeat(String agentId, long now) {
    LeaseBook.Beat beat = leases.beat(agentId, now);
    if (beat == LeaseBook.Beat.UNKNOWN) {
      return null;
    }
    Changes changes = new Changes();
    if (beat == LeaseBook.Beat.REVIVED) {
      state.put(entry(leases.get(agentId).agent(), false), changes);
    }
    return finish(changes);
  }

  /** Marks agents without recent heartbeats suspect and removes those past their time to live. */
  Outcome expireLeases(long now) {
    LeaseBook.Due due = leases.due(now);
    Changes changes = new Changes();
    for (LeaseBook.Lease lease : due.suspected()) {
      state.put(entry(lease.agent(), true), changes);
    }
    for (String agentId : due.expired()) {
      state.remove(agentId, e -> true, changes);
    }
    return finish(changes);
  }

  /** Counts load reported by this node's scheduler under this node's replica. */
  Outcome load(AgentLoad load) {
    Changes changes = new Changes();
    Set<String> agents = new HashSet<>(load.dispatched().keySet());
    agents.addAll(load.completed().keySet());
    for (String agentId : agents) {
      state.count(agentId, load.dispatched().getOrDefault(agentId, 0L), load.completed().getOrDefault(agentId, 0L),
          changes);
    }
    return finish(changes);
  }

  /**
   * Merges what another node sent. Then, if other nodes had retired this node's replica, continues under a fresh one
   * and adds this node's agents again; and gives up the agents at home here that were registered again elsewhere.
   */
  Outcome mergeRemote(List<ShardPatch> patches) {
    Changes changes = new Changes();
    state.merge(patches, changes);
    if (state.selfRetired()) {
      state.continueAs(nextIncarnation.apply(state.self()));
      for (LeaseBook.Lease lease : List.copyOf(leases.all())) {
        state.put(entry(lease.agent(), lease.suspect()), changes);
      }
    }
    for (String agentId : List.copyOf(changes.agentIds())) {
      AgentEntry winner = state.winner(agentId);
      if (leases.get(agentId) != null && (winner == null || !winner.homeNode().equals(nodeId))) {
        leases.release(agentId);
        state.remove(agentId, e -> e.homeNode().equals(nodeId), changes);
      }
    }
    return finish(changes);
  }

  /** Retires replicas whose nodes left the cluster (never this node's own). */
  Outcome retire(Collection<ReplicaId> replicas) {
    Changes changes = new Changes();
    for (ReplicaId r : replicas) {
      if (!r.equals(state.self())) {
        state.retire(r, changes);
      }
    }
    return finish(changes);
  }

  /** The agents whose counts alone changed since the last call. */
  AgentViewChange flushLoad() {
    return view.flushLoad();
  }

  private Outcome finish(Changes changes) {
    AgentViewChange change = view.update(changes.agentIds(), state::status);
    return new Outcome(change, changes.deltas(), changes.agentIds().size());
  }

  private AgentEntry entry(AgentDescriptor agent, boolean suspect) {
    long stamp = Math.max(wallClockMs.getAsLong(), state.latestStamp(agent.id()) + 1);
    return new AgentEntry(agent, suspect, stamp);
  }

  // ---- reading ----

  ReplicatedAgents state() {
    return state;
  }

  ReplicaId replica() {
    return state.self();
  }

  String nodeId() {
    return nodeId;
  }

  AgentList list() {
    return view.list();
  }

  AgentViewChange fullView() {
    return view.full();
  }

  AgentView view() {
    return view;
  }

  boolean holdsLease(String agentId) {
    return leases.get(agentId) != null;
  }

  /** Ids of the agents at home here. */
  List<String> homeAgents() {
    return leases.all().stream().map(l -> l.agent().id()).toList();
  }

  AgentStatus status(String agentId) {
    return view.get(agentId);
  }
}
