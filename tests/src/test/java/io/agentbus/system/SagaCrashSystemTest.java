package io.agentbus.system;

import static io.agentbus.system.TasksTopic.byTask;
import static io.agentbus.system.TasksTopic.describe;
import static io.agentbus.system.TasksTopic.terminals;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A saga's node killed with kill -9 in the middle of its compensations. Two nodes in two JVMs (every role) share a
 * Hazelcast cluster, a Kafka the test runs, and the effect file of the test_effect tool, so the file shows every
 * effect of the saga whichever node made it. The saga is submitted to the node that is then killed, so it owns the
 * task; the survivor takes the task over from Kafka and its saga agent replays the plan: every call already made is
 * answered from the idempotency ledger, and only the compensations not yet made run.
 */
class SagaCrashSystemTest {

  private static final int STEPS = 4;
  private static final long UNDO_DELAY_MS = 3000;

  private static Map<String, String> node(Path effects) {
    return Map.of("tools.test.effect-file", effects.toString(), "tools.consumer.session-timeout-ms", "6000");
  }

  @Test
  @DisplayName("kill -9 of the saga's node mid-compensation: the survivor finishes, every effect once, compensations in reverse, COMPENSATED once")
  void nodeKilledMidCompensation() throws Exception {
    Path effects = Files.createTempFile("agentbus-saga-effects-", ".log");
    try (LocalCluster cluster = LocalCluster.start(2, List.of(node(effects), node(effects)))) {
      Api survivor = new Api(cluster.node(0).url());
      Api doomed = new Api(cluster.node(1).url());
      Eventually.until("both nodes see both saga agents", Duration.ofSeconds(30),
          () -> sagaAgents(survivor) == 2 && sagaAgents(doomed) == 2);

      Api.Reply accepted = doomed.submit("saga", plan(), "");
      assertThat(accepted.status()).as(accepted.raw().body()).isEqualTo(202);
      String taskId = accepted.json().get("id").asText();
      Eventually.until("the first compensation took effect", Duration.ofSeconds(60),
          () -> lines(effects).contains("compensate-3"));
      assertThat(lines(effects)).as("killed before the last compensation").doesNotContain("compensate-1");
      cluster.node(1).kill();

      Eventually.until("the survivor took the saga over and finished it", Duration.ofSeconds(150),
          () -> terminalState(survivor, taskId) != null);
      Api.Reply done = survivor.get("/v1/tasks/" + taskId);
      assertThat(done.json().get("state").asText()).as(done.raw().body()).isEqualTo("COMPENSATED");
      assertThat(done.json().at("/result/compensated").toString()).isEqualTo("[3,2,1]");
      assertThat(lines(effects)).as("each effect once; compensations in reverse order")
          .containsExactly("step-1", "step-2", "step-3", "compensate-3", "compensate-2", "compensate-1");

      List<CloudEvent> events = byTask(cluster.kafkaBootstrap()).get(taskId);
      System.out.println("saga " + taskId + " in agentbus.tasks: " + describe(events));
      assertThat(terminals(events)).as(describe(events).toString())
          .containsExactly("io.agentbus.task.compensated");
      assertThat(TasksTopic.adoptionIndex(events, cluster.nodeId(1))).as(describe(events).toString())
          .isPositive();
    } finally {
      Files.deleteIfExists(effects);
    }
  }

  // step 4 fails; every step is compensated, each compensation taking UNDO_DELAY_MS before its (idempotent) effect
  private static String plan() {
    StringBuilder steps = new StringBuilder();
    for (int i = 1; i <= STEPS; i++) {
      steps.append(i == 1 ? "" : ",").append("{\"name\":\"effect ").append(i).append("\",\"tool\":\"test_effect\","
          + "\"arguments\":{\"line\":\"step-").append(i).append("\",\"fail\":").append(i == STEPS)
          .append("},\"compensate\":{\"tool\":\"test_effect\",\"arguments\":{\"line\":\"compensate-").append(i)
          .append("\",\"idempotent\":true,\"delay_ms\":").append(UNDO_DELAY_MS).append("}}}");
    }
    return "{\"steps\":[" + steps + "]}";
  }

  private static String terminalState(Api api, String taskId) {
    try {
      Api.Reply r = api.get("/v1/tasks/" + taskId + "?wait=20s");
      String state = r.status() == 200 ? r.json().path("state").asText("") : "";
      return List.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT", "COMPENSATED").contains(state) ? state : null;
    } catch (Exception e) {
      return null;
    }
  }

  private static int sagaAgents(Api api) {
    try {
      int n = 0;
      for (JsonNode agent : api.get("/v1/agents").json().path("agents")) {
        n += agent.path("types").toString().contains("\"saga\"") ? 1 : 0;
      }
      return n;
    } catch (Exception e) {
      return -1;
    }
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
