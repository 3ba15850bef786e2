package io.agentbus.toolexecutor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.TaskError;
import io.agentbus.api.ToolCall;
import io.agentbus.api.ToolOutcome;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Turns a well-formed {@link ToolCall} into a {@link ToolOutcome}: finds the tool, validates the arguments (the tool
 * is not called if they are invalid), runs it under its time limit, validates the result, and records metrics. The
 * returned future always succeeds.
 */
final class ToolCallRunner {

  private static final int MAX_ECHOED_NAME = 64;

  private final Vertx vertx;
  private final Context context;
  private final ToolRegistry registry;
  private final ToolMetrics metrics;

  ToolCallRunner(Vertx vertx, Context context, ToolRegistry registry, ToolMetrics metrics) {
    this.vertx = vertx;
    this.context = context;
    this.registry = registry;
    this.metrics = metrics;
  }

  Future<ToolOutcome> run(ToolCall call) {
    long started = System.nanoTime();
    RegisteredTool tool = registry.find(call.tool());
    if (tool == null) {
      return conclude(call, ToolMetrics.UNKNOWN_TOOL_TAG, started,
          failure(ErrorCode.UNKNOWN_TOOL, "no tool named '" + shortened(call.tool()) + "'"));
    }
    JsonNode arguments = orNull(call.arguments());
    Optional<String> invalid;
    try {
      invalid = tool.argumentsProblem(arguments);
    } catch (AgentbusException e) {
      return conclude(call, tool.name(), started, Future.failedFuture(e));
    }
    if (invalid.isPresent()) {
      return conclude(call, tool.name(), started, failure(ErrorCode.INVALID_TOOL_ARGUMENTS, invalid.get()));
    }
    metrics.started(tool.name());
    Future<JsonNode> result = TimeBoundCall
        .start(vertx, context, tool, call, arguments, tool.timeoutFor(call.timeoutMs()),
            () -> metrics.finished(tool.name()))
        .compose(value -> checkedResult(tool, orNull(value)));
    return conclude(call, tool.name(), started, result);
  }

  private Future<ToolOutcome> conclude(ToolCall call, String toolTag, long started, Future<JsonNode> result) {
    return result.transform(done -> {
      long elapsed = System.nanoTime() - started;
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(elapsed);
      ToolOutcome outcome = done.succeeded()
          ? ToolOutcome.success(call.callId(), call.tool(), done.result(), elapsedMs)
          : ToolOutcome.failure(call.callId(), call.tool(), errorOf(done.cause()), elapsedMs);
      metrics.record(toolTag, CallOutcome.of(outcome.error()), elapsed);
      return Future.succeededFuture(outcome);
    });
  }

  private static Future<JsonNode> checkedResult(RegisteredTool tool, JsonNode value) {
    return tool.resultProblem(value)
        .<Future<JsonNode>>map(problem -> failure(ErrorCode.TOOL_FAILED, problem))
        .orElseGet(() -> Future.succeededFuture(value));
  }

  private static TaskError errorOf(Throwable cause) {
    if (cause instanceof AgentbusException e) {
      return TaskError.of(e.code(), e.getMessage());
    }
    if (cause instanceof TimeoutException) {
      return TaskError.of(ErrorCode.TOOL_TIMEOUT, cause.getMessage());
    }
    String detail = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    return TaskError.of(ErrorCode.TOOL_FAILED, detail);
  }

  private static Future<JsonNode> failure(ErrorCode code, String message) {
    return Future.failedFuture(new AgentbusException(code, message));
  }

  private static JsonNode orNull(JsonNode value) {
    return value == null ? NullNode.getInstance() : value;
  }

  private static String shortened(String name) {
    return name.length() <= MAX_ECHOED_NAME ? name : name.substring(0, MAX_ECHOED_NAME) + "...";
  }
}
