package io.agentbus.toolexecutor;

import io.agentbus.api.ErrorCode;
import io.agentbus.api.TaskError;
import io.agentbus.api.ToolCall;
import io.agentbus.api.ToolIntent;
import io.agentbus.api.ToolOutcome;
import io.agentbus.events.ToolCloudEvents;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The caller-facing side of the executor, on {@link io.agentbus.api.Addresses#TOOLS_INVOKE}: a {@link ToolCall}
 * that may run (known tool, valid arguments: checked here so a bad call costs no Kafka round trip) becomes a durable
 * intent; the caller is answered with the intent's observation, whichever node executes it. The intent's
 * idempotency key is {@code (/agentbus/tasks/<task id>, <call id>)}, so a repeated call gets the first one's
 * outcome.
 */
final class ToolInvokeFront {

  private static final Logger LOG = LoggerFactory.getLogger(ToolInvokeFront.class);

  private final IntentLog log;
  private final PendingCalls pending;
  private final ToolCallRunner runner;
  private final ToolRegistry registry;
  private final ToolMetrics metrics;
  private final String nodeId;
  private final long graceMs;

  ToolInvokeFront(IntentLog log, PendingCalls pending, ToolCallRunner runner, ToolRegistry registry,
                  ToolMetrics metrics, String nodeId, long graceMs) {
    this.log = log;
    this.pending = pending;
    this.runner = runner;
    this.registry = registry;
    this.metrics = metrics;
    this.nodeId = nodeId;
    this.graceMs = graceMs;
  }

  void handle(Message<Object> message) {
    String problem = requestProblem(message.body());
    if (problem != null) {
      message.fail(ErrorCode.INVALID_REQUEST.code(), problem);
      return;
    }
    invoke((ToolCall) message.body()).onSuccess(message::reply);
  }

  /** The call's outcome; the future always succeeds. */
  Future<ToolOutcome> invoke(ToolCall call) {
    String id = call.callId() != null && !call.callId().isBlank() ? call.callId() : UUID.randomUUID().toString();
    Optional<ToolOutcome> rejected = runner.rejection(call.tool(), id, call.arguments());
    if (rejected.isPresent()) {
      return Future.succeededFuture(rejected.get());
    }
    ToolIntent intent = intentOf(call, id);
    long budget = call.timeoutMs() != null ? call.timeoutMs()
        : ToolCallRunner.budgetMs(registry.find(call.tool()), ToolCallRunner.orNull(call.arguments()));
    long waitMs = budget + graceMs;
    long sent = System.nanoTime();
    Future<ToolOutcome> answer = pending.await(intent.key(), waitMs, () -> ToolOutcome.failure(intent.id(),
        call.tool(), TaskError.of(ErrorCode.TOOL_TIMEOUT, "no observation of call " + intent.id() + " within "
            + waitMs + " ms; its intent is recorded and its outcome will be in the observation topic"),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent)));
    log.intent(intent).onFailure(err -> {
      LOG.warn("the intent of call {} could not be recorded: {}", intent.id(), err.toString());
      pending.complete(intent.key(), ToolOutcome.failure(intent.id(), call.tool(), TaskError.of(
          ErrorCode.TOOL_INTENT_NOT_DURABLE, "Kafka did not take the intent: " + err.getMessage()),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent)));
    });
    return answer.onSuccess(outcome -> metrics.roundTrip(System.nanoTime() - sent));
  }

  // the caller's time limit becomes the intent's deadline; without one the tool's own limits apply where it runs
  private ToolIntent intentOf(ToolCall call, String id) {
    String source = call.taskId() != null ? ToolCloudEvents.taskSource(call.taskId()) : ToolCloudEvents.CALL_SOURCE;
    Long deadline = call.timeoutMs() == null ? null : System.currentTimeMillis() + call.timeoutMs();
    return new ToolIntent(source, id, call.taskId(), call.tool(), call.arguments(), deadline, call.epoch(),
        call.traceparent(), nodeId);
  }

  private static String requestProblem(Object body) {
    if (!(body instanceof ToolCall call)) {
      return "the body must be a ToolCall, was " + (body == null ? "null" : body.getClass().getSimpleName());
    }
    if (call.tool() == null || call.tool().isBlank()) {
      return "tool is required";
    }
    if (call.timeoutMs() != null && call.timeoutMs() <= 0) {
      return "timeout_ms must be positive, was " + call.timeoutMs();
    }
    return null;
  }
}
