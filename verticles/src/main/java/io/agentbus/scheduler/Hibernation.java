package io.agentbus.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentbus.api.AgentReport;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.Failures;
import io.agentbus.api.Json;
import io.agentbus.api.SessionSnapshot;
import io.agentbus.api.TaskEventType;
import io.agentbus.api.TaskState;
import io.agentbus.api.ToolOutcome;
import io.vertx.core.eventbus.Message;

/**
 * Lets a task sleep through a long tool call without holding an agent: the agent's HIBERNATE report saves the
 * session snapshot (optimistic version check), starts the tool call and ends the attempt, so the agent's slot is
 * free; the task waits in INPUT_REQUIRED (reason "hibernating"). When the tool's outcome arrives the task is queued
 * again and assigned to any live agent of its type, on any node, with a resume input: the snapshot as stored now
 * and the tool outcome. A task without a session id keeps its snapshot under its own task id. Event-loop confined.
 */
final class Hibernation {

  static final String REASON = "hibernating";

  private final TaskBook book;
  private final Dispatcher dispatcher;
  private final AgentReports reports;
  private final SessionSnapshots snapshots;

  Hibernation(TaskBook book, Dispatcher dispatcher, AgentReports reports, SessionSnapshots snapshots) {
    this.book = book;
    this.dispatcher = dispatcher;
    this.reports = reports;
    this.snapshots = snapshots;
  }

  static String sessionOf(TaskRecord task) {
    return task.sessionId != null ? task.sessionId : task.id;
  }

  void hibernate(Message<AgentReport> msg, TaskRecord task, JsonNode data) {
    String callId = data.path("call_id").asText("");
    String tool = data.path("tool").asText("");
    if (callId.isBlank() || tool.isBlank() || !data.has("state")) {
      Failures.fail(msg, new AgentbusException(ErrorCode.INVALID_REQUEST,
          "a hibernation needs call_id, tool and state (and expected_version when the session has a snapshot)"));
      return;
    }
    JsonNode arguments = data.path("arguments").isMissingNode() ? Json.object() : data.get("arguments");
    String sessionId = sessionOf(task);
    int epoch = task.epoch();
    snapshots.save(task.tenant(), sessionId, data.path("expected_version").asLong(0), data.get("state")).onComplete(saved -> {
      if (saved.failed()) {
        Failures.fail(msg, Failures.toException(saved.cause()));
        return;
      }
      if (task.isTerminal() || !task.attemptOpen() || task.epoch() != epoch) {
        Failures.fail(msg, new AgentbusException(ErrorCode.ATTEMPT_FENCED,
            "attempt " + epoch + " of " + task.id + " ended while its snapshot was saved"));
        return;
      }
      sleep(msg, task, saved.result(), callId, tool, arguments);
    });
  }

  /** Saves a snapshot of the task's session without ending the attempt. */
  void save(Message<AgentReport> msg, TaskRecord task, JsonNode data) {
    if (!data.has("state")) {
      Failures.fail(msg, new AgentbusException(ErrorCode.INVALID_REQUEST, "a snapshot save needs state"));
      return;
    }
    snapshots.save(task.tenant(), sessionOf(task), data.path("expected_version").asLong(0), data.get("state")).onComplete(saved -> {
      if (saved.failed()) {
        Failures.fail(msg, Failures.toException(saved.cause()));
      } else {
        SessionSnapshot s = saved.result();
        msg.reply(new SessionSnapshot(s.sessionId(), s.version(), null, s.updatedAtMs()));
      }
    });
  }

  /** Answers the current snapshot of the task's session, or null. */
  void load(Message<AgentReport> msg, TaskRecord task) {
    snapshots.load(task.tenant(), sessionOf(task)).onComplete(loaded -> {
      if (loaded.failed()) {
        Failures.fail(msg, new AgentbusException(ErrorCode.UNAVAILABLE,
            "the session store did not answer: " + loaded.cause().getMessage()));
      } else {
        msg.reply(loaded.result());
      }
    });
  }

  private void sleep(Message<AgentReport> msg, TaskRecord task, SessionSnapshot saved, String callId, String tool,
                     JsonNode arguments) {
    int wake = ++task.hibernations;
    ObjectNode call = Json.object().put("call_id", callId).put("tool", tool);
    call.set("arguments", arguments);
    io.vertx.core.Future<ToolOutcome> outcome = reports.invokeTool(task, callId, tool, arguments, call);
    String agentId = task.agentId();
    dispatcher.endAttempt(task);
    book.emit(task, TaskEventType.INPUT_REQUIRED, Json.object().put("reason", REASON)
        .put("session_id", saved.sessionId()).put("version", saved.version()).put("call_id", callId)
        .put("tool", tool).put("agent_id", agentId).set("arguments", arguments));
    msg.reply(new SessionSnapshot(saved.sessionId(), saved.version(), null, saved.updatedAtMs()));
    outcome.onSuccess(result -> wake(task, wake, saved, result));
  }

  // asleep in input_required, or (taken over from a lost node while asleep) requeued without an attempt
  private boolean stillAsleep(TaskRecord task, int wake) {
    return !task.isTerminal() && !task.abandoned && task.hibernations == wake && !task.attemptOpen()
        && (task.state() == TaskState.INPUT_REQUIRED || task.state() == TaskState.SUBMITTED);
  }

  /**
   * Wakes a task taken over from a lost node while it was hibernating: its tool call is made again with the same call
   * id, so the tool-executor answers with the recorded outcome (or the outcome of the run still under way) rather
   * than running the tool a second time; then the task resumes as after any wake-up.
   */
  void wakeAdopted(TaskRecord task) {
    JsonNode asleep = task.asleepIn;
    task.asleepIn = null;
    String callId = asleep.path("call_id").asText();
    String tool = asleep.path("tool").asText();
    JsonNode arguments = asleep.path("arguments").isMissingNode() ? Json.object() : asleep.get("arguments");
    int wake = task.hibernations;
    SessionSnapshot saved = new SessionSnapshot(asleep.path("session_id").asText(sessionOf(task)),
        asleep.path("version").asLong(), null, 0);
    ObjectNode call = Json.object().put("call_id", callId).put("tool", tool);
    call.set("arguments", arguments);
    reports.invokeTool(task, callId, tool, arguments, call).onSuccess(outcome -> {
      if (stillAsleep(task, wake)) {
        resume(task, wake, saved, outcome);
      }
    });
  }

  private void wake(TaskRecord task, int wake, SessionSnapshot saved, ToolOutcome outcome) {
    if (!stillAsleep(task, wake)) {
      return;
    }
    book.emit(task, TaskEventType.TOOL_RESULT, Json.tree(outcome));
    resume(task, wake, saved, outcome);
  }

  private void resume(TaskRecord task, int wake, SessionSnapshot saved, ToolOutcome outcome) {
    snapshots.load(task.tenant(), saved.sessionId()).onComplete(loaded -> {
      if (!stillAsleep(task, wake)) {
        return;
      }
      // the map did not answer or the entry expired: the snapshot this hibernation saved is the best there is
      SessionSnapshot snapshot = loaded.succeeded() && loaded.result() != null ? loaded.result() : saved;
      ObjectNode resume = Json.object().put("session_id", saved.sessionId()).put("wake", wake);
      resume.set("snapshot", Json.object().put("version", snapshot.version()).set("state", snapshot.state()));
      resume.set("tool_result", Json.tree(outcome));
      task.resume = resume;
      book.emit(task, TaskEventType.REQUEUED, Json.object().put("reason", "woken: the outcome of tool "
          + outcome.tool() + " arrived"));
      dispatcher.dispatch(task);
    });
  }
}
