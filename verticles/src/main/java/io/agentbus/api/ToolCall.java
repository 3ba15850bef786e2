package io.agentbus.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A request to run one tool, sent to {@link Addresses#TOOLS_INVOKE}. The executor records it as a durable intent
 * whose idempotency key is derived from {@code taskId} and {@code callId}: a second call with the same pair gets the
 * outcome of the first (the tool runs once), whichever node receives it.
 *
 * @param callId      unique per call within the task; with {@code taskId} it names the call (and is its
 *                    idempotency key)
 * @param timeoutMs   at most this long in total (retries included), or null for the tool's own limits
 * @param epoch       the task attempt that makes the call, recorded with the intent; null when not known
 * @param traceparent W3C trace context to carry on the intent and observation; null when none
 */
public record ToolCall(String tool, JsonNode arguments, String taskId, String callId, Long timeoutMs, Integer epoch,
                       String traceparent) {

  /** A call without attempt epoch or trace context. */
  public ToolCall(String tool, JsonNode arguments, String taskId, String callId, Long timeoutMs) {
    this(tool, arguments, taskId, callId, timeoutMs, null, null);
  }
}
