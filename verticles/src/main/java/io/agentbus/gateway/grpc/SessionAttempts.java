package io.agentbus.gateway.grpc;

import io.agentbus.api.Assignment;
import io.vertx.core.eventbus.Message;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The attempts of one agent session: the ones it runs now, the ones that are over (stopped, fenced, ended: any
 * later report of them is refused), and stops that came before their assignment (so that assignment is refused
 * when it arrives: a cancel is never lost to a race with the dispatch). The remembered ones are bounded: oldest
 * forgotten first. Event-loop confined.
 */
final class SessionAttempts {

  private static final int MAX_REMEMBERED = 4096;

  /** One attempt the agent runs. */
  static final class Attempt {
    final Assignment assignment;
    /** The stop the agent has been sent and not yet acknowledged, or null. */
    Message<Object> pendingStop;
    long stopTimer = -1;

    Attempt(Assignment assignment) {
      this.assignment = assignment;
    }

    String taskId() {
      return assignment.taskId();
    }

    int epoch() {
      return assignment.epoch();
    }
  }

  private final Map<String, Attempt> running = new HashMap<>();
  private final Map<String, Boolean> over = bounded();
  private final Map<String, Boolean> stoppedEarly = bounded();

  private static Map<String, Boolean> bounded() {
    return new LinkedHashMap<>(64, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > MAX_REMEMBERED;
      }
    };
  }

  private static String key(String taskId, int epoch) {
    return taskId + "#" + epoch;
  }

  int size() {
    return running.size();
  }

  /** The attempt of {@code taskId} with this epoch if the agent may still report on it (no stop pending). */
  Attempt current(String taskId, int epoch) {
    Attempt a = running.get(taskId);
    return a != null && a.epoch() == epoch && a.pendingStop == null ? a : null;
  }

  /** The running attempt of {@code taskId} with this epoch, stopping or not. */
  Attempt running(String taskId, int epoch) {
    Attempt a = running.get(taskId);
    return a != null && a.epoch() == epoch ? a : null;
  }

  /** Takes an assignment; false when a stop for exactly this attempt already came (it must be refused). */
  boolean start(Assignment assignment) {
    String key = key(assignment.taskId(), assignment.epoch());
    if (stoppedEarly.remove(key) != null || over.containsKey(key)) {
      return false;
    }
    Attempt previous = running.put(assignment.taskId(), new Attempt(assignment));
    if (previous != null) {
      over.put(key(previous.taskId(), previous.epoch()), Boolean.TRUE);
    }
    return true;
  }

  /** A stop for an attempt this session does not run (yet): remembered so its assignment is refused. */
  void stoppedBeforeAssignment(String taskId, int epoch) {
    String key = key(taskId, epoch);
    if (!over.containsKey(key)) {
      stoppedEarly.put(key, Boolean.TRUE);
    }
  }

  /** Ends an attempt: it no longer counts against capacity and its later reports are refused. */
  Attempt end(String taskId, int epoch) {
    over.put(key(taskId, epoch), Boolean.TRUE);
    Attempt a = running.get(taskId);
    if (a != null && a.epoch() == epoch) {
      running.remove(taskId);
      return a;
    }
    return null;
  }

  Iterable<Attempt> all() {
    return java.util.List.copyOf(running.values());
  }
}
