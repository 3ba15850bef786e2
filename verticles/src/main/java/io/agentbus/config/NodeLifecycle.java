package io.agentbus.config;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where a node is in its life, shared by its verticles: the gateway refuses new work once it drains, the scheduler
 * counts the tasks it still owns so shutdown can wait for them. Thread-safe.
 */
public final class NodeLifecycle {

  /** The phases of a node. */
  public enum Phase { STARTING, READY, DRAINING, STOPPED }

  private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.STARTING);
  private final AtomicInteger activeTasks = new AtomicInteger();
  private final AtomicInteger httpPort = new AtomicInteger(-1);
  private final AtomicInteger grpcPort = new AtomicInteger(-1);
  private volatile boolean ownershipLost;

  public Phase phase() {
    return phase.get();
  }

  public void moveTo(Phase next) {
    phase.set(next);
  }

  public boolean isReady() {
    return phase.get() == Phase.READY && !ownershipLost;
  }

  /** True from the start of shutdown on: no new tasks are accepted. */
  public boolean isDraining() {
    Phase p = phase.get();
    return p == Phase.DRAINING || p == Phase.STOPPED;
  }

  /** Non-terminal tasks owned by this node's scheduler. */
  public int activeTasks() {
    return activeTasks.get();
  }

  public void taskStarted() {
    activeTasks.incrementAndGet();
  }

  public void taskEnded() {
    activeTasks.decrementAndGet();
  }

  /**
   * True while this node's scheduler does not hold its tasks: before it first took its recovery checkpoint, and from
   * losing its owner lease (it was frozen, or cannot reach the cluster's majority; it has given its tasks up) until it
   * holds it again and has taken back what nobody else took. It accepts no task then; the node is not ready.
   */
  public boolean ownershipLost() {
    return ownershipLost;
  }

  public void ownershipLost(boolean lost) {
    ownershipLost = lost;
  }

  /** The port the gateway's HTTP server is bound to, or -1 before it listens (or on a node without gateway). */
  public int httpPort() {
    return httpPort.get();
  }

  public void httpListening(int port) {
    httpPort.set(port);
  }

  /** The port the gateway's gRPC server is bound to, or -1 before it listens (or when it serves no gRPC). */
  public int grpcPort() {
    return grpcPort.get();
  }

  public void grpcListening(int port) {
    grpcPort.set(port);
  }
}
