package io.agentbus.launcher;

import static io.agentbus.launcher.FakeNode.frame;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentbus.api.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SubmitCommandTest {

  private static final String ACCEPTED = "{\"id\":\"t1\",\"agent_type\":\"echo\",\"state\":\"SUBMITTED\",\"attempt\":0,"
      + "\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\"}";
  private FakeNode node;

  @AfterEach
  void stop() throws Exception {
    node.close();
  }

  private static String finished(String state, String outcome) {
    return "{\"id\":\"t1\",\"agent_type\":\"echo\",\"state\":\"" + state + "\",\"attempt\":1,\"agent_id\":\"echo-1\","
        + "\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:01.250Z\"," + outcome + "}";
  }

  @Test
  @DisplayName("--follow sends the task, prints its events as they come and the result, and exits 0 on SUCCEEDED")
  void followsToSuccess() throws Exception {
    node = new FakeNode((req, body) -> {
      switch (req.method().name() + " " + req.path()) {
        case "POST /v1/tasks" -> FakeNode.json(req, 202, ACCEPTED);
        case "GET /v1/tasks/t1/events" -> {
          FakeNode.sse(req);
          req.response().end(frame(1, "submitted", "{\"agent_type\":\"echo\",\"timeout_ms\":60000}")
              + frame(2, "progress", "{\"stage\":\"echo\",\"percent\":33,\"message\":\"step 1 of 3\"}")
              + frame(3, "succeeded", "{\"result\":{\"a\":1}}"));
        }
        case "GET /v1/tasks/t1" -> FakeNode.json(req, 200, finished("SUCCEEDED", "\"result\":{\"a\":1}"));
        default -> FakeNode.json(req, 404, "{}");
      }
    });

    CommandRun run = CommandRun.of("submit", "--url", node.base().toString(), "--type", "echo", "--input", "{\"a\":1}",
        "--timeout-ms", "5000", "--meta", "team=cli", "--idempotency-key", "k-1", "--follow");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("task t1 accepted", "     2  progress     33% echo: step 1 of 3",
        "     3  succeeded   result {\"a\":1}", "SUCCEEDED  t1  echo  in 1.250s (attempt 1, agent echo-1)");
    FakeNode.Seen submit = node.requests.get(0);
    assertThat(Json.MAPPER.readTree(submit.body())).isEqualTo(Json.MAPPER.readTree(
        "{\"agent_type\":\"echo\",\"input\":{\"a\":1},\"timeout_ms\":5000,\"metadata\":{\"team\":\"cli\"}}"));
    assertThat(submit.headers().get("Idempotency-Key")).isEqualTo("k-1");
    assertThat(submit.uri()).isEqualTo("/v1/tasks");
  }

  @Test
  @DisplayName("--wait asks the node to hold the answer; a FAILED task exits 1 and shows its error")
  void waitsForFailure() throws Exception {
    node = new FakeNode((req, body) -> FakeNode.json(req, 200,
        finished("FAILED", "\"error\":{\"code\":\"boom\",\"message\":\"failed as asked\"}")));

    CommandRun run = CommandRun.of("submit", "--url", node.base().toString(), "--type", "echo", "--wait", "2.5s");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.TASK_UNSUCCESSFUL);
    assertThat(run.out()).contains("FAILED  t1", "error boom: failed as asked");
    assertThat(node.requests.get(0).uri()).isEqualTo("/v1/tasks?wait=2500ms");
  }

  @Test
  @DisplayName("a task still running when --wait ran out exits 3; without --wait an accepted task exits 0")
  void notFinished() throws Exception {
    node = new FakeNode((req, body) -> FakeNode.json(req, 202, ACCEPTED));

    CommandRun running = CommandRun.of("submit", "--url", node.base().toString(), "--type", "echo", "--wait", "1s");
    assertThat(running.exitCode()).isEqualTo(ExitCodes.NOT_FINISHED);
    assertThat(running.out()).startsWith("SUBMITTED  t1  echo  (attempt 0)").contains("see: agentbus task t1");
    CommandRun accepted = CommandRun.of("submit", "--url", node.base().toString(), "--type", "echo", "--json");
    assertThat(accepted.exitCode()).isZero();
    assertThat(accepted.out().strip()).isEqualTo(ACCEPTED);
  }

  @Test
  @DisplayName("a problem answer exits 2 and prints its code, detail and invalid fields")
  void problemAnswer() throws Exception {
    node = new FakeNode((req, body) -> FakeNode.json(req, 422, "{\"type\":\"x\",\"title\":\"Invalid\",\"status\":422,"
        + "\"detail\":\"the task request has 1 invalid field(s)\",\"code\":\"invalid-request\","
        + "\"errors\":[{\"pointer\":\"/timeout_ms\",\"detail\":\"must be positive\"}]}"));

    CommandRun run = CommandRun.of("submit", "--url", node.base().toString(), "--type", "echo", "--timeout-ms", "-1");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.REQUEST_ERROR);
    assertThat(run.err()).contains("invalid-request (HTTP 422): the task request has 1 invalid field(s)",
        "/timeout_ms: must be positive");
  }

  @Test
  @DisplayName("input that is not JSON, or an unreachable node, exits 2 with a message")
  void badInputAndNoNode() throws Exception {
    node = new FakeNode((req, body) -> FakeNode.json(req, 500, "{}"));

    CommandRun badJson = CommandRun.of("submit", "--url", node.base().toString(), "--type", "echo", "--input", "{a:");
    assertThat(badJson.exitCode()).isEqualTo(ExitCodes.REQUEST_ERROR);
    assertThat(badJson.err()).contains("--input is not JSON");
    assertThat(node.requests).isEmpty();

    CommandRun unreachable = CommandRun.of("submit", "--url", "http://127.0.0.1:1", "--type", "echo");
    assertThat(unreachable.exitCode()).isEqualTo(ExitCodes.REQUEST_ERROR);
    assertThat(unreachable.err()).contains("request to http://127.0.0.1:1 failed");
  }
}
