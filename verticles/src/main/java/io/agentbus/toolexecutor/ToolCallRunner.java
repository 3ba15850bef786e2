package io.agentbus.toolexecutor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.TaskError;
import io.agentbus.api.ToolIntent;
import io.agentbus.api.ToolOutcome;
import io.agentbus.api.ToolRetryPolicy;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.circuitbreaker.RetryPolicy;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one call of a tool: checks it may run (the tool exists, the arguments validate; a call that may not never
 * reaches the tool), then runs it through the tool's circuit breaker and bulkhead under its time limit, retries
 * failed attempts of an idempotent tool with exponential backoff and jitter until its deadline, validates the result
 * and records metrics. Used on the executor's context; the futures it returns always succeed.
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

  /**
   * Why a call must not run, as the outcome to report (counted in the metrics): the tool is unknown or the arguments
   * do not match its schema. Empty if it may run.
   */
  Optional<ToolOutcome> rejection(String toolName, String callId, JsonNode arguments) {
    RegisteredTool tool = registry.find(toolName);
    if (tool == null) {
      metrics.record(ToolMetrics.UNKNOWN_TOOL_TAG, CallOutcome.UNKNOWN_TOOL, 0);
      return Optional.of(ToolOutcome.failure(callId, toolName,
          TaskError.of(ErrorCode.UNKNOWN_TOOL, "no tool named '" + shortened(toolName) + "'"), 0));
    }
    Optional<String> invalid;
    try {
      invalid = tool.argumentsProblem(orNull(arguments));
    } catch (AgentbusException e) {
      invalid = Optional.of(e.getMessage());
    }
    if (invalid.isEmpty()) {
      return Optional.empty();
    }
    metrics.record(tool.name(), CallOutcome.INVALID_ARGUMENTS, 0);
    return Optional.of(ToolOutcome.failure(callId, toolName,
        TaskError.of(ErrorCode.INVALID_TOOL_ARGUMENTS, invalid.get()), 0));
  }

  /** The time a call may take in all, retries included: up to the intent's deadline, else the tool's own limits. */
  static long budgetMs(RegisteredTool tool, ToolIntent intent) {
    if (intent.deadline() != null) {
      return Math.max(0, intent.deadline() - System.currentTimeMillis());
    }
    return budgetMs(tool, orNull(intent.arguments()));
  }

  /** The time a call with these arguments may take without a deadline: every attempt and the longest backoffs. */
  static long budgetMs(RegisteredTool tool, JsonNode arguments) {
    int attempts = tool.maxAttempts(arguments);
    ToolRetryPolicy retry = tool.descriptor().retry();
    long backoffs = attempts > 1 ? (attempts - 1) * retry.maxBackoffMs() : 0;
    return attempts * tool.descriptor().timeoutMs() + backoffs;
  }

  /** Runs a call that passed {@link #rejection}; the outcome is reported under the intent's id. */
  Future<ToolOutcome> run(RegisteredTool tool, ToolIntent intent) {
    long started = System.nanoTime();
    JsonNode arguments = orNull(intent.arguments());
    long deadline = started + TimeUnit.MILLISECONDS.toNanos(budgetMs(tool, intent));
    return attempt(tool, intent, arguments, 1, tool.maxAttempts(arguments), deadline)
        .transform(done -> {
          long elapsed = System.nanoTime() - started;
          long elapsedMs = TimeUnit.NANOSECONDS.toMillis(elapsed);
          ToolOutcome outcome = done.succeeded()
              ? ToolOutcome.success(intent.id(), tool.name(), done.result(), elapsedMs)
              : ToolOutcome.failure(intent.id(), tool.name(), errorOf(done.cause()), elapsedMs);
          metrics.record(tool.name(), CallOutcome.of(outcome.error()), elapsed);
          return Future.succeededFuture(outcome);
        });
  }

  private Future<JsonNode> attempt(RegisteredTool tool, ToolIntent intent, JsonNode arguments, int attempt,
                                   int maxAttempts, long deadline) {
    long remainingMs = (deadline - System.nanoTime() + 999_999) / 1_000_000;
    if (remainingMs <= 0) {
      return failure(ErrorCode.TOOL_TIMEOUT, attempt == 1
          ? "the call's deadline passed before tool " + tool.name() + " could start"
          : "the call's deadline passed after " + (attempt - 1) + " attempts of tool " + tool.name());
    }
    Future<JsonNode> once = tool.breaker().execute(() -> guarded(tool, intent, arguments, remainingMs));
    return once.recover(err -> {
      if (attempt < maxAttempts && retryable(err)) {
        ToolRetryPolicy policy = tool.descriptor().retry();
        long delay = RetryPolicy.exponentialDelayWithJitter(Math.max(1, policy.initialBackoffMs()),
            Math.max(1, policy.maxBackoffMs())).delay(err, attempt);
        if (TimeUnit.MILLISECONDS.toNanos(delay) < deadline - System.nanoTime()) {
          Promise<Void> wait = Promise.promise();
          vertx.setTimer(Math.max(1, delay), id -> wait.complete());
          return wait.future().compose(v -> attempt(tool, intent, arguments, attempt + 1, maxAttempts, deadline));
        }
      }
      return Future.failedFuture(err);
    });
  }

  private Future<JsonNode> guarded(RegisteredTool tool, ToolIntent intent, JsonNode arguments, long remainingMs) {
    Bulkhead bulkhead = tool.bulkhead();
    return bulkhead.acquire(remainingMs).compose(slot -> {
      metrics.started(tool.name());
      long limit = Math.max(1, Math.min(tool.descriptor().timeoutMs(), remainingMs));
      return TimeBoundCall.start(vertx, context, tool, intent.taskId(), intent.id(), arguments, limit, () -> {
        metrics.finished(tool.name());
        bulkhead.release();
      }).compose(value -> checkedResult(tool, orNull(value)));
    });
  }

  /**
   * The circuit breaker's failure policy: what the tool did wrong, not refusals by policy, arguments the tool found
   * meaningless, or a full bulkhead.
   */
  static boolean countsAgainstBreaker(Future<?> done) {
    if (done.succeeded()) {
      return false;
    }
    return !(done.cause() instanceof AgentbusException e && (e.code() == ErrorCode.TOOL_DENIED
        || e.code() == ErrorCode.INVALID_TOOL_ARGUMENTS || e.code() == ErrorCode.TOOL_BUSY));
  }

  private static boolean retryable(Throwable err) {
    ErrorCode code = errorCode(err);
    return code == ErrorCode.TOOL_FAILED || code == ErrorCode.TOOL_TIMEOUT;
  }

  private static Future<JsonNode> checkedResult(RegisteredTool tool, JsonNode value) {
    return tool.resultProblem(value)
        .<Future<JsonNode>>map(problem -> failure(ErrorCode.TOOL_FAILED, problem))
        .orElseGet(() -> Future.succeededFuture(value));
  }

  private static ErrorCode errorCode(Throwable cause) {
    if (cause instanceof AgentbusException e) {
      return e.code();
    }
    if (cause instanceof TimeoutException) {
      return ErrorCode.TOOL_TIMEOUT;
    }
    if (cause instanceof OpenCircuitException) {
      return ErrorCode.TOOL_UNAVAILABLE;
    }
    return ErrorCode.TOOL_FAILED;
  }

  static TaskError errorOf(Throwable cause) {
    if (cause instanceof OpenCircuitException) {
      return TaskError.of(ErrorCode.TOOL_UNAVAILABLE,
          "the circuit breaker of this tool is open after repeated failures; try again later");
    }
    String detail = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    return TaskError.of(errorCode(cause), detail);
  }

  private static Future<JsonNode> failure(ErrorCode code, String message) {
    return Future.failedFuture(new AgentbusException(code, message));
  }

  static JsonNode orNull(JsonNode value) {
    return value == null ? NullNode.getInstance() : value;
  }

  private static String shortened(String name) {
    return name.length() <= MAX_ECHOED_NAME ? name : name.substring(0, MAX_ECHOED_NAME) + "...";
  }
}
