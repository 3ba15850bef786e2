package io.agentbus.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What an agent reports about a task it runs, to the assignment's report address. PROGRESS, THOUGHT and CONTENT
 * may be sent without waiting for a reply; RESULT and ERROR should be sent as requests and retried until answered
 * (they are idempotent per epoch); TOOL_CALL is a request whose reply is the {@link ToolOutcome}.
 *
 * <p>Payloads: progress {@code {stage, percent, message}}, thought {@code {step, delta}}, content
 * {@code {text, final}}, tool_call {@code {call_id, tool, arguments}}, result: the task result (any JSON),
 * error {@code {code, message}}, stopped: {@code {reason}}, released: {@code {reason}}.
 *
 * <p>RELEASED gives a running attempt back without a result (the agent's session ended, or another session took its
 * id over): the scheduler ends the attempt and dispatches the task again, as when the agent leaves the registry.
 * Like STOPPED, a RELEASED of an attempt that is no longer current is refused but not counted as fenced.
 *
 * <p>HIBERNATE (a request) saves the task's session snapshot, starts a tool call and ends the attempt without a
 * result: {@code {call_id, tool, arguments, state, expected_version}}. The reply is the saved
 * {@link SessionSnapshot} without its state (the agent then drops the task and its capacity is free); a stale {@code expected_version} fails with
 * {@link ErrorCode#SESSION_VERSION_CONFLICT} and the attempt goes on. When the tool's outcome arrives the task is
 * assigned again, to any live agent of its type, with {@link Assignment#resume()} set.
 *
 * <p>SAVE_SNAPSHOT (a request, {@code {state, expected_version}}) saves the session snapshot without ending the
 * attempt; the reply is the saved {@link SessionSnapshot} without its state. LOAD_SNAPSHOT (a request, no payload)
 * answers the session's current {@link SessionSnapshot}, or null when it has none.
 *
 * <p>COMPENSATING (a request, {@code {failed_step, step_name, error}}) moves a running task to COMPENSATING: a saga's
 * step failed and the agent undoes the completed ones (a repeat while compensating is answered and ignored).
 * COMPENSATED (like RESULT, {@code {failed_step, step_name, error, compensated: [step numbers in the order undone]}})
 * ends a compensating task COMPENSATED; a compensation that fails ends it with ERROR (FAILED).
 */
public record AgentReport(String taskId, int epoch, String agentId, Kind kind, JsonNode data) {

  /** The kinds of report. */
  public enum Kind {
    PROGRESS, THOUGHT, CONTENT, TOOL_CALL, RESULT, ERROR, STOPPED, RELEASED, HIBERNATE, SAVE_SNAPSHOT,
    LOAD_SNAPSHOT, COMPENSATING, COMPENSATED
  }
}
