package io.agentbus.launcher.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node the membership bench starts as its own JVM, as a user would: {@code launcher/agentbus up} with settings,
 * its console in a log file. Stopped with SIGTERM, or killed with SIGKILL to simulate a crash.
 */
final class BenchNodeProcess implements AutoCloseable {

  private static final Pattern KAFKA = Pattern.compile("^\\s*Kafka\\s+(\\S+:\\d+)", Pattern.MULTILINE);

  final String nodeId;
  final long launchedNanos;
  private final Process process;
  private final Path log;

  private BenchNodeProcess(String nodeId, Process process, Path log, long launchedNanos) {
    this.nodeId = nodeId;
    this.process = process;
    this.log = log;
    this.launchedNanos = launchedNanos;
  }

  /** Starts {@code agentbus up} with these settings and returns once it printed that it is up. */
  static BenchNodeProcess start(Path home, String nodeId, Map<String, String> settings, String javaOpts, Path logDir,
                                Duration bound) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(home.resolve("launcher/agentbus").toString(), "up",
        "--set", "node.id=" + nodeId, "--set", "auth.mode=dev-none"));
    settings.forEach((k, v) -> {
      command.add("--set");
      command.add(k + "=" + v);
    });
    Path log = logDir.resolve(nodeId + ".log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("AGENTBUS_NO_BUILD", "1");
    pb.environment().put("AGENTBUS_LOG_DIR", logDir.resolve(nodeId + "-logs").toString());
    pb.environment().put("AGENTBUS_JAVA_OPTS", javaOpts);
    BenchNodeProcess node = new BenchNodeProcess(nodeId, pb.start(), log, System.nanoTime());
    node.awaitUp(bound);
    return node;
  }

  private void awaitUp(Duration bound) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    String marker = "agentbus node " + nodeId + " is up";
    while (!console().contains(marker) || kafkaBootstrap() == null) {
      if (!process.isAlive()) {
        throw new IllegalStateException("node " + nodeId + " exited with " + process.exitValue() + "; see " + log);
      }
      if (System.nanoTime() > deadline) {
        close();
        throw new IllegalStateException("node " + nodeId + " did not start within " + bound + "; see " + log);
      }
      Thread.sleep(50);
    }
  }

  private String console() throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  /** The Kafka bootstrap the node printed. */
  String kafkaBootstrap() throws IOException {
    Matcher m = KAFKA.matcher(console());
    return m.find() ? m.group(1) : null;
  }

  /** SIGKILL: the node vanishes without a word, as in a crash. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGTERM and wait for the exit. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.toHandle().destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
