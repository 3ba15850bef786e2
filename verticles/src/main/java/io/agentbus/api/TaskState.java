package io.agentbus.api;

/**
 * The states of a task. SUBMITTED -> ASSIGNED -> RUNNING -> (INPUT_REQUIRED) -> SUCCEEDED | FAILED | CANCELLED |
 * TIMED_OUT; sagas add COMPENSATING -> COMPENSATED. Terminal states are final and reached exactly once.
 */
public enum TaskState {
  SUBMITTED, ASSIGNED, RUNNING, INPUT_REQUIRED, COMPENSATING,
  SUCCEEDED, FAILED, CANCELLED, TIMED_OUT, COMPENSATED;

  public boolean isTerminal() {
    return switch (this) {
      case SUCCEEDED, FAILED, CANCELLED, TIMED_OUT, COMPENSATED -> true;
      default -> false;
    };
  }
}
