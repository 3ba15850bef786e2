package io.agentbus.launcher;

import io.agentbus.node.EmbeddedKafka;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * The processes of a local cluster and their stop: node processes, and the embedded Kafka the cluster command runs
 * (or none when the nodes use an external one). A node that exits while nobody asked it to is reported at once,
 * loudly; the others keep running. {@link #stop} sends every node SIGTERM so they drain in parallel, waits for them
 * within a bound, kills what is left, and stops Kafka last.
 */
final class LocalCluster {

  private final List<ClusterNode> nodes = new CopyOnWriteArrayList<>();
  private final EmbeddedKafka kafka;
  private final PrintStream out;
  private final PrintStream err;
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private volatile boolean stopping;
  private volatile boolean failed;
  private Integer exitCode;

  LocalCluster(EmbeddedKafka kafka, PrintStream out, PrintStream err) {
    this.kafka = kafka;
    this.out = out;
    this.err = err;
  }

  void add(ClusterNode node) {
    nodes.add(node);
    node.onExit(() -> exited(node));
  }

  List<ClusterNode> nodes() {
    return List.copyOf(nodes);
  }

  private void exited(ClusterNode node) {
    if (stopping) {
      return;
    }
    failed = true;
    err.println("agentbus cluster: !!! " + node.name() + " (pid " + node.pid() + ") EXITED ON ITS OWN with status "
        + node.exitValue() + "; the other nodes keep running");
    if (nodes.stream().noneMatch(ClusterNode::isAlive)) {
      err.println("agentbus cluster: no node is left running; stopping");
      stopRequested.countDown();
    }
  }

  /** Waits until every node is up; false as soon as one exited, a stop was requested, or {@code bound} passed. */
  boolean awaitUp(Duration bound) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    for (ClusterNode node : nodes) {
      while (!node.awaitUp(Duration.ofMillis(200))) {
        if (!node.isAlive() || stopWasRequested() || System.nanoTime() > deadline) {
          return false;
        }
      }
    }
    return true;
  }

  boolean stopWasRequested() {
    return stopRequested.getCount() == 0;
  }

  /** Asks the thread in {@link #awaitStopRequest} to stop the cluster; safe from a signal handler. */
  void requestStop() {
    stopRequested.countDown();
  }

  void awaitStopRequest() throws InterruptedException {
    stopRequested.await();
  }

  /**
   * Stops everything (once; later calls return the first result): 0 when every node exited 0 within {@code bound}
   * after SIGTERM and none had died on its own, else 1.
   */
  synchronized int stop(Duration bound) throws InterruptedException {
    if (exitCode != null) {
      return exitCode;
    }
    stopping = true;
    List<ClusterNode> running = nodes.stream().filter(ClusterNode::isAlive).toList();
    if (!running.isEmpty()) {
      out.println("agentbus cluster: stopping " + running.size() + " node(s): SIGTERM, each drains; waiting up to "
          + bound.toSeconds() + " s");
    }
    running.forEach(ClusterNode::requestStop);
    long deadline = System.nanoTime() + bound.toNanos();
    for (ClusterNode node : running) {
      if (!node.awaitExit(Duration.ofNanos(deadline - System.nanoTime()))) {
        err.println("agentbus cluster: !!! " + node.name() + " (pid " + node.pid() + ") did not stop within "
            + bound.toSeconds() + " s; killing it");
        node.kill();
        failed = true;
      } else if (node.exitValue() != 0) {
        err.println("agentbus cluster: !!! " + node.name() + " exited with status " + node.exitValue());
        failed = true;
      }
    }
    if (kafka != null) {
      out.println("agentbus cluster: stopping Kafka");
      kafka.stop();
    }
    exitCode = failed ? 1 : 0;
    (failed ? err : out).println("agentbus cluster: stopped" + (failed ? ", with the failures above" : ""));
    return exitCode;
  }
}
