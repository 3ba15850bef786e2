package io.agentbus.agents;

import io.agentbus.api.Addresses;
import io.agentbus.api.AgentDescriptor;
import io.agentbus.api.AgentLease;
import io.agentbus.api.AgentRef;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.Assignment;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.Failures;
import io.agentbus.api.StopSignal;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An agent that runs inside the node: it registers with membership (and keeps its lease with heartbeats), takes {@link Assignment}s on its inbox up to
 * its capacity, runs each as an {@link AgentTask}, and stops a task when told to. Subclasses implement
 * {@link #run(AgentTask)}; everything they report goes to the scheduler that assigned the task.
 */
public abstract class AgentVerticle extends VerticleBase {

  private final AgentDescriptor descriptor;
  private final Map<String, AgentTask> running = new HashMap<>();
  private MessageConsumer<Object> inbox;
  private long heartbeats = -1;

  protected AgentVerticle(String id, Set<String> types, int capacity, Map<String, String> labels, String nodeId) {
    this.descriptor = new AgentDescriptor(id, types, capacity, labels, nodeId, Addresses.agentInbox(id));
  }

  /** Runs one task; report through {@code task} and end it with {@link AgentTask#complete} or {@link AgentTask#fail}. */
  protected abstract void run(AgentTask task);

  @Override
  public Future<?> start() {
    inbox = vertx.eventBus().consumer(descriptor.inbox(), this::onInbox);
    return inbox.completion().compose(v -> register());
  }

  /** Registers with membership and keeps the lease with heartbeats every third of it. */
  private Future<?> register() {
    return vertx.eventBus().<AgentLease>request(Addresses.MEMBERSHIP_REGISTER, descriptor).onSuccess(reply -> {
      vertx.cancelTimer(heartbeats);
      heartbeats = vertx.setPeriodic(reply.body().heartbeatIntervalMs(), t -> heartbeat());
    });
  }

  // a home node that no longer knows this agent (its lease lapsed) is told again
  private void heartbeat() {
    vertx.eventBus().request(Addresses.MEMBERSHIP_HEARTBEAT, new AgentRef(descriptor.id())).onFailure(err -> {
      if (Failures.toException(err).code() == ErrorCode.NOT_FOUND) {
        register();
      }
    });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(heartbeats);
    List.copyOf(running.values()).forEach(t -> t.stop("agent stopping"));
    return vertx.eventBus().request(Addresses.MEMBERSHIP_DEREGISTER, new AgentRef(descriptor.id()))
        .recover(err -> Future.succeededFuture())
        .compose(v -> inbox.unregister());
  }

  private void onInbox(Message<Object> msg) {
    if (msg.body() instanceof Assignment assignment) {
      accept(msg, assignment);
    } else if (msg.body() instanceof StopSignal stop) {
      AgentTask task = running.get(stop.taskId());
      if (task != null && task.epoch() == stop.epoch()) {
        task.stop(stop.reason());
      }
      msg.reply(null);
    } else {
      Failures.fail(msg, new AgentbusException(ErrorCode.INVALID_REQUEST, "an agent inbox takes assignments and stops"));
    }
  }

  private void accept(Message<Object> msg, Assignment assignment) {
    if (running.values().stream().filter(t -> !t.hibernating()).count() >= descriptor.capacity()) {
      Failures.fail(msg, new AgentbusException(ErrorCode.AGENT_AT_CAPACITY,
          descriptor.id() + " runs " + running.size() + " tasks already"));
      return;
    }
    AgentTask task = new AgentTask(vertx, descriptor.id(), assignment, () -> running.remove(assignment.taskId()));
    running.put(assignment.taskId(), task);
    msg.reply(null);
    try {
      run(task);
    } catch (RuntimeException e) {
      task.fail("agent-crashed", String.valueOf(e));
    }
  }

  public AgentDescriptor descriptor() {
    return descriptor;
  }
}
