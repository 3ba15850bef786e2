package io.agentbus.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbus.api.Addresses;
import io.agentbus.api.AgentReport;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.Failures;
import io.agentbus.api.Json;
import io.agentbus.api.TaskError;
import io.agentbus.api.TaskEventType;
import io.agentbus.api.TaskState;
import io.agentbus.api.ToolCall;
import io.agentbus.api.ToolOutcome;
import io.agentbus.config.Setting;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;

/**
 * Takes what agents report about the tasks they run. A report of an attempt that is no longer current (the task
 * ended, was cancelled, timed out or moved to another agent) is refused with {@link ErrorCode#ATTEMPT_FENCED} and
 * counted. Tool calls go through here so they are recorded in the task's stream and refused once fenced.
 */
final class AgentReports {

  private final Vertx vertx;
  private final TaskBook book;
  private final Dispatcher dispatcher;
  private final int maxEvents;
  private final Counter fenced;
  private final Hibernation hibernation;

  AgentReports(Vertx vertx, TaskBook book, Dispatcher dispatcher, SessionSnapshots snapshots) {
    this.vertx = vertx;
    this.book = book;
    this.dispatcher = dispatcher;
    this.hibernation = new Hibernation(book, dispatcher, this, snapshots);
    this.maxEvents = dispatcher.node().config().getInt(Setting.TASKS_MAX_EVENTS);
    this.fenced = Counter.builder("agentbus.agent.reports.fenced")
        .description("Agent reports and tool calls refused because their attempt was no longer current")
        .register(dispatcher.node().registry());
  }

  Hibernation hibernation() {
    return hibernation;
  }

  void handle(Message<AgentReport> msg) {
    AgentReport report = msg.body();
    if (report == null || report.taskId() == null || report.kind() == null) {
      Failures.fail(msg, new AgentbusException(ErrorCode.INVALID_REQUEST, "a report needs a task id and a kind"));
      return;
    }
    TaskRecord task = book.get(report.taskId());
    if (task == null) {
      Failures.fail(msg, new AgentbusException(ErrorCode.TASK_NOT_FOUND, report.taskId()));
      return;
    }
    if (task.isTerminal() || !task.attemptOpen() || task.epoch() != report.epoch()) {
      if (report.kind() != AgentReport.Kind.STOPPED && report.kind() != AgentReport.Kind.RELEASED) {
        fenced.increment();
      }
      Failures.fail(msg, new AgentbusException(ErrorCode.ATTEMPT_FENCED,
          "attempt " + report.epoch() + " of " + task.id + " is no longer current"));
      return;
    }
    if (task.lastSeq() >= maxEvents) {
      tooManyEvents(task);
      Failures.fail(msg, new AgentbusException(ErrorCode.TOO_MANY_EVENTS, "more than " + maxEvents + " events"));
      return;
    }
    boolean winding = report.kind() == AgentReport.Kind.STOPPED || report.kind() == AgentReport.Kind.RELEASED;
    if (task.state() == TaskState.ASSIGNED && !winding) {
      // the agent's acceptance reply was lost or is still under way: it is evidently running
      book.emit(task, TaskEventType.RUNNING, Json.object().put("agent_id", task.agentId()));
    }
    JsonNode data = report.data() == null ? Json.object() : report.data();
    switch (report.kind()) {
      case PROGRESS -> stream(msg, task, TaskEventType.PROGRESS, data);
      case THOUGHT -> stream(msg, task, TaskEventType.THOUGHT, data);
      case CONTENT -> stream(msg, task, TaskEventType.CONTENT, data);
      case TOOL_CALL -> toolCall(msg, task, data);
      case RESULT -> succeed(msg, task, data);
      case ERROR -> fail(msg, task, data);
      case STOPPED -> msg.reply(null);
      case RELEASED -> release(msg, task, data);
      case HIBERNATE -> hibernation.hibernate(msg, task, data);
      case SAVE_SNAPSHOT -> hibernation.save(msg, task, data);
      case LOAD_SNAPSHOT -> hibernation.load(msg, task);
      case COMPENSATING -> compensating(msg, task, data);
      case COMPENSATED -> compensated(msg, task, data);
    }
  }

  private void stream(Message<AgentReport> msg, TaskRecord task, TaskEventType type, JsonNode data) {
    book.emit(task, type, data);
    msg.reply(null);
  }

  private void succeed(Message<AgentReport> msg, TaskRecord task, JsonNode result) {
    task.succeed(result);
    dispatcher.endAttempt(task);
    book.finish(task, TaskEventType.SUCCEEDED, Json.object().set("result", result), null);
    book.awaitSettled(task, Long.MAX_VALUE).onComplete(ar -> msg.reply(null));
  }

  // a saga step failed: the task compensates (once; a replayed attempt reports it again)
  private void compensating(Message<AgentReport> msg, TaskRecord task, JsonNode data) {
    if (task.state() == TaskState.RUNNING) {
      book.emit(task, TaskEventType.COMPENSATING, data);
    }
    msg.reply(null);
  }

  private void compensated(Message<AgentReport> msg, TaskRecord task, JsonNode result) {
    if (task.state() != TaskState.COMPENSATING) {
      Failures.fail(msg, new AgentbusException(ErrorCode.INVALID_REQUEST,
          "task " + task.id + " is " + task.state().name().toLowerCase(java.util.Locale.ROOT)
              + ", not compensating: report compensating first"));
      return;
    }
    task.succeed(result);
    dispatcher.endAttempt(task);
    book.finish(task, TaskEventType.COMPENSATED, Json.object().set("result", result), null);
    book.awaitSettled(task, Long.MAX_VALUE).onComplete(ar -> msg.reply(null));
  }

  private void fail(Message<AgentReport> msg, TaskRecord task, JsonNode data) {
    String code = data.path("code").asText("agent-error");
    TaskError error = new TaskError(code.isBlank() ? "agent-error" : code, data.path("message").asText(""));
    task.fail(error);
    dispatcher.endAttempt(task);
    book.finish(task, TaskEventType.FAILED, Json.object().set("error", Json.tree(error)), error.code());
    book.awaitSettled(task, Long.MAX_VALUE).onComplete(ar -> msg.reply(null));
  }

  // the agent lost the attempt without a result (its session ended): the same as the agent leaving the registry
  private void release(Message<AgentReport> msg, TaskRecord task, JsonNode data) {
    String agentId = task.agentId();
    dispatcher.endAttempt(task);
    dispatcher.retry(task, "agent " + agentId + " gave the task back: " + data.path("reason").asText("no reason"));
    msg.reply(null);
  }

  private void toolCall(Message<AgentReport> msg, TaskRecord task, JsonNode data) {
    String callId = data.path("call_id").asText(null);
    String tool = data.path("tool").asText(null);
    if (callId == null || tool == null || callId.isBlank() || tool.isBlank()) {
      Failures.fail(msg, new AgentbusException(ErrorCode.INVALID_REQUEST, "a tool call needs call_id and tool"));
      return;
    }
    int epoch = task.epoch();
    JsonNode arguments = data.path("arguments").isMissingNode() ? Json.object() : data.get("arguments");
    TaskRecord.ToolCallRecord earlier = task.toolCalls().get(callId);
    if (earlier != null) {
      if (!earlier.sameCall(tool, arguments)) {
        Failures.fail(msg, new AgentbusException(ErrorCode.INVALID_REQUEST, "call_id " + callId
            + " was already used for another call in this attempt; give each call its own id"));
        return;
      }
      // a repeat (the agent retried, or its request was delivered twice): the first call's outcome, not a new run
      earlier.outcome().onComplete(ar -> replyToolCall(msg, task, epoch, ar));
      return;
    }
    io.vertx.core.Future<ToolOutcome> outcome = invokeTool(task, callId, tool, arguments, data);
    outcome.onComplete(ar -> replyToolCall(msg, task, epoch, ar));
  }

  /**
   * Records a tool call in the task's stream and runs it through the tool-executor; the outcome (a failure is an
   * outcome too) is recorded as well while the attempt that made the call is current.
   */
  io.vertx.core.Future<ToolOutcome> invokeTool(TaskRecord task, String callId, String tool, JsonNode arguments,
                                               JsonNode data) {
    int epoch = task.epoch();
    book.emit(task, TaskEventType.TOOL_CALL, data);
    long remaining = Math.max(1, task.deadlineEpochMs() - System.currentTimeMillis());
    ToolCall call = new ToolCall(tool, arguments, task.id, callId, remaining, epoch, task.traceparent);
    long start = System.nanoTime();
    io.vertx.core.Future<ToolOutcome> outcome = vertx.eventBus().<ToolOutcome>request(Addresses.TOOLS_INVOKE, call,
            new DeliveryOptions().setSendTimeout(remaining + 1000))
        .map(Message::body)
        .recover(err -> {
          AgentbusException e = Failures.toException(err);
          ErrorCode code = e.code() == ErrorCode.UPSTREAM_TIMEOUT ? ErrorCode.TOOL_TIMEOUT : e.code();
          return io.vertx.core.Future.succeededFuture(ToolOutcome.failure(callId, tool,
              TaskError.of(code, e.getMessage()), (System.nanoTime() - start) / 1_000_000));
        })
        .andThen(ar -> {
          if (!task.isTerminal() && task.epoch() == epoch) {
            book.emit(task, TaskEventType.TOOL_RESULT, Json.tree(ar.result()));
          }
        });
    task.toolCalls().put(callId, new TaskRecord.ToolCallRecord(tool, arguments, outcome));
    return outcome;
  }

  private void replyToolCall(Message<AgentReport> msg, TaskRecord task, int epoch,
                             io.vertx.core.AsyncResult<ToolOutcome> outcome) {
    if (task.isTerminal() || task.epoch() != epoch) {
      fenced.increment();
      Failures.fail(msg, new AgentbusException(ErrorCode.ATTEMPT_FENCED,
          "attempt " + epoch + " of " + task.id + " ended while the tool ran"));
      return;
    }
    msg.reply(outcome.result());
  }

  private void tooManyEvents(TaskRecord task) {
    dispatcher.stopAttempt(task, "too many events");
    TaskError error = TaskError.of(ErrorCode.TOO_MANY_EVENTS, "the task emitted more than " + maxEvents + " events");
    task.fail(error);
    book.finish(task, TaskEventType.FAILED, Json.object().set("error", Json.tree(error)), error.code());
  }
}
