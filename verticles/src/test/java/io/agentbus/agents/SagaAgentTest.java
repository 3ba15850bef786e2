package io.agentbus.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentbus.api.Addresses;
import io.agentbus.api.Json;
import io.agentbus.api.SubmitTask;
import io.agentbus.api.TaskEvent;
import io.agentbus.api.TaskEventBatch;
import io.agentbus.api.TaskEventType;
import io.agentbus.api.TaskState;
import io.agentbus.api.TaskView;
import io.agentbus.api.WatchTask;
import io.agentbus.config.Setting;
import io.agentbus.testing.Await;
import io.agentbus.testing.TestNode;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sagas on a real node: the built-in saga agent runs each step through the durable tool path, and the effect file of
 * the test_effect tool shows which effects happened, in which order, how often.
 */
class SagaAgentTest {

  private static final int STEPS = 4;
  private static final AtomicInteger IDS = new AtomicInteger();
  private static TestNode node;
  private static Path effects;

  @BeforeAll
  static void start() throws Exception {
    effects = Files.createTempFile("saga-effects-", ".log");
    node = TestNode.start(Map.of(Setting.TOOLS_TEST_EFFECT_FILE.key(), effects.toString()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    Files.deleteIfExists(effects);
  }

  @AfterEach
  void noBlockedEventLoop() {
    node.assertNoBlockedEventLoop();
  }

  @Test
  @DisplayName("a saga whose steps all succeed runs each once, in order, and ends SUCCEEDED with every step's result")
  void allStepsSucceed() throws Exception {
    String saga = "ok-" + IDS.incrementAndGet();
    TaskView done = run(plan(saga, 0, -1));

    assertThat(done.state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(effectsOf(saga)).containsExactly("step-1", "step-2", "step-3", "step-4");
    assertThat(done.result().get("steps")).hasSize(STEPS);
    assertThat(types(done.id())).doesNotContain(TaskEventType.COMPENSATING);
  }

  @ParameterizedTest(name = "step {0} fails")
  @ValueSource(ints = {1, 2, 3, 4})
  @DisplayName("when step k fails, exactly steps k-1..1 are compensated, in reverse order, once each: COMPENSATED")
  void failingStepCompensatesThePrecedingOnes(int k) throws Exception {
    String saga = "fail" + k + "-" + IDS.incrementAndGet();
    TaskView done = run(plan(saga, k, -1));

    List<String> expected = new ArrayList<>();
    for (int i = 1; i < k; i++) {
      expected.add("step-" + i);
    }
    for (int i = k - 1; i >= 1; i--) {
      expected.add("compensate-" + i);
    }
    assertThat(done.state()).isEqualTo(TaskState.COMPENSATED);
    assertThat(effectsOf(saga)).containsExactlyElementsOf(expected);
    assertThat(done.result().get("failed_step").asInt()).isEqualTo(k);
    assertThat(done.result().at("/error/code").asText()).isEqualTo("tool-failed");
    List<Integer> compensated = new ArrayList<>();
    done.result().get("compensated").forEach(n -> compensated.add(n.asInt()));
    assertThat(compensated).containsExactlyElementsOf(
        expected.stream().filter(e -> e.startsWith("compensate-")).map(e -> Integer.parseInt(e.substring(11)))
            .toList());
    List<TaskEventType> types = types(done.id());
    assertThat(types.stream().filter(t -> t == TaskEventType.COMPENSATING)).hasSize(1);
    assertThat(types.get(types.size() - 1)).isEqualTo(TaskEventType.COMPENSATED);
    assertThat(types.indexOf(TaskEventType.COMPENSATING)).isGreaterThan(types.indexOf(TaskEventType.RUNNING));
  }

  @Test
  @DisplayName("a compensation that fails ends the saga FAILED, naming the failed step and the failed compensation")
  void failedCompensation() throws Exception {
    String saga = "badundo-" + IDS.incrementAndGet();
    TaskView done = run(plan(saga, 3, 2));

    assertThat(done.state()).isEqualTo(TaskState.FAILED);
    assertThat(done.error().code()).isEqualTo("compensation-failed");
    assertThat(done.error().message()).contains("step 3").contains("compensating step 2");
    assertThat(effectsOf(saga)).as("compensation 2 failed without effect, so 1 was not attempted")
        .containsExactly("step-1", "step-2");
  }

  @Test
  @DisplayName("steps without a compensation are skipped while undoing and listed as such")
  void stepWithoutCompensation() throws Exception {
    String saga = "nocomp-" + IDS.incrementAndGet();
    ObjectNode plan = plan(saga, 3, -1);
    ((ObjectNode) plan.get("steps").get(1)).remove("compensate");
    TaskView done = run(plan);

    assertThat(done.state()).isEqualTo(TaskState.COMPENSATED);
    assertThat(effectsOf(saga)).containsExactly("step-1", "step-2", "compensate-1");
    assertThat(done.result().get("without_compensation").toString()).isEqualTo("[2]");
  }

  @Test
  @DisplayName("a malformed plan fails the task with invalid-saga-plan and calls no tool")
  void malformedPlan() throws Exception {
    TaskView noSteps = run(Json.object().put("steps", "all of them"));
    TaskView unknownField = run(Json.fromString("{\"steps\": [{\"tool\": \"noop\", \"undo\": {}}]}", JsonNode.class));
    TaskView badArguments = run(Json.fromString("{\"steps\": [{\"tool\": \"noop\", \"arguments\": [1]}]}",
        JsonNode.class));

    for (TaskView view : List.of(noSteps, unknownField, badArguments)) {
      assertThat(view.state()).isEqualTo(TaskState.FAILED);
      assertThat(view.error().code()).isEqualTo("invalid-saga-plan");
    }
    assertThat(unknownField.error().message()).contains("undo");
    assertThat(types(noSteps.id())).doesNotContain(TaskEventType.TOOL_CALL);
  }

  @Test
  @DisplayName("over HTTP a saga ends compensated, with its summary as the result")
  void overHttp() throws Exception {
    String saga = "http-" + IDS.incrementAndGet();
    ObjectNode body = Json.object().put("agent_type", "saga");
    body.set("input", plan(saga, 2, -1));
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + node.node().context().lifecycle().httpPort() + "/v1/tasks?wait=20s"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.toString(body))).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode task = Json.fromString(response.body(), JsonNode.class);
    assertThat(task.get("state").asText()).isEqualTo("COMPENSATED");
    assertThat(task.at("/result/compensated").toString()).isEqualTo("[1]");
    assertThat(effectsOf(saga)).containsExactly("step-1", "compensate-1");
  }

  // STEPS test_effect steps writing "<saga>:step-i", each compensated by "<saga>:compensate-i"; step failAt fails
  // (none if 0), and so does the compensation of step failUndo (none if -1)
  private static ObjectNode plan(String saga, int failAt, int failUndo) {
    ArrayNode steps = Json.MAPPER.createArrayNode();
    for (int i = 1; i <= STEPS; i++) {
      ObjectNode step = steps.addObject().put("name", "effect " + i).put("tool", "test_effect");
      step.set("arguments", Json.object().put("line", saga + ":step-" + i).put("fail", i == failAt));
      ObjectNode undo = step.putObject("compensate").put("tool", "test_effect");
      undo.set("arguments", Json.object().put("line", saga + ":compensate-" + i).put("fail", i == failUndo)
          .put("idempotent", true));
    }
    ObjectNode plan = Json.object();
    plan.set("steps", steps);
    return plan;
  }

  private static TaskView run(JsonNode input) throws Exception {
    EventBus bus = node.node().vertx().eventBus();
    SubmitTask submit = new SubmitTask("saga", input, 60_000L, Map.of(), null, null, 30_000, null, null);
    return Await.result(bus.<TaskView>request(Addresses.SCHEDULER_SUBMIT, submit,
        new DeliveryOptions().setSendTimeout(60_000)).map(Message::body));
  }

  private static List<String> effectsOf(String saga) throws Exception {
    return Files.readAllLines(effects, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith(saga + ":"))
        .map(l -> l.substring(saga.length() + 1)).collect(Collectors.toList());
  }

  private static List<TaskEventType> types(String taskId) throws Exception {
    EventBus bus = node.node().vertx().eventBus();
    TaskEventBatch batch = Await.result(bus.<TaskEventBatch>request(Addresses.SCHEDULER_WATCH,
        new WatchTask(taskId, 0, "test.nowhere")).map(Message::body));
    return batch.events().stream().map(TaskEvent::type).toList();
  }
}
