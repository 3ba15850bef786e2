package io.agentbus.scheduler;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where in the tasks topic a survivor must start reading to find every task this scheduler still owns: per
 * partition, the offset of the oldest live task's anchor event (its submitted or adoption event, which carries the
 * whole task), or, with no live task on a partition, the first offset after anything seen there. Marks only move
 * forward for settled tasks, never past a live one, and never past a hold: tasks given up (when the scheduler lost
 * its lease) still need someone to take them over, so their marks stay until that is done. Event-loop confined.
 */
final class RecoveryMarks {

  private final Map<Integer, Long> floor = new HashMap<>();
  private final Map<Integer, Long> nextAfterSeen = new HashMap<>();
  private final Map<Integer, TreeMap<Long, Integer>> live = new HashMap<>();
  private final Map<String, long[]> anchors = new HashMap<>();
  private final Map<Integer, Long> hold = new HashMap<>();

  /** Starts from the topic's end offsets: nothing before them is this scheduler's. */
  void start(Map<Integer, Long> endOffsets) {
    floor.putAll(endOffsets);
  }

  /** An event of this scheduler landed at {@code offset}. */
  void seen(int partition, long offset) {
    nextAfterSeen.merge(partition, offset + 1, Math::max);
  }

  /** A task became live with its anchor event at {@code offset}. */
  void anchor(String taskId, int partition, long offset) {
    seen(partition, offset);
    anchors.put(taskId, new long[]{partition, offset});
    live.computeIfAbsent(partition, p -> new TreeMap<>()).merge(offset, 1, Integer::sum);
  }

  /** The task ended durably; it no longer holds its partition's mark back. */
  void release(String taskId) {
    long[] a = anchors.remove(taskId);
    if (a == null) {
      return;
    }
    TreeMap<Long, Integer> offsets = live.get((int) a[0]);
    offsets.computeIfPresent(a[1], (o, n) -> n <= 1 ? null : n - 1);
  }

  /** The current mark of every partition known. */
  Map<Integer, Long> marks() {
    Map<Integer, Long> marks = new HashMap<>();
    floor.forEach((p, o) -> marks.merge(p, o, Math::max));
    nextAfterSeen.forEach((p, o) -> marks.merge(p, o, Math::max));
    live.forEach((p, offsets) -> {
      if (!offsets.isEmpty()) {
        marks.put(p, offsets.firstKey());
      }
    });
    return lowest(marks, hold);
  }

  /** Keeps the marks at or before {@code marks} (those of tasks given up) until {@link #releaseHold}. */
  void hold(Map<Integer, Long> marks) {
    marks.forEach((p, o) -> hold.merge(p, o, Math::min));
  }

  /** What is held, empty when nothing is. */
  Map<Integer, Long> held() {
    return new HashMap<>(hold);
  }

  void releaseHold() {
    hold.clear();
  }

  /** Per partition the lower of two sets of marks (a partition in only one keeps its mark). */
  static Map<Integer, Long> lowest(Map<Integer, Long> a, Map<Integer, Long> b) {
    Map<Integer, Long> out = new HashMap<>(a);
    b.forEach((p, o) -> out.merge(p, o, Math::min));
    return out;
  }
}
