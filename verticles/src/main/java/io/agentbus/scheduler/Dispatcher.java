package io.agentbus.scheduler;

import io.agentbus.api.Addresses;
import io.agentbus.api.AgentDescriptor;
import io.agentbus.api.AgentList;
import io.agentbus.api.AgentLoad;
import io.agentbus.api.AgentViewChange;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.Assignment;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.Failures;
import io.agentbus.api.Json;
import io.agentbus.api.StopSignal;
import io.agentbus.api.TaskError;
import io.agentbus.api.TaskEventType;
import io.agentbus.api.TaskState;
import io.agentbus.config.NodeContext;
import io.agentbus.config.Setting;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets tasks to agents: assigns a task to the agent the {@link AgentRouter} picks (or queues it), offers it to
 * another agent when one refuses or does not answer in time, tells agents to stop, and moves the tasks of agents that
 * vanished to others. Every attempt has its own epoch, so an agent that lost its attempt cannot report into a newer
 * one. Event-loop confined.
 */
final class Dispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  private final Vertx vertx;
  private final NodeContext node;
  private final TaskBook book;
  private final AgentRouter router;
  private final String reportAddress;
  private final long dispatchTimeoutMs;
  private final long stopAckTimeoutMs;
  private final int maxAttempts;
  private final Counter stopsUnacknowledged;
  private Map<String, Long> dispatchedSinceFlush = new HashMap<>();
  private Map<String, Long> completedSinceFlush = new HashMap<>();

  Dispatcher(Vertx vertx, NodeContext node, TaskBook book, AgentRouter router) {
    this.vertx = vertx;
    this.node = node;
    this.book = book;
    this.router = router;
    this.reportAddress = Addresses.schedulerReports(node.nodeId());
    this.dispatchTimeoutMs = node.config().getLong(Setting.TASKS_DISPATCH_TIMEOUT_MS);
    this.stopAckTimeoutMs = node.config().getLong(Setting.TASKS_STOP_ACK_TIMEOUT_MS);
    this.maxAttempts = node.config().getInt(Setting.TASKS_MAX_ATTEMPTS);
    this.stopsUnacknowledged = Counter.builder("agentbus.agent.stops.unacknowledged")
        .description("Stop signals an agent did not acknowledge in time (its attempt was fenced anyway)")
        .register(node.registry());
  }

  /** Assigns the task now if an agent has room, else queues it (it was accepted, so the queue takes it). */
  void dispatch(TaskRecord task) {
    AgentDescriptor agent = router.pick(task.agentType);
    if (agent == null) {
      router.enqueue(task.agentType, task.id);
      return;
    }
    assign(task, agent);
  }

  private void assign(TaskRecord task, AgentDescriptor agent) {
    int epoch = task.newAttempt(agent.id());
    router.acquire(agent.id());
    dispatchedSinceFlush.merge(agent.id(), 1L, Long::sum);
    book.emit(task, TaskEventType.ASSIGNED, Json.object().put("agent_id", agent.id()).put("attempt", task.attempts()));
    Assignment assignment = new Assignment(task.id, epoch, task.agentType, task.input, task.metadata,
        task.deadlineEpochMs(), reportAddress, task.traceparent, task.resume);
    vertx.eventBus().request(agent.inbox(), assignment, new DeliveryOptions().setSendTimeout(dispatchTimeoutMs))
        .onSuccess(reply -> {
          if (task.epoch() == epoch && task.state() == TaskState.ASSIGNED) {
            book.emit(task, TaskEventType.RUNNING, Json.object().put("agent_id", agent.id()));
          }
        })
        .onFailure(err -> {
          if (task.epoch() != epoch || task.isTerminal()) {
            return;
          }
          AgentbusException e = Failures.toException(err);
          if (e.code() == ErrorCode.UPSTREAM_TIMEOUT) {
            stop(agent.inbox(), task.id, epoch, "not accepted in time");
          }
          endAttempt(task);
          retry(task, agent.id() + " did not take the task: " + e.code().slug());
        });
  }

  /** Puts a task whose attempt ended without a result back in line, or fails it after too many attempts. */
  void retry(TaskRecord task, String reason) {
    // attempts that ended in hibernation were not failures: they do not count against tasks.max-attempts
    if (task.attempts() - task.hibernations >= maxAttempts) {
      task.fail(TaskError.of(ErrorCode.NO_AGENT_AVAILABLE, reason + " (after " + task.attempts() + " attempts)"));
      book.finish(task, TaskEventType.FAILED, Json.object().set("error", Json.tree(TaskError.of(
          ErrorCode.NO_AGENT_AVAILABLE, reason))), ErrorCode.NO_AGENT_AVAILABLE.slug());
      return;
    }
    book.emit(task, TaskEventType.REQUEUED, Json.object().put("reason", reason));
    AgentDescriptor agent = router.pick(task.agentType);
    if (agent == null) {
      router.requeueFirst(task.agentType, task.id);
    } else {
      assign(task, agent);
    }
  }

  /** Ends the current attempt of a task and frees its agent's slot for the next waiting task. */
  void endAttempt(TaskRecord task) {
    freeSlot(task.closeAttempt());
  }

  private void freeSlot(String agentId) {
    if (agentId == null) {
      return;
    }
    router.release(agentId);
    completedSinceFlush.merge(agentId, 1L, Long::sum);
    AgentDescriptor agent = router.agent(agentId);
    if (agent != null) {
      agent.types().forEach(this::drainQueue);
    }
  }

  /**
   * Stops the running attempt of a task, if any. The attempt is fenced at once (its reports are refused from now
   * on); its agent's slot stays taken until the agent acknowledges the stop or fails to in time, so an agent still
   * winding down is not handed a task it has no room for.
   */
  void stopAttempt(TaskRecord task, String reason) {
    if (!task.attemptOpen()) {
      router.removeWaiting(task.agentType, task.id);
      return;
    }
    int epoch = task.epoch();
    String agentId = task.closeAttempt();
    AgentDescriptor agent = router.agent(agentId);
    if (agent == null) {
      freeSlot(agentId);
    } else {
      stop(agent.inbox(), task.id, epoch, reason).onComplete(ar -> freeSlot(agentId));
    }
  }

  // an agent answers a stop once it has stopped, or the agent's gateway fails it after tasks.stop-ack-timeout-ms;
  // the longer send timeout covers a stop or its answer lost on the way
  private io.vertx.core.Future<Object> stop(String inbox, String taskId, int epoch, String reason) {
    return vertx.eventBus().request(inbox, new StopSignal(taskId, epoch, reason),
            new DeliveryOptions().setSendTimeout(stopAckTimeoutMs + dispatchTimeoutMs))
        .map(io.vertx.core.eventbus.Message::body)
        .onFailure(err -> {
          stopsUnacknowledged.increment();
          LOG.debug("stop of {} (epoch {}) not acknowledged: {}", taskId, epoch, err.toString());
        });
  }

  /** Takes a new registry view: queued tasks may now fit, and tasks on agents that vanished go elsewhere. */
  void onView(AgentList view) {
    afterViewChange(router.update(view));
  }

  /** Takes a change of the registry view, as {@link #onView}. */
  void onViewChange(AgentViewChange change) {
    afterViewChange(router.apply(change));
  }

  private void afterViewChange(Set<String> gone) {
    if (!gone.isEmpty()) {
      for (TaskRecord task : book.all()) {
        if (!task.isTerminal() && task.attemptOpen() && gone.contains(task.agentId())) {
          String lost = task.agentId();
          endAttempt(task);
          retry(task, "agent " + lost + " is gone");
        }
      }
    }
    router.typesWaiting().forEach(this::drainQueue);
  }

  private void drainQueue(String type) {
    while (router.waiting(type) > 0) {
      AgentDescriptor agent = router.pick(type);
      if (agent == null) {
        return;
      }
      String taskId = router.nextWaiting(type);
      TaskRecord task = book.get(taskId);
      if (task != null && !task.isTerminal()) {
        assign(task, agent);
      }
    }
  }

  /** Starts the task's deadline clock (what is left of it, for a task taken over late). */
  void arm(TaskRecord task) {
    long remaining = task.deadlineEpochMs() - System.currentTimeMillis();
    if (remaining <= 0) {
      expire(task);
    } else {
      task.timeoutTimer = vertx.setTimer(remaining, t -> expire(task));
    }
  }

  private void expire(TaskRecord task) {
    task.timeoutTimer = -1;
    if (task.isTerminal()) {
      return;
    }
    stopAttempt(task, "timed out");
    task.fail(TaskError.of(ErrorCode.TASK_TIMED_OUT, "no result within " + task.timeoutMs + " ms"));
    book.finish(task, TaskEventType.TIMED_OUT, Json.object().put("timeout_ms", task.timeoutMs),
        ErrorCode.TASK_TIMED_OUT.slug());
  }

  /**
   * Tells the agent that ran a task for a lost node to stop (its reports could only go to the lost node) and counts
   * that attempt as over, since the lost node can no longer do so.
   */
  void abandonLostAttempt(String agentId, String taskId, int epoch) {
    completedSinceFlush.merge(agentId, 1L, Long::sum);
    stop(Addresses.agentInbox(agentId), taskId, epoch, "its scheduler was lost; the task moved");
  }

  /** Sends the load counted since the last flush to membership. */
  void flushLoad() {
    if (dispatchedSinceFlush.isEmpty() && completedSinceFlush.isEmpty()) {
      return;
    }
    vertx.eventBus().send(Addresses.MEMBERSHIP_LOAD, new AgentLoad(dispatchedSinceFlush, completedSinceFlush));
    dispatchedSinceFlush = new HashMap<>();
    completedSinceFlush = new HashMap<>();
  }

  boolean knowsType(String type) {
    return router.knowsType(type);
  }

  /** Whether a new task of this type would be refused because its queue is full and no agent has room. */
  boolean saturated(String type) {
    return router.queueFull(type) && router.pick(type) == null;
  }

  Set<String> knownTypes() {
    return router.knownTypes();
  }

  NodeContext node() {
    return node;
  }
}
