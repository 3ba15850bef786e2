package io.agentbus.scheduler;

import io.agentbus.api.TaskState;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The allowed moves between task states (DESIGN.md): SUBMITTED -> ASSIGNED -> RUNNING -> (INPUT_REQUIRED) ->
 * a terminal state; an attempt that is lost goes back to SUBMITTED; sagas add COMPENSATING -> COMPENSATED.
 * Terminal states have no way out, so a task ends exactly once.
 */
public final class TaskStateMachine {

  private static final Map<TaskState, Set<TaskState>> NEXT = new EnumMap<>(TaskState.class);

  static {
    Set<TaskState> ends = EnumSet.of(TaskState.FAILED, TaskState.CANCELLED, TaskState.TIMED_OUT);
    // SUBMITTED -> SUBMITTED: a queued task taken over from a lost node is requeued by its new owner
    NEXT.put(TaskState.SUBMITTED, with(ends, TaskState.ASSIGNED, TaskState.SUBMITTED));
    NEXT.put(TaskState.ASSIGNED, with(ends, TaskState.RUNNING, TaskState.SUBMITTED));
    NEXT.put(TaskState.RUNNING, with(ends, TaskState.SUCCEEDED, TaskState.INPUT_REQUIRED, TaskState.COMPENSATING,
        TaskState.SUBMITTED));
    NEXT.put(TaskState.INPUT_REQUIRED, with(ends, TaskState.RUNNING, TaskState.SUBMITTED));
    // COMPENSATING -> SUBMITTED: a saga whose attempt was lost mid-compensation is requeued and replayed (the
    // idempotency ledger answers the calls already made)
    NEXT.put(TaskState.COMPENSATING, EnumSet.of(TaskState.COMPENSATED, TaskState.FAILED, TaskState.CANCELLED,
        TaskState.TIMED_OUT, TaskState.SUBMITTED));
    for (TaskState s : TaskState.values()) {
      if (s.isTerminal()) {
        NEXT.put(s, EnumSet.noneOf(TaskState.class));
      }
    }
  }

  private TaskStateMachine() {
  }

  private static Set<TaskState> with(Set<TaskState> base, TaskState... more) {
    Set<TaskState> s = EnumSet.copyOf(base);
    s.addAll(Set.of(more));
    return s;
  }

  public static boolean canMove(TaskState from, TaskState to) {
    return NEXT.get(from).contains(to);
  }

  /** @throws IllegalStateException if the move is not allowed */
  public static TaskState move(TaskState from, TaskState to) {
    if (!canMove(from, to)) {
      throw new IllegalStateException("a task cannot move from " + from + " to " + to);
    }
    return to;
  }

  public static Set<TaskState> next(TaskState from) {
    return EnumSet.copyOf(NEXT.get(from).isEmpty() ? EnumSet.noneOf(TaskState.class) : NEXT.get(from));
  }
}
