package io.agentbus.system;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local cluster started the way a user starts it: {@code launcher/agentbus cluster}, as its own process, on free
 * loopback ports with a fresh work directory and cluster name. Its console (with every node's output) is kept for
 * assertions and failure reports, under target/node-logs like {@link NodeProcess}'s.
 */
final class ClusterProcess implements AutoCloseable {

  /** One node as the summary lists it. */
  record Member(String name, String url, String member, long pid) {
    String healthUrl() {
      return "http://" + member + "/hazelcast/health";
    }
  }

  private static final Pattern NODE = Pattern.compile("^  (node-\\d+)\\s+(http://\\S+)\\s+member (\\S+)\\s+pid (\\d+)");
  private static final Pattern KAFKA = Pattern.compile("^  Kafka\\s+(\\S+:\\d+)");

  private final Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private final List<Member> members = new CopyOnWriteArrayList<>();
  private Thread pump;
  private volatile String kafkaBootstrap;
  private volatile boolean up;

  private ClusterProcess(Process process) {
    this.process = process;
  }

  /** Starts {@code nodes} nodes and waits until the command printed its summary. */
  static ClusterProcess start(int nodes, Duration bound) throws IOException, InterruptedException {
    Path work = Files.createTempDirectory("agentbus-cluster-");
    List<String> command = new ArrayList<>(List.of(NodeProcess.projectRoot().resolve("launcher/agentbus").toString(),
        "cluster", "--nodes", String.valueOf(nodes), "--base-http-port", "0", "--base-grpc-port", "0",
        "--base-cluster-port", "0",
        "--kafka-port", "0", "--work-dir", work.toString(), "--stop-timeout", "60s",
        "--set", "cluster.name=system-" + UUID.randomUUID(), "--set", "vertx.max-event-loop-execute-ms=200",
        "--set", "auth.mode=dev-none"));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("AGENTBUS_NO_BUILD", "1");
    pb.environment().put("AGENTBUS_LOG_DIR", work.resolve("logs").toString());
    ClusterProcess cluster = new ClusterProcess(pb.start());
    cluster.pumpOutput();
    cluster.awaitUp(bound);
    return cluster;
  }

  private void pumpOutput() throws IOException {
    Path dir = Path.of(System.getProperty("agentbus.node.logs", "target/node-logs"));
    Files.createDirectories(dir);
    Path log = dir.resolve("cluster-" + System.currentTimeMillis() + "-" + process.pid() + ".log");
    pump = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
           Writer file = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
        String line;
        while ((line = r.readLine()) != null) {
          output.add(line);
          file.write(line + "\n");
          file.flush();
          read(line);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, "cluster-output");
    pump.setDaemon(true);
    pump.start();
  }

  private void read(String line) {
    Matcher node = NODE.matcher(line);
    if (node.find()) {
      members.add(new Member(node.group(1), node.group(2), node.group(3), Long.parseLong(node.group(4))));
    }
    Matcher kafka = KAFKA.matcher(line);
    if (kafka.find()) {
      kafkaBootstrap = kafka.group(1);
    }
    if (line.startsWith("  stop ")) {
      up = true;
    }
  }

  private void awaitUp(Duration bound) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!up) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the cluster command exited with " + process.exitValue() + ":\n" + output());
      }
      if (System.nanoTime() > deadline) {
        close();
        throw new IllegalStateException("the cluster was not up within " + bound + ":\n" + output());
      }
      Thread.sleep(100);
    }
  }

  List<Member> members() {
    return List.copyOf(members);
  }

  String kafkaBootstrap() {
    return kafkaBootstrap;
  }

  long pid() {
    return process.pid();
  }

  /** Every process the cluster command started that still runs (the nodes' JVMs). */
  List<ProcessHandle> descendants() {
    return process.toHandle().descendants().toList();
  }

  String output() {
    return String.join("\n", output);
  }

  /** SIGTERM to the cluster command, as Ctrl-C or a service manager would; returns its exit code. */
  int terminate(Duration bound) throws InterruptedException {
    process.toHandle().destroy();
    if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
      close();
      throw new AssertionError("the cluster did not stop within " + bound + " after SIGTERM:\n" + output());
    }
    pump.join(5000);
    return process.exitValue();
  }

  @Override
  public void close() {
    List<ProcessHandle> children = process.isAlive() ? descendants() : List.of();
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }
}
