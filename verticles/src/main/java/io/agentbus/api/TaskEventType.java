package io.agentbus.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The kinds of event in a task's stream. Lifecycle kinds move the task to the state of the same name; stream kinds
 * (progress, thought, content, tool_call, tool_result) carry what the agent does and leave the state alone.
 */
public enum TaskEventType {
  SUBMITTED(TaskState.SUBMITTED),
  ASSIGNED(TaskState.ASSIGNED),
  RUNNING(TaskState.RUNNING),
  INPUT_REQUIRED(TaskState.INPUT_REQUIRED),
  REQUEUED(TaskState.SUBMITTED),
  PROGRESS(null),
  THOUGHT(null),
  CONTENT(null),
  TOOL_CALL(null),
  TOOL_RESULT(null),
  COMPENSATING(TaskState.COMPENSATING),
  SUCCEEDED(TaskState.SUCCEEDED),
  FAILED(TaskState.FAILED),
  CANCELLED(TaskState.CANCELLED),
  TIMED_OUT(TaskState.TIMED_OUT),
  COMPENSATED(TaskState.COMPENSATED);

  private final TaskState state;

  TaskEventType(TaskState state) {
    this.state = state;
  }

  /** The state this event moves the task to, or {@code null} for a stream event. */
  public TaskState state() {
    return state;
  }

  public boolean isLifecycle() {
    return state != null;
  }

  public boolean isTerminal() {
    return state != null && state.isTerminal();
  }

  /** The wire name: lower snake case, as in SSE {@code event:} lines and CloudEvent types. */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The CloudEvents {@code type} attribute of this event kind. */
  public String cloudEventType() {
    return "io.agentbus.task." + wireName();
  }

  @JsonCreator
  public static TaskEventType ofWireName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }

  /** The lifecycle event that moves a task into {@code state}. */
  public static TaskEventType entering(TaskState state) {
    return valueOf(state.name());
  }
}
