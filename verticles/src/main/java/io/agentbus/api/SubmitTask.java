package io.agentbus.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A request to run a task.
 *
 * @param agentType      which kind of agent should run it
 * @param input          the task input, any JSON value
 * @param timeoutMs      the end-to-end deadline in milliseconds from acceptance, or null for the node default
 * @param metadata       caller labels, returned with the task
 * @param idempotencyKey when not null, a repeat with the same key returns the first task instead of a new one
 * @param traceparent    W3C trace context of the caller, or null
 * @param waitMs         when positive, the reply waits up to this long for the task to finish (it then carries the
 *                       terminal state); 0 replies as soon as the task is accepted
 * @param sessionId      when not null, the session the task belongs to: tasks of one session run one at a time,
 *                       cluster-wide, in the order they were accepted
 * @param onBusy         what to do when another task of the session runs (null: {@link OnBusy#ENQUEUE})
 */
public record SubmitTask(String agentType, JsonNode input, Long timeoutMs, Map<String, String> metadata,
                         String idempotencyKey, String traceparent, long waitMs, String sessionId, OnBusy onBusy) {

  public SubmitTask {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    onBusy = onBusy == null ? OnBusy.ENQUEUE : onBusy;
  }

  public SubmitTask(String agentType, JsonNode input, Long timeoutMs, Map<String, String> metadata,
                    String idempotencyKey, String traceparent, long waitMs) {
    this(agentType, input, timeoutMs, metadata, idempotencyKey, traceparent, waitMs, null, null);
  }
}
