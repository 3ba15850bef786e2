package io.agentbus.scheduler;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import io.agentbus.api.Json;
import io.agentbus.api.OnBusy;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The line of every session, cluster-wide (Hazelcast IMap {@value #MAP}): the task that runs and those that wait,
 * in order, each with the node that owns it. Joining and leaving are entry processors, atomic on the entry's
 * partition owner, so two schedulers never both start a task of one session.
 */
final class SessionLines {

  static final String MAP = "agentbus.sessions.lines";

  /** A task in a line and the node that owns it. */
  record Place(String task, String node) implements Serializable {
  }

  /** The line of one session as stored (JSON). */
  record Line(Place running, List<Place> waiting) {
    Line {
      waiting = waiting == null ? new ArrayList<>() : new ArrayList<>(waiting);
    }
  }

  /**
   * What a join found: started (the task is first), queued, busy (refused), interrupting {@code running}, or full
   * (refused: the session has as many tasks waiting as it may).
   */
  enum Joined { STARTED, QUEUED, BUSY, INTERRUPTING, FULL }

  record JoinOutcome(Joined joined, String runningTask) implements Serializable {
  }

  private final IMap<String, String> map;
  private final Context context;
  private final int maxWaiting;

  SessionLines(HazelcastInstance hazelcast, Context context, int maxWaiting) {
    this.map = hazelcast.getMap(MAP);
    this.context = context;
    this.maxWaiting = maxWaiting;
  }

  Future<JoinOutcome> join(String sessionId, Place place, OnBusy onBusy) {
    return Future.fromCompletionStage(map.submitToKey(sessionId, new Join(place, onBusy, maxWaiting)), context);
  }

  /** Takes a task out of its session's line; returns the task that runs next (null when none starts now). */
  Future<Place> leave(String sessionId, String taskId) {
    return Future.fromCompletionStage(map.submitToKey(sessionId, new Leave(taskId)), context);
  }

  /**
   * Names {@code node} as the owner of a task in its session's line (it took the task over); answers whether the task
   * is the one that runs (true too when the line no longer holds it: nothing else will start it).
   */
  Future<Boolean> rehome(String sessionId, String taskId, String node) {
    return Future.fromCompletionStage(map.submitToKey(sessionId, new Rehome(taskId, node)), context);
  }

  private static Line read(Map.Entry<String, String> entry) {
    return entry.getValue() == null ? null : Json.fromString(entry.getValue(), Line.class);
  }

  static final class Join implements EntryProcessor<String, String, JoinOutcome>, Serializable {
    private static final long serialVersionUID = 1L;
    private final Place place;
    private final OnBusy onBusy;
    private final int maxWaiting;

    Join(Place place, OnBusy onBusy, int maxWaiting) {
      this.place = place;
      this.onBusy = onBusy;
      this.maxWaiting = maxWaiting;
    }

    @Override
    public JoinOutcome process(Map.Entry<String, String> entry) {
      Line line = read(entry);
      if (line == null || line.running() == null) {
        entry.setValue(Json.toString(new Line(place, line == null ? List.of() : line.waiting())));
        return new JoinOutcome(Joined.STARTED, null);
      }
      String running = line.running().task();
      if (onBusy != OnBusy.REJECT && line.waiting().size() >= maxWaiting) {
        return new JoinOutcome(Joined.FULL, running);
      }
      switch (onBusy) {
        case REJECT -> {
          return new JoinOutcome(Joined.BUSY, running);
        }
        case INTERRUPT -> line.waiting().add(0, place);
        default -> line.waiting().add(place);
      }
      entry.setValue(Json.toString(line));
      return new JoinOutcome(onBusy == OnBusy.INTERRUPT ? Joined.INTERRUPTING : Joined.QUEUED, running);
    }
  }

  static final class Leave implements EntryProcessor<String, String, Place>, Serializable {
    private static final long serialVersionUID = 1L;
    private final String taskId;

    Leave(String taskId) {
      this.taskId = taskId;
    }

    @Override
    public Place process(Map.Entry<String, String> entry) {
      Line line = read(entry);
      if (line == null) {
        return null;
      }
      if (line.running() != null && line.running().task().equals(taskId)) {
        if (line.waiting().isEmpty()) {
          entry.setValue(null);
          return null;
        }
        Place next = line.waiting().remove(0);
        entry.setValue(Json.toString(new Line(next, line.waiting())));
        return next;
      }
      if (line.waiting().removeIf(p -> p.task().equals(taskId))) {
        entry.setValue(line.running() == null && line.waiting().isEmpty() ? null : Json.toString(line));
      }
      return null;
    }
  }

  static final class Rehome implements EntryProcessor<String, String, Boolean>, Serializable {
    private static final long serialVersionUID = 1L;
    private final String taskId;
    private final String node;

    Rehome(String taskId, String node) {
      this.taskId = taskId;
      this.node = node;
    }

    @Override
    public Boolean process(Map.Entry<String, String> entry) {
      Line line = read(entry);
      if (line == null) {
        return true;
      }
      Place moved = new Place(taskId, node);
      if (line.running() != null && line.running().task().equals(taskId)) {
        entry.setValue(Json.toString(new Line(moved, line.waiting())));
        return true;
      }
      int at = -1;
      for (int i = 0; i < line.waiting().size(); i++) {
        if (line.waiting().get(i).task().equals(taskId)) {
          at = i;
        }
      }
      if (at < 0) {
        return true;
      }
      line.waiting().set(at, moved);
      entry.setValue(Json.toString(line));
      return false;
    }
  }
}
