package io.agentbus.scheduler;

import io.agentbus.config.NodeContext;
import io.agentbus.config.Setting;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This scheduler's hold on its tasks. Renewing its recovery checkpoint every tasks.recovery-checkpoint-ms keeps it.
 * When no renewal started within tasks.owner-lease-ms has succeeded (the node was frozen, or is cut off from the
 * cluster's majority, or Hazelcast refuses it by split-brain protection), or a live survivor has started to take its
 * tasks over, the hold is lost: survivors take the tasks over once they see the checkpoint that old, so this scheduler
 * lets them go first (it writes nothing more about them) and accepts no task.
 *
 * <p>To hold its tasks again, and at start, it takes its checkpoint back: only when no live node is taking its tasks
 * over, only {@link #TAKE_BACK_DELAY_MS} after a loss (by then a node that was frozen knows whether it is still a
 * member), and then it takes over itself whatever it gave up that nobody else took, before it accepts new tasks.
 * Event-loop confined.
 */
final class OwnerLease {

  private static final Logger LOG = LoggerFactory.getLogger(OwnerLease.class);
  /** Clocks and write latencies differ a little between nodes: adopters wait this much past a lost node's lease. */
  static final long MARGIN_MS = 1000;

  private enum State { LOST, TAKING_BACK, HELD }

  private final Vertx vertx;
  private final NodeContext node;
  private final RecoveryCheckpoints checkpoints;
  private final RecoveryMarks marks;
  private final Runnable giveUp;
  private final Function<Map<Integer, Long>, Future<Void>> takeOverOwn;
  private final long leaseNanos;
  private final long takeBackDelayNanos;
  private State state = State.LOST;
  private long renewedAt;
  private long lostAt;
  private boolean writing;

  /**
   * @param giveUp lets every live task go without writing about it
   * @param takeOverOwn takes over this node's own tasks, given up and not taken by anyone, from these marks on
   */
  OwnerLease(Vertx vertx, NodeContext node, RecoveryCheckpoints checkpoints, RecoveryMarks marks, Runnable giveUp,
             Function<Map<Integer, Long>, Future<Void>> takeOverOwn) {
    this.vertx = vertx;
    this.node = node;
    this.checkpoints = checkpoints;
    this.marks = marks;
    this.giveUp = giveUp;
    this.takeOverOwn = takeOverOwn;
    long leaseMs = node.config().getLong(Setting.TASKS_OWNER_LEASE_MS);
    this.leaseNanos = leaseMs * 1_000_000L;
    this.takeBackDelayNanos = (leaseMs + MARGIN_MS) * 1_000_000L;
    this.lostAt = System.nanoTime() - takeBackDelayNanos;
    this.renewedAt = lostAt;
  }

  /**
   * Takes the checkpoint (and what an earlier run of this node left) at once and renews it periodically from then on.
   * Completes when this first attempt is over, held or not: on a quorum-protected cluster a node alone holds nothing
   * until others join, and it keeps trying.
   */
  Future<Void> start() {
    node.lifecycle().ownershipLost(true);
    vertx.setPeriodic(node.config().getLong(Setting.TASKS_RECOVERY_CHECKPOINT_MS), t -> renew());
    return takeBack();
  }

  /**
   * Whether this scheduler may write about its tasks: it holds (or is taking back) its checkpoint and a renewal that
   * started less than the lease ago succeeded. Checked before every task event, so a node that was frozen or cut off
   * stops at once, not at its next renewal; the first check that finds the lease run out gives the tasks up.
   */
  boolean valid() {
    if (state != State.LOST && System.nanoTime() - renewedAt > leaseNanos) {
      lose("no checkpoint renewed for " + (System.nanoTime() - renewedAt) / 1_000_000 + " ms");
    }
    return state != State.LOST;
  }

  /** Whether this scheduler holds its tasks and accepts new ones (not while it is taking its own tasks back). */
  boolean held() {
    return valid() && state == State.HELD;
  }

  private void renew() {
    if (!valid()) {
      if (System.nanoTime() - lostAt >= takeBackDelayNanos) {
        takeBack();
      }
      return;
    }
    if (writing) {
      return;
    }
    writing = true;
    long started = System.nanoTime();
    checkpoints.renew(node.nodeId(), marks.marks(), ClusterMembers.liveNodeIds(node.hazelcast()), false)
        .onComplete(ar -> writing = false)
        .onFailure(err -> LOG.debug("recovery checkpoint not renewed: {}", err.toString()))
        .onSuccess(renewal -> {
          if (renewal.fencedBy() != null && state != State.LOST) {
            lose("node " + renewal.fencedBy() + " is taking this node's tasks over");
          } else if (state != State.LOST) {
            renewedAt = Math.max(renewedAt, started);
          }
        });
  }

  private Future<Void> takeBack() {
    if (writing) {
      return Future.succeededFuture();
    }
    writing = true;
    long started = System.nanoTime();
    Promise<Void> attempt = Promise.promise();
    checkpoints.renew(node.nodeId(), marks.marks(), ClusterMembers.liveNodeIds(node.hazelcast()), true)
        .onComplete(ar -> writing = false)
        .onFailure(err -> {
          LOG.debug("recovery checkpoint not taken back: {}", err.toString());
          attempt.complete();
        })
        .onSuccess(renewal -> {
          if (renewal.fencedBy() != null || state != State.LOST) {
            if (renewal.fencedBy() != null) {
              LOG.info("node {} is taking this node's tasks over; holding them again once it is done",
                  renewal.fencedBy());
            }
            attempt.complete();
            return;
          }
          state = State.TAKING_BACK;
          renewedAt = started;
          Map<Integer, Long> from = RecoveryMarks.lowest(marks.held(),
              renewal.previous() == null ? Map.of() : renewal.previous());
          // renewals while it takes its tasks back must still cover them, in case this node is lost meanwhile
          marks.hold(from);
          Future<Void> own = from.isEmpty() ? Future.succeededFuture() : takeOverOwn.apply(from);
          own.onComplete(ar -> {
            if (state != State.TAKING_BACK) {
              attempt.complete();
              return;
            }
            if (ar.failed()) {
              lose("taking its own tasks back failed: " + ar.cause());
            } else {
              state = State.HELD;
              marks.releaseHold();
              node.lifecycle().ownershipLost(false);
              LOG.info("this scheduler holds its tasks and takes new ones");
            }
            attempt.complete();
          });
        });
    return attempt.future();
  }

  private void lose(String why) {
    boolean wasHeld = state == State.HELD;
    state = State.LOST;
    lostAt = System.nanoTime();
    marks.hold(marks.marks());
    node.lifecycle().ownershipLost(true);
    LOG.error("this scheduler lost its hold on its tasks ({}): giving them up to the survivors{}", why,
        wasHeld ? "" : " (it was taking them back)");
    giveUp.run();
  }
}
