package io.agentbus.toolexecutor;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.ToolDescriptor;
import io.vertx.core.Future;

/**
 * A tool the tool-executor can run on behalf of an agent.
 *
 * <p>What the executor guarantees to a tool:
 * <ul>
 *   <li>{@link #call} is only invoked with arguments that validate against
 *       {@link ToolDescriptor#argumentsSchema()} (JSON Schema draft 2020-12), so a tool need not re-check shapes,
 *       only meaning.</li>
 *   <li>{@link #call} is invoked on an event loop. It must not block it: blocking or CPU-heavy work goes through
 *       {@code context.vertx().executeBlocking(...)}.</li>
 *   <li>If the returned future does not complete within the call's time limit the caller gets
 *       {@link ErrorCode#TOOL_TIMEOUT}, {@link ToolContext#abandoned()} completes, and whatever the future later
 *       completes with is dropped.</li>
 *   <li>Each call (one intent: a task and call id) runs at most once, however often it is delivered, unless the tool
 *       is idempotent: then a failed attempt may be retried under {@link ToolDescriptor#retry()}, and a call whose
 *       node died while it ran is run again. A non-idempotent call interrupted by a crash is reported
 *       {@link ErrorCode#TOOL_IN_DOUBT}, never repeated.</li>
 *   <li>At most {@link ToolDescriptor#maxConcurrency()} calls run at once on one node; while the tool's circuit
 *       breaker is open, calls fail fast with {@link ErrorCode#TOOL_UNAVAILABLE} without reaching it.</li>
 * </ul>
 *
 * <p>What a tool promises:
 * <ul>
 *   <li>{@link #descriptor()} returns the same value every time; its schemas are compiled once, when the tool is
 *       registered. A {@link ToolDescriptor#timeoutMs()} of 0 or less means "the node's default".</li>
 *   <li>The future succeeds with a result matching {@link ToolDescriptor#resultSchema()} (when one is declared;
 *       a mismatch is reported as {@link ErrorCode#TOOL_FAILED}), or fails. A failure with an
 *       {@link AgentbusException} keeps its code (for example {@link ErrorCode#TOOL_DENIED} for a policy refusal);
 *       any other failure is reported as {@link ErrorCode#TOOL_FAILED} with the exception's message.</li>
 * </ul>
 */
public interface Tool {

  /**
   * The tool's name, description, schemas for arguments and result, time limit, idempotency, bulkhead size and retry
   * policy, as agents see them.
   */
  ToolDescriptor descriptor();

  /**
   * Runs the tool once.
   *
   * @param arguments already validated against the arguments schema; must not be modified
   * @param context   the call's identity, time limit and the Vert.x instance to schedule work on
   * @return the result, never null (a tool with nothing to say returns an empty object)
   */
  Future<JsonNode> call(JsonNode arguments, ToolContext context);

  /**
   * For a tool declared idempotent, whether this particular call is (for example a GET, not a POST); only consulted
   * when {@link ToolDescriptor#idempotent()} is true.
   *
   * @param arguments already validated against the arguments schema
   */
  default boolean idempotentFor(JsonNode arguments) {
    return true;
  }
}
