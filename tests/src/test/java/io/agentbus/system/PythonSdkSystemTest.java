package io.agentbus.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The Python SDK end to end: its unittest modules (clients/python/tests) run with Debian's python3 against a node
 * started as a user starts it, each module a test here. The stop-latency and slow-reader figures they print are in
 * this test's output.
 */
class PythonSdkSystemTest {

  /** Short enough that the reconnect test's silent session ends soon; heartbeats come every second (a third). */
  private static final String SESSION_TIMEOUT_MS = "4000";
  private static final String STREAM_BUFFER_EVENTS = "256";
  private static NodeProcess node;
  private static Map<String, String> env;

  @BeforeAll
  static void start() throws Exception {
    PythonSdk.generateStubs();
    node = NodeProcess.start(Map.of("grpc.port", "0", "grpc.agent-session-timeout-ms", SESSION_TIMEOUT_MS,
        "grpc.stream-buffer-events", STREAM_BUFFER_EVENTS, "tasks.stop-ack-timeout-ms", "5000"));
    env = new java.util.HashMap<>(PythonSdk.nodeEnvironment(node));
    env.put("AGENTBUS_TEST_STREAM_BUFFER_EVENTS", STREAM_BUFFER_EVENTS);
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  private static String passes(String module, Duration bound) throws Exception {
    PythonSdk.Outcome out = PythonSdk.unittest(module, env, bound);
    PythonSdk.assertPassed(out);
    assertThat(node.alive()).as("the node keeps running").isTrue();
    return out.output();
  }

  @Test
  @DisplayName("a Python agent serves tasks over HTTP and gRPC, streams, calls tools, fails cleanly, runs up to capacity")
  void agentServes() throws Exception {
    passes("tests.test_agent_serves", Duration.ofMinutes(5));
  }

  @Test
  @DisplayName("the Python task client covers every TaskService RPC and surfaces status and ErrorInfo codes")
  void taskClient() throws Exception {
    passes("tests.test_task_client", Duration.ofMinutes(3));
  }

  @Test
  @DisplayName("a cancel mid-stream and a client deadline stop the Python agent's code; the task ends CANCELLED")
  void interrupts() throws Exception {
    String out = passes("tests.test_interrupts", Duration.ofMinutes(5));
    assertThat(out).contains("stop-latency summary via=http", "stop-latency summary via=grpc");
  }

  @Test
  @DisplayName("a slow Stream reader costs the node a bounded buffer; it keeps serving and the reader misses nothing")
  void slowReader() throws Exception {
    String out = passes("tests.test_slow_reader", Duration.ofMinutes(8));
    assertThat(out).contains("slow-reader:");
  }

  @Test
  @DisplayName("a Python agent reconnects when its connection is lost or the node ends its session")
  void reconnects() throws Exception {
    passes("tests.test_reconnect", Duration.ofMinutes(5));
  }

  @Test
  @DisplayName("a Python agent hibernates through a tool call and resumes with its snapshot; a busy session refuses a"
      + " reject submit")
  void sessions() throws Exception {
    passes("tests.test_sessions", Duration.ofMinutes(3));
  }

  @Test
  @DisplayName("the README's ten-line agent and the commander / task client examples work")
  void examples() throws Exception {
    passes("tests.test_examples", Duration.ofMinutes(3));
  }
}
