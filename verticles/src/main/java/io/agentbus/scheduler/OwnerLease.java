package io.agentbus.scheduler;

import io.agentbus.config.NodeContext;
import io.agentbus.config.Setting;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This scheduler's hold on its tasks. Writing its recovery checkpoint every tasks.recovery-checkpoint-ms renews it.
 * When no write started within tasks.owner-lease-ms has succeeded (the node is cut off from the cluster's majority, or Hazelcast
 * refuses it by split-brain protection), the hold is lost: survivors will take the tasks over once they see the
 * checkpoint that old, so this scheduler must let them go first. When writes succeed again the hold is regained.
 * Event-loop confined.
 */
final class OwnerLease {

  private static final Logger LOG = LoggerFactory.getLogger(OwnerLease.class);

  private final Vertx vertx;
  private final NodeContext node;
  private final RecoveryCheckpoints checkpoints;
  private final Supplier<Map<Integer, Long>> marks;
  private final Runnable onLost;
  private final long leaseNanos;
  private long renewedAt = System.nanoTime();
  private boolean held = true;

  OwnerLease(Vertx vertx, NodeContext node, RecoveryCheckpoints checkpoints, Supplier<Map<Integer, Long>> marks,
             Runnable onLost) {
    this.vertx = vertx;
    this.node = node;
    this.checkpoints = checkpoints;
    this.marks = marks;
    this.onLost = onLost;
    this.leaseNanos = node.config().getLong(Setting.TASKS_OWNER_LEASE_MS) * 1_000_000L;
  }

  void start() {
    vertx.setPeriodic(node.config().getLong(Setting.TASKS_RECOVERY_CHECKPOINT_MS), t -> renew());
  }

  /**
   * Whether this scheduler may still write about its tasks: a checkpoint write that started less than the lease ago
   * succeeded. Checked before every task event, so a node that was frozen or cut off stops at once, not at its next
   * checkpoint; the first check that finds the lease run out gives the tasks up.
   */
  boolean valid() {
    if (held && System.nanoTime() - renewedAt > leaseNanos) {
      lose("no checkpoint written for " + (System.nanoTime() - renewedAt) / 1_000_000 + " ms");
    }
    return held;
  }

  private void renew() {
    long started = System.nanoTime();
    checkpoints.write(node.nodeId(), marks.get())
        .onSuccess(v -> {
          renewedAt = Math.max(renewedAt, started);
          if (!held) {
            held = true;
            node.lifecycle().ownershipLost(false);
            LOG.warn("the recovery checkpoint is written again: this scheduler takes tasks again");
          }
        })
        .onFailure(err -> LOG.debug("recovery checkpoint not written: {}", err.toString()));
    valid();
  }

  private void lose(String why) {
    held = false;
    node.lifecycle().ownershipLost(true);
    LOG.error("this scheduler lost its hold on its tasks ({}): giving them up to the survivors", why);
    onLost.run();
  }
}
