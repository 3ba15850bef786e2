package io.agentbus.toolexecutor;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.ErrorCode;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one tool call under a time limit. The answer completes exactly once, on the executor's context: with the
 * tool's result, or with {@link ErrorCode#TOOL_TIMEOUT} when the limit passes first; in that case the tool is told
 * through {@link ToolContext#abandoned()} and its late result is dropped.
 */
final class TimeBoundCall {

  private static final Logger LOG = LoggerFactory.getLogger(TimeBoundCall.class);

  private final Vertx vertx;
  private final Context context;
  private final RegisteredTool tool;
  private final Promise<JsonNode> answer = Promise.promise();
  private final Promise<Void> abandoned = Promise.promise();

  private TimeBoundCall(Vertx vertx, Context context, RegisteredTool tool) {
    this.vertx = vertx;
    this.context = context;
    this.tool = tool;
  }

  /**
   * Starts the call; must be invoked on {@code context}.
   *
   * @param toolFinished runs on {@code context} once the tool's own future completes, even after a timeout
   */
  static Future<JsonNode> start(Vertx vertx, Context context, RegisteredTool tool, String taskId, String callId,
                                JsonNode arguments, long timeoutMs, Runnable toolFinished) {
    return new TimeBoundCall(vertx, context, tool).run(taskId, callId, arguments, timeoutMs, toolFinished);
  }

  private Future<JsonNode> run(String taskId, String callId, JsonNode arguments, long timeoutMs,
                               Runnable toolFinished) {
    long timer = vertx.setTimer(timeoutMs, id -> {
      if (answer.tryFail(new AgentbusException(ErrorCode.TOOL_TIMEOUT,
          "tool " + tool.name() + " did not finish within " + timeoutMs + " ms"))) {
        abandoned.complete();
      }
    });
    ToolContext toolContext = new ToolContext(vertx, taskId, callId, timeoutMs, abandoned.future());
    invoke(arguments, toolContext).onComplete(result -> onContext(() -> {
      vertx.cancelTimer(timer);
      toolFinished.run();
      settle(result, taskId, callId);
    }));
    return answer.future();
  }

  private Future<JsonNode> invoke(JsonNode arguments, ToolContext toolContext) {
    try {
      Future<JsonNode> result = tool.tool().call(arguments, toolContext);
      return result != null ? result : Future.failedFuture("tool " + tool.name() + " returned no future");
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private void settle(AsyncResult<JsonNode> result, String taskId, String callId) {
    boolean accepted = result.succeeded() ? answer.tryComplete(result.result()) : answer.tryFail(result.cause());
    if (!accepted) {
      LOG.debug("dropped the late {} of tool {} (task {}, call {}) after its timeout",
          result.succeeded() ? "result" : "failure", tool.name(), taskId, callId);
    }
  }

  /** A tool may complete its future on any thread; the answer is always settled on the executor's context. */
  private void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }
}
