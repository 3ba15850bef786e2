package io.agentbus.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The example commander agent, a Python process, outlives its node: killed and started again on the same gRPC port,
 * the node gets the agent back (it reconnects with backoff) and routes it tasks again.
 */
class PythonAgentNodeRestartSystemTest {

  private static final String COMMANDER_INPUT = "{\"goal\":\"test a restart\",\"costs\":{\"a\":\"2 * 21\"}}";

  @Test
  @DisplayName("a Python agent connects again to a node that was killed and started again, and serves it")
  void agentOutlivesItsNode() throws Exception {
    PythonSdk.generateStubs();
    int grpcPort;
    try (ServerSocket free = new ServerSocket(0)) {
      grpcPort = free.getLocalPort();
    }
    Map<String, String> settings = Map.of("grpc.port", Integer.toString(grpcPort));
    Path log = PythonSdk.logFile("commander");
    Process commander = null;
    NodeProcess second = null;
    try (NodeProcess first = NodeProcess.start(settings)) {
      commander = PythonSdk.start(List.of("examples/commander.py", "--target", "127.0.0.1:" + grpcPort,
          "--id", "commander-restart", "--type", "commander"), Map.of(), log);
      Api api = new Api(first.url());
      awaitAgent(api, commander, log);
      assertServed(api.submit("commander", COMMANDER_INPUT, "?wait=30"));

      first.kill();
      second = NodeProcess.start(settings);
      assertThat(second.grpcTarget()).isEqualTo("127.0.0.1:" + grpcPort);
      Api again = new Api(second.url());
      awaitAgent(again, commander, log);
      assertServed(again.submit("commander", COMMANDER_INPUT, "?wait=30"));
      assertThat(Files.readString(log, StandardCharsets.UTF_8)).contains("connecting again");
    } finally {
      if (second != null) {
        second.close();
      }
      if (commander != null) {
        commander.destroy();
        commander.waitFor(10, TimeUnit.SECONDS);
        System.out.println("---- commander output\n" + Files.readString(log, StandardCharsets.UTF_8));
      }
    }
  }

  private static void awaitAgent(Api api, Process commander, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (true) {
      assertThat(commander.isAlive()).as("the commander exited:\n" + Files.readString(log)).isTrue();
      Api.Reply agents = api.get("/v1/agents");
      for (JsonNode agent : agents.json().get("agents")) {
        if (agent.get("id").asText().equals("commander-restart")) {
          return;
        }
      }
      assertThat(System.nanoTime()).as("the commander registered within 90 s:\n" + Files.readString(log))
          .isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private static void assertServed(Api.Reply reply) {
    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
    assertThat(reply.json().get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(reply.json().get("agent_id").asText()).isEqualTo("commander-restart");
    assertThat(reply.json().at("/result/total").asDouble()).isEqualTo(42.0);
  }
}
