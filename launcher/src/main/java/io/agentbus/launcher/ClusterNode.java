package io.agentbus.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One node of a local cluster: an {@code agentbus up} process whose console (stdout and stderr) is forwarded line
 * by line with the node's name in front. It counts as up once it printed its banner.
 */
final class ClusterNode {

  private final String name;
  private final Process process;
  private final CountDownLatch up = new CountDownLatch(1);
  private final Thread forwarder;
  private volatile String httpAddress;

  private ClusterNode(String name, Process process, PrintStream out) {
    this.name = name;
    this.process = process;
    this.forwarder = new Thread(() -> forward(out), "forward-" + name);
    forwarder.setDaemon(true);
    forwarder.start();
  }

  static ClusterNode start(String name, List<String> command, Map<String, String> env, PrintStream out)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    return new ClusterNode(name, builder.start(), out);
  }

  private void forward(PrintStream out) {
    String prefix = "[" + name + "] ";
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        out.println(prefix + line);
        if (line.startsWith(UpCommand.BANNER_HTTP)) {
          httpAddress = line.substring(UpCommand.BANNER_HTTP.length()).trim();
        } else if (line.startsWith(UpCommand.BANNER_KAFKA)) {
          up.countDown();
        }
      }
    } catch (IOException e) {
      // the process is gone; its exit is reported by whoever waits for it
    }
  }

  /** Waits until the node printed its banner; false if it exited first or {@code bound} passed. */
  boolean awaitUp(Duration bound) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (System.nanoTime() < deadline) {
      if (up.await(100, TimeUnit.MILLISECONDS)) {
        return true;
      }
      if (!process.isAlive()) {
        return false;
      }
    }
    return false;
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  /** The gateway's base URL from the banner, or null (no gateway, or not up yet). */
  String httpAddress() {
    return httpAddress;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Runs {@code action} once the process has exited, whatever made it exit. */
  void onExit(Runnable action) {
    process.onExit().thenRun(action);
  }

  int exitValue() {
    return process.exitValue();
  }

  /** SIGTERM: the node stops taking tasks, drains and exits. */
  void requestStop() {
    process.toHandle().destroy();
  }

  /** Waits up to {@code bound} for the process to exit, then for its last output; false if it is still running. */
  boolean awaitExit(Duration bound) throws InterruptedException {
    if (!process.waitFor(Math.max(0, bound.toMillis()), TimeUnit.MILLISECONDS)) {
      return false;
    }
    forwarder.join(2000);
    return true;
  }

  /** SIGKILL, for a node that did not stop when asked; waits a little for it to go. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
  }
}
