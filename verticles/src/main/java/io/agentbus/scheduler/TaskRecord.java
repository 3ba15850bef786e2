package io.agentbus.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbus.api.SubmitTask;
import io.agentbus.api.TaskError;
import io.agentbus.api.TaskEvent;
import io.agentbus.api.TaskEventType;
import io.agentbus.api.TaskState;
import io.agentbus.api.TaskView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One task owned by this scheduler: its state, its events in sequence order, who watches it. Only ever touched on
 * the scheduler's event loop. The state moves through {@link TaskStateMachine}; once a terminal state is entered,
 * the view shows it only after its event is durable ({@link #markTerminalDurable()}).
 */
final class TaskRecord {

  final String id;
  final String agentType;
  final JsonNode input;
  final Map<String, String> metadata;
  final long timeoutMs;
  final Instant createdAt;
  final String idempotencyKey;
  final String traceparent;
  final String ownerNode;

  private TaskState state = TaskState.SUBMITTED;
  private TaskState visibleState = TaskState.SUBMITTED;
  private Instant updatedAt;
  private int epoch;
  private String agentId;
  private boolean attemptOpen;
  private JsonNode result;
  private TaskError error;
  private boolean terminalDurable;
  private final List<TaskEvent> events = new ArrayList<>();
  private final Set<String> watchers = new LinkedHashSet<>();
  long timeoutTimer = -1;
  long finishedAtNanos;

  TaskRecord(String id, SubmitTask submit, long timeoutMs, Instant now, String ownerNode) {
    this.id = id;
    this.agentType = submit.agentType();
    this.input = submit.input();
    this.metadata = submit.metadata();
    this.timeoutMs = timeoutMs;
    this.createdAt = now;
    this.updatedAt = now;
    this.idempotencyKey = submit.idempotencyKey();
    this.traceparent = submit.traceparent();
    this.ownerNode = ownerNode;
  }

  /** Appends the next event of this task (seq = previous + 1), moving the state for lifecycle events. */
  TaskEvent append(TaskEventType type, JsonNode data, Instant now) {
    if (type.isLifecycle() && !(type == TaskEventType.SUBMITTED && events.isEmpty())) {
      state = TaskStateMachine.move(state, type.state());
      if (!type.isTerminal()) {
        visibleState = state;
      }
    }
    TaskEvent event = new TaskEvent(id, events.size() + 1L, type, now, data);
    events.add(event);
    updatedAt = now;
    return event;
  }

  void markTerminalDurable() {
    terminalDurable = true;
    visibleState = state;
  }

  TaskState state() {
    return state;
  }

  boolean isTerminal() {
    return state.isTerminal();
  }

  /** Terminal and its terminal event acknowledged by Kafka. */
  boolean isSettled() {
    return terminalDurable;
  }

  int epoch() {
    return epoch;
  }

  /** Starts a new attempt on {@code agent}; reports of older attempts are rejected from now on. */
  int newAttempt(String agent) {
    epoch++;
    agentId = agent;
    attemptOpen = true;
    return epoch;
  }

  /**
   * Ends the current attempt; later reports of it are rejected.
   *
   * @return the agent whose capacity the attempt held, or null if no attempt was open
   */
  String closeAttempt() {
    if (!attemptOpen) {
      return null;
    }
    attemptOpen = false;
    epoch++;
    return agentId;
  }

  boolean attemptOpen() {
    return attemptOpen;
  }

  /** Attempts started so far. */
  int attempts() {
    return (epoch + 1) / 2;
  }

  String agentId() {
    return agentId;
  }

  void succeed(JsonNode value) {
    result = value;
  }

  void fail(TaskError value) {
    error = value;
  }

  long lastSeq() {
    return events.size();
  }

  /** The visible events after {@code afterSeq}, in order (a terminal event counts once it is durable). */
  List<TaskEvent> eventsAfter(long afterSeq) {
    int to = (int) visibleLastSeq();
    int from = (int) Math.max(0, Math.min(afterSeq, to));
    return List.copyOf(events.subList(from, to));
  }

  Set<String> watchers() {
    return watchers;
  }

  long deadlineEpochMs() {
    return createdAt.toEpochMilli() + timeoutMs;
  }

  TaskView view() {
    boolean showEnd = visibleState.isTerminal();
    return new TaskView(id, agentType, visibleState, input, showEnd ? result : null, showEnd ? error : null,
        metadata, timeoutMs, createdAt, updatedAt, attempts(), agentId, visibleLastSeq(), ownerNode);
  }

  // the terminal event counts once it is durable
  private long visibleLastSeq() {
    return state.isTerminal() && !terminalDurable ? events.size() - 1L : events.size();
  }
}
