package io.agentbus.membership;

import io.agentbus.api.Addresses;
import io.agentbus.api.AgentDescriptor;
import io.agentbus.api.AgentList;
import io.agentbus.api.AgentLoad;
import io.agentbus.api.AgentRef;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.Failures;
import io.agentbus.config.NodeContext;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;

/**
 * The agent registry of this node: agents register and deregister over the event bus, schedulers report load, and
 * every change is published as a fresh {@link AgentList} on {@link Addresses#MEMBERSHIP_VIEW}.
 */
public class MembershipVerticle extends VerticleBase {

  private final NodeContext node;
  private AgentRegistry registry = AgentRegistry.empty();

  public MembershipVerticle(NodeContext node) {
    this.node = node;
  }

  @Override
  public Future<?> start() {
    EventBus bus = vertx.eventBus();
    return Future.join(
        bus.<AgentDescriptor>localConsumer(Addresses.MEMBERSHIP_REGISTER, this::register).completion(),
        bus.<AgentRef>localConsumer(Addresses.MEMBERSHIP_DEREGISTER, this::deregister).completion(),
        bus.<Object>localConsumer(Addresses.MEMBERSHIP_AGENTS, msg -> msg.reply(registry.view())).completion(),
        bus.<AgentLoad>localConsumer(Addresses.MEMBERSHIP_LOAD, msg -> {
          registry = registry.withLoad(msg.body());
        }).completion());
  }

  private void register(Message<AgentDescriptor> msg) {
    AgentDescriptor agent = msg.body();
    if (agent == null || agent.id() == null || agent.id().isBlank() || agent.types().isEmpty()) {
      Failures.fail(msg, new AgentbusException(ErrorCode.INVALID_REQUEST, "an agent needs an id and at least one type"));
      return;
    }
    registry = registry.with(agent);
    publishView();
    msg.reply(agent);
  }

  private void deregister(Message<AgentRef> msg) {
    registry = registry.without(msg.body().agentId());
    publishView();
    msg.reply(null);
  }

  private void publishView() {
    AgentList view = registry.view();
    vertx.eventBus().publish(Addresses.MEMBERSHIP_VIEW, view);
  }

  /** The node this registry runs on. */
  String nodeId() {
    return node.nodeId();
  }
}
