package io.agentbus.toolexecutor;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * What a {@link Tool} knows about the call it is running.
 *
 * @param vertx     for timers, clients and {@code executeBlocking}
 * @param taskId    the task the call belongs to, or null
 * @param callId    the call's id within the task, or null
 * @param timeoutMs the time limit the executor applies to this call
 * @param abandoned completes when the executor stops waiting (the call timed out); a tool should then release
 *                  what it holds (close connections, stop loops). It never fails.
 */
public record ToolContext(Vertx vertx, String taskId, String callId, long timeoutMs, Future<Void> abandoned) {
}
