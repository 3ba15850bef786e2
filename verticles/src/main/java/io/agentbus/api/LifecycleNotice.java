package io.agentbus.api;

import java.time.Instant;

/**
 * Published on {@link Addresses#OBSERVER_LIFECYCLE} for every state change of every task: what metrics and the
 * audit log need without reading Kafka.
 *
 * @param errorCode the error code of a FAILED, CANCELLED or TIMED_OUT task, else null
 */
public record LifecycleNotice(String taskId, String agentType, TaskEventType type, long seq, Instant createdAt,
                              Instant at, int attempt, String agentId, String nodeId, String errorCode) {
}
