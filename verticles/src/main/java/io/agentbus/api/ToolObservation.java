package io.agentbus.api;

/**
 * What came of a {@link ToolIntent}, as recorded in the observation topic: the same outcome for every delivery of
 * the intent (the one recorded in the idempotency ledger).
 *
 * @param intentSource the intent's CloudEvent source
 * @param intentId     the intent's CloudEvent id
 * @param executorNode the node that published this copy of the observation
 */
public record ToolObservation(String intentSource, String intentId, String taskId, ToolOutcome outcome,
                              String executorNode) {
}
