package io.agentbus.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole task path on a node started as a user starts it (its own process, embedded Kafka, real HTTP):
 * synchronous and asynchronous submit, SSE with resume, cancel, timeout, Idempotency-Key, listing, the info
 * endpoints, and finally the tasks topic read back with the CloudEvents SDK.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TaskPathSystemTest {

  private static NodeProcess node;
  private static Api api;
  /** Every task the node accepted during this class, to check against Kafka at the end. */
  private static final Set<String> ACCEPTED = ConcurrentHashMap.newKeySet();

  @BeforeAll
  static void start() throws Exception {
    node = NodeProcess.start(Map.of());
    api = new Api(node.url());
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  private static Api.Reply accepted(Api.Reply reply) {
    assertThat(reply.status()).as(reply.raw().body()).isIn(200, 202);
    ACCEPTED.add(reply.json().get("id").asText());
    return reply;
  }

  @Test
  @Order(1)
  @DisplayName("a synchronous submit (?wait=) answers 200 with the result once the task is done")
  void synchronousSubmit() throws Exception {
    Api.Reply r = accepted(api.submit("echo", "{\"hello\":\"world\",\"n\":[1,2,3]}", "?wait=10"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(r.json().get("result")).isEqualTo(Api.JSON.readTree("{\"hello\":\"world\",\"n\":[1,2,3]}"));
    assertThat(r.header("Location")).isEqualTo("/v1/tasks/" + r.json().get("id").asText());
  }

  @Test
  @Order(2)
  @DisplayName("Prefer: wait=N works like ?wait and is acknowledged with Preference-Applied")
  void preferWait() throws Exception {
    Api.Reply r = accepted(api.post("/v1/tasks", "{\"agent_type\":\"echo\",\"input\":1}", Map.of("Prefer", "wait=10")));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Preference-Applied")).isEqualTo("wait=10");
    assertThat(r.json().get("result").asInt()).isEqualTo(1);
  }

  @Test
  @Order(3)
  @DisplayName("an asynchronous submit answers 202 with Location; the task can be read and waited for there")
  void asynchronousSubmit() throws Exception {
    Api.Reply r = accepted(api.submit("echo", "{\"delay_ms\":300}", null));
    assertThat(r.status()).isEqualTo(202);
    assertThat(r.json().get("state").asText()).isIn("SUBMITTED", "ASSIGNED", "RUNNING");
    Api.Reply done = api.get(r.header("Location") + "?wait=10");
    assertThat(done.status()).isEqualTo(200);
    assertThat(done.json().get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(done.json().get("attempt").asInt()).isEqualTo(1);
    assertThat(done.json().get("agent_id").asText()).startsWith("echo-");
  }

  @Test
  @Order(4)
  @DisplayName("SSE streams every event of a planner task in sequence, tools included, then ends")
  void sseFullStream() throws Exception {
    Api.Reply r = accepted(api.submit("planner", "{\"goal\":\"count the words in this goal\"}", null));
    String id = r.json().get("id").asText();
    List<SseClient.Event> events = new ArrayList<>();
    try (SseClient sse = SseClient.open(api.client(), api.base() + "/v1/tasks/" + id + "/events", null)) {
      SseClient.Event e;
      while ((e = sse.next(Duration.ofSeconds(15))) != null) {
        events.add(e);
      }
    }
    assertThat(events).extracting(SseClient.Event::id)
        .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, events.size()).boxed().toList());
    Set<String> types = events.stream().map(SseClient.Event::type).collect(Collectors.toSet());
    assertThat(types).contains("submitted", "assigned", "running", "thought", "content", "progress", "tool_call",
        "tool_result");
    SseClient.Event last = events.get(events.size() - 1);
    assertThat(last.type()).as("the planner's final event: " + last.data()).isEqualTo("succeeded");
    assertThat(last.data().path("data").path("result").path("answers").path("calculation").asDouble())
        .isEqualTo(6 * 7 + 3);
  }

  @Test
  @Order(4)
  @DisplayName("the planner queries the demo shop with sql_query, a parameterized read through the durable tool path")
  void plannerWithSql() throws Exception {
    Api.Reply r = accepted(api.submit("planner", "{\"goal\":\"find gold customers\",\"sql\":"
        + "\"SELECT name FROM customers WHERE tier = ? ORDER BY id\",\"params\":[\"gold\"]}", "?wait=30"));
    assertThat(r.json().get("state").asText()).as(r.raw().body()).isEqualTo("SUCCEEDED");
    assertThat(r.json().at("/result/answers/records/rows").toString())
        .isEqualTo("[[\"Ada Lovelace\"],[\"Grace Hopper\"]]");
  }

  @Test
  @Order(5)
  @DisplayName("a client reconnecting with Last-Event-ID gets exactly the events it missed, then the live ones")
  void sseResume() throws Exception {
    Api.Reply r = accepted(api.submit("echo", "{\"delay_ms\":1500}", null));
    String url = api.base() + "/v1/tasks/" + r.json().get("id").asText() + "/events";
    List<Long> seen = new ArrayList<>();
    try (SseClient first = SseClient.open(api.client(), url, null)) {
      for (int i = 0; i < 4; i++) {
        seen.add(first.next(Duration.ofSeconds(10)).id());
      }
    }
    assertThat(seen).containsExactly(1L, 2L, 3L, 4L);
    List<SseClient.Event> rest = new ArrayList<>();
    try (SseClient second = SseClient.open(api.client(), url, 4L)) {
      SseClient.Event e;
      while ((e = second.next(Duration.ofSeconds(10))) != null) {
        rest.add(e);
      }
    }
    assertThat(rest).extracting(SseClient.Event::id).containsExactly(5L, 6L, 7L);
    assertThat(rest.get(2).type()).isEqualTo("succeeded");
  }

  @Test
  @Order(6)
  @DisplayName("cancel (POST .../cancel or DELETE) ends a task as CANCELLED once; a second cancel is 409")
  void cancel() throws Exception {
    String a = accepted(api.submit("echo", "{\"delay_ms\":30000}", null)).json().get("id").asText();
    String b = accepted(api.submit("echo", "{\"delay_ms\":30000}", null)).json().get("id").asText();
    Api.Reply ca = api.post("/v1/tasks/" + a + "/cancel", "{\"reason\":\"no longer needed\"}");
    assertThat(ca.status()).isEqualTo(200);
    assertThat(ca.json().get("state").asText()).isEqualTo("CANCELLED");
    assertThat(ca.json().get("error").get("message").asText()).isEqualTo("no longer needed");
    Api.Reply cb = api.delete("/v1/tasks/" + b);
    assertThat(cb.status()).isEqualTo(200);
    assertThat(cb.json().get("state").asText()).isEqualTo("CANCELLED");
    Api.Reply again = api.delete("/v1/tasks/" + b);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.problemCode()).isEqualTo("task-already-terminal");
  }

  @Test
  @Order(7)
  @DisplayName("a task that outlives its timeout_ms ends TIMED_OUT")
  void timeout() throws Exception {
    Api.Reply r = accepted(api.post("/v1/tasks", "{\"agent_type\":\"echo\",\"input\":{\"delay_ms\":20000},\"timeout_ms\":400}"));
    Api.Reply done = api.get("/v1/tasks/" + r.json().get("id").asText() + "?wait=10");
    assertThat(done.json().get("state").asText()).isEqualTo("TIMED_OUT");
    assertThat(done.json().get("error").get("code").asText()).isEqualTo("task-timed-out");
  }

  @Test
  @Order(8)
  @DisplayName("a repeat with the same Idempotency-Key returns the same task; another body with that key is refused")
  void idempotencyKey() throws Exception {
    Map<String, String> key = Map.of("Idempotency-Key", "order-42-" + System.nanoTime());
    String body = "{\"agent_type\":\"echo\",\"input\":{\"order\":42}}";
    Api.Reply first = accepted(api.post("/v1/tasks?wait=10", body, key));
    Api.Reply second = api.post("/v1/tasks?wait=10", body, key);
    assertThat(second.json().get("id")).isEqualTo(first.json().get("id"));
    assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(first.header("Idempotent-Replayed")).isNull();
    Api.Reply other = api.post("/v1/tasks", "{\"agent_type\":\"echo\",\"input\":{\"order\":43}}", key);
    assertThat(other.status()).isEqualTo(422);
    assertThat(other.problemCode()).isEqualTo("idempotency-key-reused");
  }

  @Test
  @Order(9)
  @DisplayName("GET /v1/tasks lists recent tasks newest first, filterable by state and type")
  void listing() throws Exception {
    Api.Reply all = api.get("/v1/tasks?limit=100");
    assertThat(all.status()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    all.json().get("tasks").forEach(t -> ids.add(t.get("id").asText()));
    assertThat(ids).containsAll(ACCEPTED);
    assertThat(ids).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    Api.Reply cancelled = api.get("/v1/tasks?state=cancelled&agent_type=echo");
    assertThat(cancelled.json().get("tasks")).hasSize(2)
        .allSatisfy(t -> assertThat(t.get("state").asText()).isEqualTo("CANCELLED"));
    assertThat(api.get("/v1/tasks?state=sleeping").problemCode()).isEqualTo("invalid-parameter");
  }

  @Test
  @Order(10)
  @DisplayName("agents, tools, health, readiness and Prometheus metrics answer")
  void infoEndpoints() throws Exception {
    Api.Reply agents = api.get("/v1/agents");
    List<String> types = new ArrayList<>();
    agents.json().get("agents").forEach(a -> a.get("types").forEach(t -> types.add(t.asText())));
    assertThat(types).contains("echo", "planner");
    Api.Reply tools = api.get("/v1/tools");
    assertThat(tools.status()).isEqualTo(200);
    List<JsonNode> list = new ArrayList<>();
    tools.json().get("tools").forEach(list::add);
    assertThat(list).extracting(t -> t.get("name").asText()).contains("calculator", "json_query", "http_fetch",
        "sql_query");
    assertThat(list).allSatisfy(t -> {
      assertThat(t.get("arguments_schema").get("type").asText()).isEqualTo("object");
      assertThat(t.get("circuit").get("state").asText()).isEqualTo("closed");
      assertThat(t.get("max_concurrency").intValue()).isPositive();
    });
    assertThat(api.get("/health").status()).isEqualTo(200);
    assertThat(api.get("/ready").json().get("status").asText()).isEqualTo("ready");
    String metrics = api.get("/metrics").raw().body();
    assertThat(metrics).contains("agentbus_task_events_total{agent_type=\"echo\",event=\"succeeded\"}")
        .contains("agentbus_task_duration_seconds_bucket").contains("agentbus_tasks_in_flight{agent_type=\"echo\"}")
        .contains("agentbus_kafka_send_duration_seconds_count").contains("agentbus_tool_calls_total")
        .contains("agentbus_tool_circuit_state{tool=\"sql_query\"} 0.0").contains("agentbus_tool_intent_consumer_lag")
        .contains("agentbus_eventloop_blocked_total 0.0");
  }

  @Test
  @Order(100)
  @DisplayName("the tasks topic holds, as CloudEvents, a submitted and exactly one terminal event of every accepted task, and nothing else")
  void tasksTopicIsTheRecord() throws Exception {
    String lastId = accepted(api.submit("echo", "\"last\"", "?wait=10")).json().get("id").asText();
    assertThat(lastId).isNotNull();
    Map<String, List<CloudEvent>> byTask = TasksTopic.readAll(node.kafkaBootstrap(), "agentbus.tasks").stream()
        .collect(Collectors.groupingBy(CloudEvent::getSubject));
    assertThat(byTask.keySet()).containsExactlyInAnyOrderElementsOf(ACCEPTED);
    for (Map.Entry<String, List<CloudEvent>> e : byTask.entrySet()) {
      Collection<String> types = e.getValue().stream().map(CloudEvent::getType).toList();
      assertThat(types).as(e.getKey()).contains("io.agentbus.task.submitted");
      assertThat(types.stream().filter(t -> t.endsWith(".succeeded") || t.endsWith(".failed")
          || t.endsWith(".cancelled") || t.endsWith(".timed_out"))).as(e.getKey()).hasSize(1);
      assertThat(e.getValue()).allSatisfy(ce -> {
        assertThat(ce.getSource().toString()).isEqualTo("/agentbus/tasks");
        assertThat(ce.getId()).isEqualTo(ce.getSubject() + ":" + ce.getExtension("sequence"));
      });
    }
  }
}
