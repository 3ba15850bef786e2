package io.agentbus.scheduler;

import io.agentbus.api.AgentDescriptor;
import io.agentbus.api.AgentList;
import io.agentbus.api.AgentStatus;
import io.agentbus.api.AgentViewChange;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Picks the agent for a task: a live agent of the requested type with the least work in flight that is below its
 * capacity; among equals it rotates. Tasks that find every agent of their type full wait, in arrival order, in a
 * bounded queue per type. Event-loop confined.
 */
final class AgentRouter {

  private final int queueLimit;
  private Map<String, AgentDescriptor> agents = Map.of();
  private Map<String, List<AgentDescriptor>> byType = Map.of();
  private final Map<String, Integer> inFlight = new HashMap<>();
  private final Map<String, ArrayDeque<String>> waiting = new HashMap<>();
  private final Map<String, Integer> rotation = new HashMap<>();

  AgentRouter(int queueLimit) {
    this.queueLimit = queueLimit;
  }

  /** Takes a new registry view; returns the ids of agents that are gone since the previous one. */
  Set<String> update(AgentList view) {
    Map<String, AgentDescriptor> next = new LinkedHashMap<>();
    for (AgentStatus status : view.agents()) {
      next.put(status.agent().id(), status.agent());
    }
    return replaceAgents(next);
  }

  /** Applies a change of the registry view; returns the ids of agents that are gone since the previous one. */
  Set<String> apply(AgentViewChange change) {
    Map<String, AgentDescriptor> next = change.full() ? new LinkedHashMap<>() : new LinkedHashMap<>(agents);
    for (AgentStatus status : change.upserts()) {
      next.put(status.agent().id(), status.agent());
    }
    change.removedAgentIds().forEach(next::remove);
    return replaceAgents(next);
  }

  private Set<String> replaceAgents(Map<String, AgentDescriptor> next) {
    Map<String, List<AgentDescriptor>> types = new HashMap<>();
    for (AgentDescriptor a : next.values()) {
      for (String type : a.types()) {
        types.computeIfAbsent(type, t -> new ArrayList<>()).add(a);
      }
    }
    Set<String> gone = new HashSet<>(agents.keySet());
    gone.removeAll(next.keySet());
    agents = next;
    byType = types;
    return gone;
  }

  boolean knowsType(String type) {
    return byType.containsKey(type);
  }

  Set<String> knownTypes() {
    return byType.keySet();
  }

  AgentDescriptor agent(String agentId) {
    return agents.get(agentId);
  }

  /** The agent to run a task of {@code type} now, or null when none has room. */
  AgentDescriptor pick(String type) {
    List<AgentDescriptor> candidates = byType.get(type);
    if (candidates == null) {
      return null;
    }
    int n = candidates.size();
    int start = rotation.merge(type, 1, Integer::sum) % n;
    AgentDescriptor best = null;
    int bestLoad = Integer.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      AgentDescriptor a = candidates.get((start + i) % n);
      int load = inFlight.getOrDefault(a.id(), 0);
      if (load < a.capacity() && load < bestLoad) {
        best = a;
        bestLoad = load;
      }
    }
    return best;
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
