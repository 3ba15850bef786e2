package io.agentbus.observer;

import io.agentbus.api.Addresses;
import io.agentbus.api.AgentViewChange;
import io.agentbus.api.LifecycleNotice;
import io.agentbus.config.NodeContext;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the node: turns every task lifecycle event into metrics ({@link TaskMetrics}) and one audit log line on
 * the {@value #AUDIT_LOGGER} logger, and keeps gauges of the registered agents.
 */
public class ObserverVerticle extends VerticleBase {

  /** The logger that carries one line per task lifecycle event. */
  public static final String AUDIT_LOGGER = "agentbus.lifecycle";
  private static final Logger AUDIT = LoggerFactory.getLogger(AUDIT_LOGGER);

  private final NodeContext node;
  private TaskMetrics metrics;
  private AgentGauges agents;

  public ObserverVerticle(NodeContext node) {
    this.node = node;
  }

  @Override
  public Future<?> start() {
    metrics = new TaskMetrics(node.registry());
    agents = new AgentGauges(node.registry());
    return Future.join(
        vertx.eventBus().<LifecycleNotice>localConsumer(Addresses.OBSERVER_LIFECYCLE, msg -> observe(msg.body()))
            .completion(),
        vertx.eventBus().<AgentViewChange>localConsumer(Addresses.MEMBERSHIP_VIEW, msg -> agents.update(msg.body()))
            .completion());
  }

  private void observe(LifecycleNotice n) {
    metrics.record(n);
    if (AUDIT.isInfoEnabled()) {
      StringBuilder line = new StringBuilder(160)
          .append("task=").append(n.taskId()).append(" agent_type=").append(n.agentType())
          .append(" event=").append(n.type().wireName()).append(" seq=").append(n.seq())
          .append(" attempt=").append(n.attempt()).append(" agent=").append(n.agentId() == null ? "-" : n.agentId())
          .append(" node=").append(n.nodeId())
          .append(" elapsed_ms=").append(n.at().toEpochMilli() - n.createdAt().toEpochMilli());
      if (n.errorCode() != null) {
        line.append(" error=").append(n.errorCode());
      }
      AUDIT.info(line.toString());
    }
  }
}
