package io.agentbus.system;

import static org.assertj.core.api.Assertions.assertThat;

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
 * The Python SDK of clients/python, run the way a user runs it: Debian's /usr/bin/python3 (python3-grpcio,
 * python3-protobuf), the agentbus.v1 stubs generated from the node's .proto files by clients/python/generate.sh.
 * Each Python process's output is kept under target/python-logs and echoed to the test's output.
 */
final class PythonSdk {

  static final String PYTHON = "/usr/bin/python3";
  private static final Pattern RAN = Pattern.compile("(?m)^Ran (\\d+) tests? in ");
  private static boolean generated;

  private PythonSdk() {
  }

  static Path dir() {
    return NodeProcess.projectRoot().resolve("clients/python");
  }

  /** Generates the stubs once per test JVM. */
  static synchronized void generateStubs() throws IOException, InterruptedException {
    if (generated) {
      return;
    }
    Outcome out = run(List.of(dir().resolve("generate.sh").toString()), Map.of(), Duration.ofMinutes(2), "generate");
    assertThat(out.exitCode()).as("clients/python/generate.sh:\n" + out.output()).isZero();
    generated = true;
  }

  /** The environment that points the SDK's tests and examples at {@code node}. */
  static Map<String, String> nodeEnvironment(NodeProcess node) {
    assertThat(node.grpcTarget()).as("the node's banner names its gRPC address").isNotNull();
    return Map.of("AGENTBUS_GRPC_TARGET", node.grpcTarget(), "AGENTBUS_HTTP_URL", node.url(),
        "AGENTBUS_NODE_PID", Long.toString(node.pid()));
  }

  /** Runs {@code python3 -m unittest -v <module>} in clients/python against {@code node}. */
  static Outcome unittest(String module, Map<String, String> env, Duration bound)
      throws IOException, InterruptedException {
    return run(List.of(PYTHON, "-u", "-m", "unittest", "-v", module), env, bound, module);
  }

  /** Asserts that a unittest run passed every test it ran, at least one, and skipped none; returns the count. */
  static int assertPassed(Outcome out) {
    Matcher ran = RAN.matcher(out.output());
    assertThat(ran.find()).as("no unittest summary in:\n" + out.output()).isTrue();
    int count = Integer.parseInt(ran.group(1));
    String status = out.output().substring(ran.end()).lines().map(String::strip).filter(l -> !l.isEmpty())
        .filter(l -> l.startsWith("OK") || l.startsWith("FAILED")).findFirst().orElse("(none)");
    assertThat(status).as("unittest result (exit " + out.exitCode() + "):\n" + out.output()).isEqualTo("OK");
    assertThat(out.exitCode()).isZero();
    assertThat(count).isPositive();
    return count;
  }

  /** Starts a long-running Python program (an example agent) in clients/python; its output goes to {@code log}. */
  static Process start(List<String> args, Map<String, String> env, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(PYTHON);
    command.add("-u");
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir().toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    pb.environment().put("PYTHONPATH", dir().toString());
    return pb.start();
  }

  static Path logFile(String name) throws IOException {
    Path logs = Path.of("target/python-logs");
    Files.createDirectories(logs);
    return logs.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + System.currentTimeMillis() + ".log");
  }

  record Outcome(int exitCode, String output) {
  }

  private static Outcome run(List<String> command, Map<String, String> env, Duration bound, String name)
      throws IOException, InterruptedException {
    Path log = logFile(name);
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir().toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Process process = pb.start();
    boolean ended = process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS);
    if (!ended) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    System.out.println("---- " + String.join(" ", command) + " (" + log + ")\n" + output);
    assertThat(ended).as(name + " did not end within " + bound + ":\n" + output).isTrue();
    return new Outcome(process.exitValue(), output);
  }
}
