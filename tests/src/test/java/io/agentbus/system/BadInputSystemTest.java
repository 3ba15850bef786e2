package io.agentbus.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudevents.CloudEvent;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Hostile and broken requests get the right 4xx with an RFC 9457 problem body, the node keeps serving, and nothing
 * of a refused request reaches Kafka.
 */
class BadInputSystemTest {

  private static final int BODY_LIMIT = 64 * 1024;
  private static final int DEPTH_LIMIT = 16;
  private static NodeProcess node;
  private static Api api;

  @BeforeAll
  static void start() throws Exception {
    node = NodeProcess.start(Map.of("http.max-body-bytes", String.valueOf(BODY_LIMIT),
        "http.max-json-depth", String.valueOf(DEPTH_LIMIT)));
    api = new Api(node.url());
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  private static void assertProblem(Api.Reply r, int status, String code) {
    assertThat(r.status()).as(r.raw().body()).isEqualTo(status);
    assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    assertThat(r.json().get("code").asText()).isEqualTo(code);
    assertThat(r.json().get("type").asText()).isEqualTo("https://agentbus.io/problems/" + code);
    assertThat(r.json().get("status").asInt()).isEqualTo(status);
    assertThat(r.json().get("title").asText()).isNotBlank();
    assertThat(r.json().get("detail").asText()).isNotBlank();
  }

  @Test
  @DisplayName("every kind of bad request gets its own problem, the node keeps serving, and Kafka holds only accepted tasks")
  void badInputIsRefusedCleanly() throws Exception {
    assertProblem(api.post("/v1/tasks", "{\"agent_type\":\"echo\",\"input\":"), 400, "malformed-json");
    assertProblem(api.post("/v1/tasks", "{\"agent_type\":\"echo\"} trailing"), 400, "malformed-json");
    assertProblem(api.post("/v1/tasks", "{\"agent_type\":\"echo\",\"agent_type\":\"planner\"}"), 400, "malformed-json");
    assertProblem(api.post("/v1/tasks", ""), 400, "malformed-json");

    String big = "{\"agent_type\":\"echo\",\"input\":\"" + "x".repeat(BODY_LIMIT) + "\"}";
    assertProblem(api.post("/v1/tasks", big), 413, "body-too-large");

    String deep = "{\"agent_type\":\"echo\",\"input\":" + "[".repeat(DEPTH_LIMIT) + "]".repeat(DEPTH_LIMIT) + "}";
    assertProblem(api.post("/v1/tasks", deep), 400, "json-too-deep");

    Api.Reply types = api.post("/v1/tasks", "{\"agent_type\":42,\"timeout_ms\":\"soon\",\"metadata\":[],\"colour\":1}");
    assertProblem(types, 422, "invalid-request");
    Set<String> pointers = new HashSet<>();
    types.json().get("errors").forEach(e -> pointers.add(e.get("pointer").asText()));
    assertThat(pointers).containsExactlyInAnyOrder("/agent_type", "/timeout_ms", "/metadata", "/colour");

    assertProblem(api.post("/v1/tasks", "{\"agent_type\":\"no-such-agent\",\"input\":1}"), 422, "unknown-agent-type");
    assertProblem(api.post("/v1/tasks", "{\"agent_type\":\"echo\",\"timeout_ms\":999999999999}"), 422, "invalid-request");
    assertProblem(api.post("/v1/tasks", "agent_type=echo", Map.of("Content-Type", "application/x-www-form-urlencoded")),
        415, "unsupported-media-type");
    assertProblem(api.post("/v1/tasks", "{\"agent_type\":\"echo\"}", Map.of("Idempotency-Key", "k".repeat(300))),
        400, "invalid-header");
    assertProblem(api.post("/v1/tasks?wait=soon", "{\"agent_type\":\"echo\"}"), 400, "invalid-parameter");

    assertProblem(api.get("/v1/tasks/tsk_0000000000000000000000000"), 404, "task-not-found");
    assertProblem(api.get("/v1/tasks/..%2F..%2Fetc"), 404, "task-not-found");
    assertProblem(api.delete("/v1/tasks/tsk_nope"), 404, "task-not-found");
    assertProblem(api.get("/v1/tasks/tsk_nope/events"), 404, "task-not-found");
    assertProblem(api.get("/v1/nothing-here"), 404, "not-found");
    assertProblem(api.send(HttpRequest.newBuilder(URI.create(api.base() + "/v1/agents"))
        .PUT(HttpRequest.BodyPublishers.ofString("{}"))), 405, "method-not-allowed");
    assertProblem(api.send(HttpRequest.newBuilder(URI.create(api.base() + "/v1/tasks/tsk_x/events"))
        .header("Last-Event-ID", "yesterday").GET()), 400, "invalid-header");

    Api.Reply ok = api.submit("echo", "{\"still\":\"serving\"}", "?wait=10");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.json().get("state").asText()).isEqualTo("SUCCEEDED");
    String acceptedId = ok.json().get("id").asText();

    Set<String> subjects = TasksTopic.readAll(node.kafkaBootstrap(), "agentbus.tasks").stream()
        .map(CloudEvent::getSubject).collect(Collectors.toSet());
    assertThat(subjects).as("only the one accepted task is in Kafka").containsExactly(acceptedId);
  }
}
