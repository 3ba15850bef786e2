package io.agentbus.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentbus.api.AgentReport;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.Assignment;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.Failures;
import io.agentbus.api.Json;
import io.agentbus.api.SessionSnapshot;
import io.agentbus.api.ToolOutcome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * One task as an in-node agent runs it: what to do ({@link #input()}), ways to report (progress, thought, content,
 * tool calls) and to end it. Once stopped (cancel, timeout) or ended, further reports are dropped and
 * {@link #stopped()} is true; timers registered with {@link #timer} are cancelled. Confined to the agent's event
 * loop.
 */
public final class AgentTask {

  private static final int RESULT_ATTEMPTS = 5;
  private static final long RESULT_TIMEOUT_MS = 5000;

  private final Vertx vertx;
  private final String agentId;
  private final Assignment assignment;
  private final Runnable onEnd;
  private final List<Long> timers = new ArrayList<>();
  private boolean ended;
  private String stopReason;
  private int toolCalls;
  private boolean hibernating;

  AgentTask(Vertx vertx, String agentId, Assignment assignment, Runnable onEnd) {
    this.vertx = vertx;
    this.agentId = agentId;
    this.assignment = assignment;
    this.onEnd = onEnd;
  }

  public String taskId() {
    return assignment.taskId();
  }

  /** The attempt this task belongs to; reports of an older attempt are refused. */
  public int epoch() {
    return assignment.epoch();
  }

  public JsonNode input() {
    return assignment.input();
  }

  /**
   * Null for a fresh start; for a task woken from hibernation {@code {session_id, wake, snapshot: {version, state},
   * tool_result}} (tool_result is a {@link ToolOutcome} as JSON).
   */
  public JsonNode resume() {
    return assignment.resume();
  }

  /** True once the task was told to stop or has ended; an agent should stop working then. */
  public boolean stopped() {
    return ended;
  }

  public String stopReason() {
    return stopReason;
  }

  public void progress(String stage, int percent, String message) {
    send(AgentReport.Kind.PROGRESS, Json.object().put("stage", stage).put("percent", percent).put("message", message));
  }

  public void thought(String step, String delta) {
    send(AgentReport.Kind.THOUGHT, Json.object().put("step", step).put("delta", delta));
  }

  public void content(String text, boolean last) {
    send(AgentReport.Kind.CONTENT, Json.object().put("text", text).put("final", last));
  }

  /** Calls a tool through the scheduler; fails with ATTEMPT_FENCED once this attempt is no longer current. */
  public Future<ToolOutcome> callTool(String tool, JsonNode arguments) {
    if (ended) {
      return Future.failedFuture(new AgentbusException(ErrorCode.ATTEMPT_FENCED, "task stopped"));
    }
    return callTool(nextCallId(), tool, arguments);
  }

  /**
   * Calls a tool under an id of the agent's choosing, unique within the task: every attempt of the task that makes
   * the call with this id gets the outcome of its one run (a replay after a lost attempt repeats no effect).
   */
  public Future<ToolOutcome> callTool(String callId, String tool, JsonNode arguments) {
    if (ended) {
      return Future.failedFuture(new AgentbusException(ErrorCode.ATTEMPT_FENCED, "task stopped"));
    }
    ObjectNode data = Json.object().put("call_id", callId).put("tool", tool);
    data.set("arguments", arguments);
    long remaining = Math.max(1, assignment.deadlineEpochMs() - System.currentTimeMillis());
    return vertx.eventBus().<ToolOutcome>request(assignment.reportAddress(), report(AgentReport.Kind.TOOL_CALL, data),
            new DeliveryOptions().setSendTimeout(remaining + 2000))
        .map(Message::body)
        .recover(err -> Future.failedFuture(Failures.toException(err)));
  }

  /**
   * Hibernates the task while {@code tool} runs: saves {@code state} as the session's next snapshot (failing with
   * SESSION_VERSION_CONFLICT when the session is no longer at {@code expectedVersion}; 0 when it has none yet), and
   * on success ends this attempt without a result, so this agent's capacity is free. When the tool's outcome
   * arrives the task is assigned again, possibly to another agent on another node, with {@link #resume()} holding the
   * snapshot and the outcome. The future gives the saved version.
   */
  public Future<Long> hibernate(String tool, JsonNode arguments, JsonNode state, long expectedVersion) {
    if (ended) {
      return Future.failedFuture(new AgentbusException(ErrorCode.ATTEMPT_FENCED, "task stopped"));
    }
    ObjectNode data = Json.object().put("call_id", nextCallId()).put("tool", tool)
        .put("expected_version", expectedVersion);
    data.set("arguments", arguments);
    data.set("state", state);
    hibernating = true;
    return vertx.eventBus().<SessionSnapshot>request(assignment.reportAddress(), report(AgentReport.Kind.HIBERNATE, data),
            new DeliveryOptions().setSendTimeout(RESULT_TIMEOUT_MS))
        .map(reply -> {
          if (!ended) {
            stopReason = "hibernated";
            close();
          }
          return reply.body().version();
        })
        .recover(err -> {
          hibernating = false;
          return Future.failedFuture(Failures.toException(err));
        });
  }

  /**
   * Saves {@code state} as the next snapshot of this task's session (the task id when it has none) if the session is
   * at {@code expectedVersion} (0: none yet), without ending the task; fails with SESSION_VERSION_CONFLICT otherwise.
   * The future gives the saved version.
   */
  public Future<Long> saveSnapshot(JsonNode state, long expectedVersion) {
    ObjectNode data = Json.object().put("expected_version", expectedVersion);
    data.set("state", state);
    return snapshotRequest(AgentReport.Kind.SAVE_SNAPSHOT, data).map(SessionSnapshot::version);
  }

  /** The current snapshot of this task's session (a conversation's earlier turns saved it), or null when none. */
  public Future<SessionSnapshot> loadSnapshot() {
    return snapshotRequest(AgentReport.Kind.LOAD_SNAPSHOT, Json.object());
  }

  private Future<SessionSnapshot> snapshotRequest(AgentReport.Kind kind, JsonNode data) {
    if (ended) {
      return Future.failedFuture(new AgentbusException(ErrorCode.ATTEMPT_FENCED, "task stopped"));
    }
    return vertx.eventBus().<SessionSnapshot>request(assignment.reportAddress(), report(kind, data),
            new DeliveryOptions().setSendTimeout(RESULT_TIMEOUT_MS))
        .map(Message::body)
        .recover(err -> Future.failedFuture(Failures.toException(err)));
  }

  /** Whether a hibernation was asked for and not refused: such a task no longer counts against the capacity. */
  boolean hibernating() {
    return hibernating;
  }

  // call ids stay stable across retries of one attempt and differ after each wake-up (the executor dedups by id)
  private String nextCallId() {
    JsonNode resume = assignment.resume();
    String prefix = resume == null ? taskId() : taskId() + "-w" + resume.path("wake").asInt();
    return prefix + "-" + (++toolCalls);
  }

  /** Ends the task with a result; retried until the scheduler has it durably (or refuses it). */
  public void complete(JsonNode result) {
    end(AgentReport.Kind.RESULT, result);
  }

  /** Moves the running task to COMPENSATING (a saga's step failed); completes once the scheduler recorded it. */
  public Future<Void> compensating(JsonNode data) {
    if (ended) {
      return Future.failedFuture(new AgentbusException(ErrorCode.ATTEMPT_FENCED, "task stopped"));
    }
    return vertx.eventBus().request(assignment.reportAddress(), report(AgentReport.Kind.COMPENSATING, data),
            new DeliveryOptions().setSendTimeout(RESULT_TIMEOUT_MS))
        .<Void>mapEmpty()
        .recover(err -> Future.failedFuture(Failures.toException(err)));
  }

  /** Ends a compensating task COMPENSATED with {@code result}; retried like {@link #complete}. */
  public void compensated(JsonNode result) {
    end(AgentReport.Kind.COMPENSATED, result);
  }

  public void fail(String code, String message) {
    end(AgentReport.Kind.ERROR, Json.object().put("code", code).put("message", message));
  }

  /** Runs {@code action} after {@code delayMs} unless the task stops first. */
  public void timer(long delayMs, Runnable action) {
    if (ended) {
      return;
    }
    if (delayMs <= 0) {
      action.run();
      return;
    }
    long[] id = new long[1];
    id[0] = vertx.setTimer(delayMs, t -> {
      timers.remove(id[0]);
      if (!ended) {
        action.run();
      }
    });
    timers.add(id[0]);
  }

  void stop(String reason) {
    if (!ended) {
      stopReason = reason;
      close();
    }
  }

  private void close() {
    ended = true;
    timers.forEach(vertx::cancelTimer);
    timers.clear();
    onEnd.run();
  }

  private void send(AgentReport.Kind kind, JsonNode data) {
    if (!ended) {
      vertx.eventBus().send(assignment.reportAddress(), report(kind, data));
    }
  }

  private void end(AgentReport.Kind kind, JsonNode data) {
    if (ended) {
      return;
    }
    close();
    deliver(report(kind, data), 1);
  }

  private void deliver(AgentReport report, int attempt) {
    vertx.eventBus().request(assignment.reportAddress(), report, new DeliveryOptions().setSendTimeout(RESULT_TIMEOUT_MS))
        .onFailure(err -> {
          AgentbusException e = Failures.toException(err);
          boolean retriable = e.code() == ErrorCode.UPSTREAM_TIMEOUT || e.code() == ErrorCode.UNAVAILABLE;
          if (retriable && attempt < RESULT_ATTEMPTS) {
            vertx.setTimer(100L * attempt, t -> deliver(report, attempt + 1));
          }
        });
  }

  private AgentReport report(AgentReport.Kind kind, JsonNode data) {
    return new AgentReport(taskId(), epoch(), agentId, kind, data);
  }
}
