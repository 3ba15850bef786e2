package io.agentbus.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Sent (as a request) to an agent's inbox: run this task. The agent replies to accept, or fails with
 * {@link ErrorCode#AGENT_AT_CAPACITY}. Everything it then reports carries {@code epoch}; reports from an older epoch
 * are rejected with {@link ErrorCode#ATTEMPT_FENCED}.
 *
 * @param deadlineEpochMs wall-clock time after which the task will be timed out
 * @param reportAddress   where to send {@link AgentReport}s for this task
 * @param resume          null for a fresh start; for a task woken from hibernation
 *                        {@code {session_id, snapshot: {version, state}, tool_result: ToolOutcome}}
 */
public record Assignment(String taskId, int epoch, String agentType, JsonNode input, Map<String, String> metadata,
                         long deadlineEpochMs, String reportAddress, String traceparent, JsonNode resume) {

  public Assignment(String taskId, int epoch, String agentType, JsonNode input, Map<String, String> metadata,
                    long deadlineEpochMs, String reportAddress, String traceparent) {
    this(taskId, epoch, agentType, input, metadata, deadlineEpochMs, reportAddress, traceparent, null);
  }
}
