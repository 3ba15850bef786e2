package io.agentbus.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
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
 * the view shows it only after its event is durable ({@link #markTerminalDurable()}). A task taken over from a
 * lost node may lack the stream events that node never recorded, so sequence numbers can have gaps.
 */
final class TaskRecord {

  final TaskSpec spec;
  final String id;
  final String agentType;
  final JsonNode input;
  final Map<String, String> metadata;
  final long timeoutMs;
  final Instant createdAt;
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
  private long lastSeq;
  private final List<TaskEvent> events = new ArrayList<>();
  private final Set<String> watchers = new LinkedHashSet<>();
  /** Taken over from another node: listed in the task table so requests for it find this owner. */
  boolean adopted;
  /** Given up by this scheduler (it lost its hold on its tasks); another node takes it over. */
  boolean abandoned;
  long timeoutTimer = -1;
  /** The session this task belongs to, or null. */
  String sessionId;
  /** What the next attempt resumes from (the task woke from hibernation), or null for a fresh start. */
  JsonNode resume;
  /** Counts hibernations: a tool outcome wakes the task only if no newer hibernation or end came since. */
  int hibernations;
  /** The hibernation a task taken over from a lost node was asleep in (its input_required data), or null. */
  JsonNode asleepIn;
  long finishedAtNanos;
  private final Map<String, ToolCallRecord> toolCalls = new java.util.HashMap<>();
  private int toolCallsEpoch;

  /** A tool call of the current attempt: what it asked for and how it ends (or ended). */
  record ToolCallRecord(String tool, JsonNode arguments, io.vertx.core.Future<io.agentbus.api.ToolOutcome> outcome) {

    boolean sameCall(String otherTool, JsonNode otherArguments) {
      return tool.equals(otherTool) && arguments.equals(otherArguments);
    }
  }

  TaskRecord(TaskSpec spec, String ownerNode) {
    this.spec = spec;
    this.id = spec.id();
    this.agentType = spec.agentType();
    this.input = spec.input();
    this.metadata = spec.metadata();
    this.timeoutMs = spec.timeoutMs();
    this.createdAt = spec.createdAt();
    this.updatedAt = spec.createdAt();
    this.traceparent = spec.traceparent();
    this.ownerNode = ownerNode;
  }

  /**
   * A task taken over from a lost node, from the events the log holds: its state is that of its last lifecycle
   * event, its attempts continue after the ones already made, its next event follows the last recorded one.
   */
  static TaskRecord restore(TaskSpec spec, List<TaskEvent> recorded, String ownerNode) {
    TaskRecord r = new TaskRecord(spec, ownerNode);
    int attempts = 0;
    for (TaskEvent e : recorded) {
      if (e.type().isLifecycle()) {
        r.state = e.type().state();
        r.visibleState = r.state;
        boolean asleep = e.type() == TaskEventType.INPUT_REQUIRED && e.data() != null
            && Hibernation.REASON.equals(e.data().path("reason").asText());
        r.asleepIn = asleep ? e.data() : null;
        r.hibernations += asleep ? 1 : 0;
      }
      if (e.type() == TaskEventType.ASSIGNED) {
        attempts = Math.max(attempts, e.data().path("attempt").asInt(attempts + 1));
        r.agentId = e.data().path("agent_id").asText(null);
      }
      if (e.data() != null && e.data().hasNonNull("session_id")
          && (e.type() == TaskEventType.SUBMITTED || e.type() == TaskEventType.REQUEUED)) {
        r.sessionId = e.data().get("session_id").asText();
      }
      r.events.add(e);
      r.lastSeq = Math.max(r.lastSeq, e.seq());
      r.updatedAt = e.time();
    }
    r.epoch = 2 * attempts;
    r.adopted = true;
    return r;
  }

  /** Appends the next event of this task, moving the state for lifecycle events. */
  TaskEvent append(TaskEventType type, JsonNode data, Instant now) {
    if (type.isLifecycle() && !(type == TaskEventType.SUBMITTED && events.isEmpty())) {
      state = TaskStateMachine.move(state, type.state());
      if (!type.isTerminal()) {
        visibleState = state;
      }
    }
    TaskEvent event = new TaskEvent(id, ++lastSeq, type, now, data);
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
    toolCalls.clear();
    return agentId;
  }

  boolean attemptOpen() {
    return attemptOpen;
  }

  /**
   * The tool calls of the current attempt by call id: a call repeated with the same id gets the first one's outcome
   * instead of running again. Forgotten when the attempt ends.
   */
  Map<String, ToolCallRecord> toolCalls() {
    if (toolCallsEpoch != epoch) {
      toolCalls.clear();
      toolCallsEpoch = epoch;
    }
    return toolCalls;
  }

  /** Attempts started so far. */
  String tenant() {
    return io.agentbus.api.Tenants.of(metadata);
  }

  /** The key of this task's session in the cluster's session stores (scoped to the tenant), or null. */
  String sessionKey() {
    return sessionId == null ? null : io.agentbus.api.Tenants.scoped(tenant(), sessionId);
  }

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
    return lastSeq;
  }

  /** How many events this task has (fewer than lastSeq when it was taken over with gaps). */
  int eventCount() {
    return events.size();
  }

  /** The visible events after {@code afterSeq}, in order (a terminal event counts once it is durable). */
  List<TaskEvent> eventsAfter(long afterSeq) {
    int to = events.size() - (state.isTerminal() && !terminalDurable ? 1 : 0);
    int from = to;
    while (from > 0 && events.get(from - 1).seq() > afterSeq) {
      from--;
    }
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
    return state.isTerminal() && !terminalDurable ? lastSeq - 1 : lastSeq;
  }
}
