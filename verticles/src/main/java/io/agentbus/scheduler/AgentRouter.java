package io.agentbus.scheduler;

import io.agentbus.api.AgentDescriptor;
import io.agentbus.api.AgentList;
import io.agentbus.api.AgentStatus;
import io.agentbus.api.AgentViewChange;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks the agent for a task: a live (not suspect) agent of the requested type with the least work in flight that is
 * below its capacity. Work in flight is what this scheduler has on the agent now plus what the replicated counters say
 * other schedulers have; among equals it rotates. For types with more than {@value #EXACT_LIMIT} agents it compares
 * {@value #SAMPLE} randomly chosen ones (the power of d choices), falling back to a full scan when none of those has
 * room. Tasks that find every agent of their type full wait, in arrival order, in a bounded queue per type. The agent
 * indexes follow the membership view incrementally. Event-loop confined.
 */
final class AgentRouter {

  static final int EXACT_LIMIT = 64;
  static final int SAMPLE = 16;

  private final int queueLimit;
  private final Map<String, AgentStatus> agents = new HashMap<>();
  private final Map<String, TypePool> byType = new HashMap<>();
  private final Map<String, Integer> inFlight = new HashMap<>();
  private final Map<String, ArrayDeque<String>> waiting = new HashMap<>();

  AgentRouter(int queueLimit) {
    this.queueLimit = queueLimit;
  }

  /** Takes a whole registry view; returns the ids of agents that are gone since the previous one. */
  Set<String> update(AgentList view) {
    return apply(new AgentViewChange(view.agents(), List.of(), true));
  }

  /** Applies a change of the registry view; returns the ids of agents that are gone since the previous one. */
  Set<String> apply(AgentViewChange change) {
    Set<String> gone = new HashSet<>();
    if (change.full()) {
      Set<String> kept = new HashSet<>();
      change.upserts().forEach(s -> kept.add(s.agent().id()));
      for (String id : List.copyOf(agents.keySet())) {
        if (!kept.contains(id)) {
          remove(id);
          gone.add(id);
        }
      }
    }
    change.upserts().forEach(this::upsert);
    for (String id : change.removedAgentIds()) {
      if (remove(id)) {
        gone.add(id);
      }
    }
    return gone;
  }

  private void upsert(AgentStatus status) {
    AgentStatus previous = agents.put(status.agent().id(), status);
    if (previous != null && previous.agent().types().equals(status.agent().types())) {
      return;
    }
    if (previous != null) {
      previous.agent().types().forEach(t -> pool(t).remove(previous.agent().id()));
    }
    status.agent().types().forEach(t -> pool(t).add(status.agent().id()));
  }

  private boolean remove(String agentId) {
    AgentStatus previous = agents.remove(agentId);
    if (previous == null) {
      return false;
    }
    for (String type : previous.agent().types()) {
      TypePool pool = byType.get(type);
      pool.remove(agentId);
      if (pool.isEmpty()) {
        byType.remove(type);
      }
    }
    return true;
  }

  private TypePool pool(String type) {
    return byType.computeIfAbsent(type, t -> new TypePool());
  }

  boolean knowsType(String type) {
    return byType.containsKey(type);
  }

  Set<String> knownTypes() {
    return byType.keySet();
  }

  AgentDescriptor agent(String agentId) {
    AgentStatus s = agents.get(agentId);
    return s == null ? null : s.agent();
  }

  /** The agent to run a task of {@code type} now, or null when none has room. */
  AgentDescriptor pick(String type) {
    TypePool pool = byType.get(type);
    if (pool == null) {
      return null;
    }
    List<String> ids = pool.ids;
    int n = ids.size();
    if (n > EXACT_LIMIT) {
      AgentStatus sampled = best(ids, ThreadLocalRandom.current().nextInt(n), SAMPLE, true);
      if (sampled != null) {
        return sampled.agent();
      }
    }
    AgentStatus best = best(ids, Math.floorMod(pool.rotation++, n), n, false);
    return best == null ? null : best.agent();
  }

  // the least loaded agent with room among `count` ids from `start` (consecutive, or random when sampling)
  private AgentStatus best(List<String> ids, int start, int count, boolean random) {
    AgentStatus best = null;
    long bestLoad = Long.MAX_VALUE;
    int n = ids.size();
    for (int i = 0; i < count; i++) {
      int index = random ? ThreadLocalRandom.current().nextInt(n) : (start + i) % n;
      AgentStatus s = agents.get(ids.get(index));
      if (s == null || s.suspect()) {
        continue;
      }
      long load = load(s);
      if (load < s.agent().capacity() && load < bestLoad) {
        best = s;
        bestLoad = load;
      }
    }
    return best;
  }

  private long load(AgentStatus s) {
    return inFlight.getOrDefault(s.agent().id(), 0) + s.inFlightElsewhere();
  }

  /** The agents of one type, removable in constant time. */
  private static final class TypePool {
    final List<String> ids = new ArrayList<>();
    final Map<String, Integer> index = new HashMap<>();
    int rotation;

    void add(String id) {
      if (!index.containsKey(id)) {
        index.put(id, ids.size());
        ids.add(id);
      }
    }

    void remove(String id) {
      Integer i = index.remove(id);
      if (i == null) {
        return;
      }
      String last = ids.remove(ids.size() - 1);
      if (i < ids.size()) {
        ids.set(i, last);
        index.put(last, i);
      }
    }

    boolean isEmpty() {
      return ids.isEmpty();
    }
  }

  void acquire(String agentId) {
    inFlight.merge(agentId, 1, Integer::sum);
  }

  void release(String agentId) {
    inFlight.computeIfPresent(agentId, (id, n) -> n <= 1 ? null : n - 1);
  }

  int inFlight(String agentId) {
    return inFlight.getOrDefault(agentId, 0);
  }

  /** Queues a task until an agent of its type has room; false when the type's queue is full. */
  boolean enqueue(String type, String taskId) {
    ArrayDeque<String> q = waiting.computeIfAbsent(type, t -> new ArrayDeque<>());
    if (q.size() >= queueLimit) {
      return false;
    }
    q.addLast(taskId);
    return true;
  }

  /** Puts a task back at the head of its type's queue (it was already waiting its turn). */
  void requeueFirst(String type, String taskId) {
    waiting.computeIfAbsent(type, t -> new ArrayDeque<>()).addFirst(taskId);
  }

  boolean queueFull(String type) {
    ArrayDeque<String> q = waiting.get(type);
    return q != null && q.size() >= queueLimit;
  }

  String nextWaiting(String type) {
    ArrayDeque<String> q = waiting.get(type);
    return q == null ? null : q.pollFirst();
  }

  boolean removeWaiting(String type, String taskId) {
    ArrayDeque<String> q = waiting.get(type);
    return q != null && q.remove(taskId);
  }

  int waiting(String type) {
    ArrayDeque<String> q = waiting.get(type);
    return q == null ? 0 : q.size();
  }

  /** Types with tasks waiting. */
  Set<String> typesWaiting() {
    Set<String> types = new HashSet<>();
    waiting.forEach((type, q) -> {
      if (!q.isEmpty()) {
        types.add(type);
      }
    });
    return types;
  }
}
