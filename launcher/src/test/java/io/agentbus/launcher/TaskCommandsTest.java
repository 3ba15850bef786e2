package io.agentbus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbus.api.Json;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TaskCommandsTest {

  private FakeNode node;

  @AfterEach
  void stop() throws Exception {
    node.close();
  }

  private static String task(String id, String state, Instant created) {
    return "{\"id\":\"" + id + "\",\"agent_type\":\"echo\",\"state\":\"" + state + "\",\"attempt\":1,"
        + "\"agent_id\":\"echo-1\",\"created_at\":\"" + created + "\",\"updated_at\":\"" + created + "\","
        + "\"input\":{\"a\":1},\"metadata\":{\"team\":\"cli\"}}";
  }

  @Test
  @DisplayName("tasks prints a table with an age per task and passes the filters on")
  void listsTasks() throws Exception {
    Instant now = Instant.now();
    node = new FakeNode((req, body) -> FakeNode.json(req, 200, "{\"tasks\":[" + task("tsk_a", "RUNNING",
        now.minusSeconds(75)) + "," + task("tsk_b", "SUCCEEDED", now.minusSeconds(3)) + "]}"));

    CommandRun run = CommandRun.of("tasks", "--url", node.base().toString(), "--state", "running", "--type", "echo",
        "--limit", "5");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out().lines()).hasSize(3);
    assertThat(run.out().lines().findFirst().orElseThrow()).matches("ID +TYPE +STATE +ATTEMPT +AGE +AGENT");
    assertThat(run.out()).containsPattern("tsk_a +echo +RUNNING +1 +1m1[4-6]s +echo-1")
        .containsPattern("tsk_b +echo +SUCCEEDED +1 +[2-4]s +echo-1");
    assertThat(node.requests.get(0).uri()).isEqualTo("/v1/tasks?limit=5&state=running&agent_type=echo");
  }

  @Test
  @DisplayName("task shows every field; cancel posts the reason and shows the new state")
  void showsAndCancels() throws Exception {
    node = new FakeNode((req, body) -> FakeNode.json(req, 200, task("tsk_a", req.method().name().equals("POST")
        ? "CANCELLED" : "RUNNING", Instant.parse("2026-01-01T00:00:00Z"))));

    CommandRun shown = CommandRun.of("task", "--url", node.base().toString(), "tsk_a");
    assertThat(shown.out()).contains("state     RUNNING", "metadata  team=cli", "agent     echo-1")
        .containsPattern("input     \\{\\s+\"a\" : 1\\s+}");

    CommandRun cancelled = CommandRun.of("cancel", "--url", node.base().toString(), "tsk_a", "--reason", "not needed");
    assertThat(cancelled.exitCode()).isZero();
    assertThat(cancelled.out()).startsWith("CANCELLED  tsk_a");
    FakeNode.Seen cancel = node.requests.get(1);
    assertThat(cancel.uri()).isEqualTo("/v1/tasks/tsk_a/cancel");
    assertThat(Json.MAPPER.readTree(cancel.body()).path("reason").asText()).isEqualTo("not needed");
  }

  @Test
  @DisplayName("an unknown task exits 2 with the node's problem")
  void unknownTask() throws Exception {
    node = new FakeNode((req, body) -> FakeNode.json(req, 404,
        "{\"status\":404,\"code\":\"task-not-found\",\"detail\":\"no task tsk_x\"}"));

    CommandRun run = CommandRun.of("task", "--url", node.base().toString(), "tsk_x");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.REQUEST_ERROR);
    assertThat(run.err()).contains("task-not-found (HTTP 404): no task tsk_x");
  }
}
