package io.agentbus.scheduler;

import io.agentbus.api.Addresses;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.Failures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;

/**
 * Sends a request about a task to the scheduler that owns it: the node that accepted it (its id says which), or,
 * when that node is gone or has given the task up, the node that took the task over (the task table says which).
 */
final class OwnerRequests {

  private final Vertx vertx;
  private final TaskTable table;
  private final String self;

  OwnerRequests(Vertx vertx, TaskTable table, String self) {
    this.vertx = vertx;
    this.table = table;
    this.self = self;
  }

  /**
   * @param genericAddress one of the generic scheduler addresses (get, cancel, watch, unwatch)
   * @return the owner's reply; UNAVAILABLE while a lost node's task has not been taken over yet
   */
  <T> Future<Message<T>> request(String taskId, String acceptedBy, String genericAddress, Object body, long timeoutMs) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeoutMs);
    return vertx.eventBus().<T>request(Addresses.schedulerOn(acceptedBy, genericAddress), body, options)
        .recover(err -> {
          AgentbusException e = Failures.toException(err);
          if (e.code() == ErrorCode.UNAVAILABLE) {
            return this.<T>toNewOwner(taskId, acceptedBy, genericAddress, body, options, new AgentbusException(
                ErrorCode.UNAVAILABLE, "task " + taskId + " belongs to node " + acceptedBy + ", which is gone: a task"
                + " it was running is taken over within seconds (retry shortly); one that had ended before is only"
                + " in the tasks topic"));
          }
          if (e.code() == ErrorCode.TASK_NOT_FOUND) {
            return this.<T>toNewOwner(taskId, acceptedBy, genericAddress, body, options, e);
          }
          return Future.failedFuture(e);
        });
  }

  /**
   * Sends the request to the node that took over a task this node accepted and gave up; fails with not-found when it
   * did not move.
   */
  <T> Future<Message<T>> toNewOwner(String taskId, String genericAddress, Object body, long timeoutMs) {
    return toNewOwner(taskId, self, genericAddress, body, new DeliveryOptions().setSendTimeout(timeoutMs),
        TaskQueries.notFound(taskId));
  }

  private <T> Future<Message<T>> toNewOwner(String taskId, String previousOwner, String genericAddress, Object body,
                                            DeliveryOptions options, AgentbusException otherwise) {
    return table.get(taskId).compose(moved -> {
      if (moved == null || moved.ownerNode().equals(previousOwner)) {
        return Future.failedFuture(otherwise);
      }
      if (moved.ownerNode().equals(self)) {
        return Future.failedFuture(TaskQueries.notFound(taskId));
      }
      return vertx.eventBus().<T>request(Addresses.schedulerOn(moved.ownerNode(), genericAddress), body, options);
    });
  }
}
