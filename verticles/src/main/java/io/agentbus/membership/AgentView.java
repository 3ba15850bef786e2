package io.agentbus.membership;

import io.agentbus.api.AgentList;
import io.agentbus.api.AgentStatus;
import io.agentbus.api.AgentViewChange;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The agent view this node publishes: the current {@link AgentStatus} of every agent, and the changes since the last
 * publication. Work is proportional to the agents that changed, never to all agents. Event-loop confined.
 */
final class AgentView {

  private final Map<String, AgentStatus> statuses = new HashMap<>();
  private final Set<String> loadChanged = new LinkedHashSet<>();
  private int suspect;

  /**
   * Recomputes the given agents. Returns what must be published now (agents that appeared, disappeared, or changed
   * descriptor or suspect flag); agents whose counts alone changed are kept for {@link #flushLoad}.
   */
  AgentViewChange update(Collection<String> agentIds, Function<String, AgentStatus> current) {
    List<AgentStatus> upserts = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    for (String id : agentIds) {
      AgentStatus now = current.apply(id);
      AgentStatus before = now == null ? statuses.remove(id) : statuses.put(id, now);
      suspect += (now != null && now.suspect() ? 1 : 0) - (before != null && before.suspect() ? 1 : 0);
      if (now == null) {
        if (before != null) {
          removed.add(id);
          loadChanged.remove(id);
        }
      } else if (before == null || before.suspect() != now.suspect() || !before.agent().equals(now.agent())) {
        upserts.add(now);
        loadChanged.remove(id);
      } else if (!before.equals(now)) {
        loadChanged.add(id);
      }
    }
    return new AgentViewChange(upserts, removed, false);
  }

  /** The agents whose counts changed since the last call, with their current status. */
  AgentViewChange flushLoad() {
    List<AgentStatus> upserts = new ArrayList<>(loadChanged.size());
    for (String id : loadChanged) {
      AgentStatus s = statuses.get(id);
      if (s != null) {
        upserts.add(s);
      }
    }
    loadChanged.clear();
    return new AgentViewChange(upserts, List.of(), false);
  }

  /** The whole view as a change: receivers replace theirs. */
  AgentViewChange full() {
    return new AgentViewChange(new ArrayList<>(statuses.values()), List.of(), true);
  }

  /** Every agent, ordered by id. */
  AgentList list() {
    List<AgentStatus> all = new ArrayList<>(statuses.values());
    all.sort(Comparator.comparing(s -> s.agent().id()));
    return new AgentList(all);
  }

  AgentStatus get(String agentId) {
    return statuses.get(agentId);
  }

  Collection<AgentStatus> all() {
    return statuses.values();
  }

  int size() {
    return statuses.size();
  }

  int suspectCount() {
    return suspect;
  }
}
