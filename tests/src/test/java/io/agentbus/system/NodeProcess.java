package io.agentbus.system;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node started the way a user starts it: {@code launcher/agentbus up}, as its own process, on free loopback ports
 * with a fresh work directory and cluster name. Its console output is kept for assertions and failure reports.
 */
final class NodeProcess implements AutoCloseable {

  private static final Pattern HTTP = Pattern.compile("HTTP\\s+(http://\\S+)");
  private static final Pattern KAFKA = Pattern.compile("Kafka\\s+(\\S+:\\d+)");
  private static final Pattern GRPC = Pattern.compile("^  gRPC\\s+(\\S+:\\d+)");

  private final Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private final Path workDir;
  private Thread pump;
  private volatile String httpUrl;
  private volatile String kafkaBootstrap;
  private volatile boolean frozen;
  private volatile String grpcTarget;

  private NodeProcess(Process process, Path workDir) {
    this.process = process;
    this.workDir = workDir;
  }

  static Path projectRoot() {
    return Path.of(System.getProperty("agentbus.project.root", "..")).toAbsolutePath().normalize();
  }

  /** Starts a node with these settings (on top of free ports and a fresh work directory) and waits until it serves. */
  static NodeProcess start(Map<String, String> settings) throws IOException, InterruptedException {
    return startOn(Files.createTempDirectory("agentbus-system-"), settings);
  }

  /** Starts a node on an existing work directory (its embedded Kafka keeps what an earlier node recorded). */
  static NodeProcess startOn(Path work, Map<String, String> settings) throws IOException, InterruptedException {
    return startOn(work, List.of(), settings);
  }

  /** Starts a node with these {@code up} options (--join, ...) and settings. */
  static NodeProcess start(List<String> options, Map<String, String> settings) throws IOException, InterruptedException {
    return startOn(Files.createTempDirectory("agentbus-system-"), options, settings);
  }

  private static NodeProcess startOn(Path work, List<String> options, Map<String, String> settings)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(projectRoot().resolve("launcher/agentbus").toString(), "up",
        "--set", "http.port=0", "--set", "grpc.port=0", "--set", "kafka.embedded.port=0", "--set", "cluster.port=0",
        "--set", "node.work-dir=" + work, "--set", "cluster.name=system-" + UUID.randomUUID(),
        "--set", "vertx.max-event-loop-execute-ms=200", "--set", "auth.mode=dev-none"));
    command.addAll(options);
    settings.forEach((k, v) -> {
      command.add("--set");
      command.add(k + "=" + v);
    });
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("AGENTBUS_NO_BUILD", "1");
    pb.environment().put("AGENTBUS_LOG_DIR", work.resolve("logs").toString());
    NodeProcess node = new NodeProcess(pb.start(), work);
    node.pumpOutput();
    node.awaitReady(Duration.ofSeconds(60));
    return node;
  }

  private void pumpOutput() {
    Path log = logFile();
    pump = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
           java.io.Writer file = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
        String line;
        while ((line = r.readLine()) != null) {
          output.add(line);
          file.write(line);
          file.write('\n');
          file.flush();
          Matcher http = HTTP.matcher(line);
          if (http.find()) {
            httpUrl = http.group(1);
          }
          Matcher grpc = GRPC.matcher(line);
          if (grpc.find()) {
            grpcTarget = grpc.group(1);
          }
          Matcher kafka = KAFKA.matcher(line);
          if (kafka.find() && line.trim().startsWith("Kafka")) {
            kafkaBootstrap = kafka.group(1);
          }
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, "node-output");
    pump.setDaemon(true);
    pump.start();
  }

  // every node's console is kept under target/node-logs, the test artifact to read when something fails
  private Path logFile() {
    try {
      Path dir = Path.of(System.getProperty("agentbus.node.logs", "target/node-logs"));
      Files.createDirectories(dir);
      return dir.resolve("node-" + System.currentTimeMillis() + "-" + process.pid() + ".log");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void awaitReady(Duration bound) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (httpUrl == null || kafkaBootstrap == null) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the node exited with " + process.exitValue() + ":\n" + output());
      }
      if (System.nanoTime() > deadline) {
        close();
        throw new IllegalStateException("the node did not print its addresses within " + bound + ":\n" + output());
      }
      Thread.sleep(50);
    }
  }

  String url() {
    return httpUrl;
  }

  /** The gRPC gateway as host:port (the banner prints it before Kafka's address), or null when it serves none. */
  String grpcTarget() {
    return grpcTarget;
  }

  String kafkaBootstrap() {
    return kafkaBootstrap;
  }

  Path workDir() {
    return workDir;
  }

  long pid() {
    return process.pid();
  }

  String output() {
    return String.join("\n", output);
  }

  /** SIGKILL: the node dies at once, as on a crash or a kill -9. */
  void kill() throws InterruptedException {
    process.toHandle().destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    pump.join(5000);
  }

  boolean alive() {
    return process.isAlive();
  }

  /**
   * SIGSTOP: the JVM stops dead, as in a long GC pause or a hung host, without closing a connection; {@link #thaw}
   * (SIGCONT) lets it run on, its timers firing late.
   */
  void freeze() throws IOException, InterruptedException {
    signal("STOP");
    frozen = true;
  }

  void thaw() throws IOException, InterruptedException {
    signal("CONT");
    frozen = false;
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  /** SIGTERM, as Ctrl-C or a service manager would; returns the exit code. */
  int terminate(Duration bound) throws InterruptedException {
    process.toHandle().destroy(); // SIGTERM without closing our end of its output, unlike Process.destroy()
    if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the node did not stop within " + bound + " after SIGTERM:\n" + output());
    }
    pump.join(5000);
    return process.exitValue();
  }

  @Override
  public void close() {
    if (frozen && process.isAlive()) {
      try {
        thaw();
      } catch (IOException | IllegalStateException e) {
        process.destroyForcibly();
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    if (process.isAlive()) {
      process.destroy();
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
}
