package io.agentbus.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbus.agents.AgentTask;
import io.agentbus.api.Addresses;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.Json;
import io.agentbus.api.SessionSnapshot;
import io.agentbus.api.SubmitTask;
import io.agentbus.api.TaskEvent;
import io.agentbus.api.TaskEventBatch;
import io.agentbus.api.TaskEventType;
import io.agentbus.api.TaskRef;
import io.agentbus.api.TaskState;
import io.agentbus.api.TaskView;
import io.agentbus.api.WatchTask;
import io.agentbus.config.Setting;
import io.agentbus.testing.Await;
import io.agentbus.testing.ManualAgent;
import io.agentbus.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Sessions on two real nodes (one Hazelcast cluster, one embedded Kafka): snapshots with optimistic versions, and
 * hibernation through a slow tool call that wakes on an agent of the other node.
 */
class SessionHibernationTest {

  private static final AtomicInteger IDS = new AtomicInteger();
  private static TwoNodes nodes;
  private static HeldHttpServer slowTool;

  @BeforeAll
  static void start() throws Exception {
    slowTool = new HeldHttpServer();
    nodes = TwoNodes.start(Map.of(
        Setting.TOOLS_HTTP_ALLOW_HOSTS.key(), "127.0.0.1:" + slowTool.port(),
        Setting.TOOLS_HTTP_ALLOW_INTERNAL.key(), "127.0.0.1",
        Setting.TOOLS_HTTP_TIMEOUT_MS.key(), "60000",
        Setting.SESSIONS_MAX_STATE_BYTES.key(), "1024"));
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
    }
    if (slowTool != null) {
      slowTool.close();
    }
  }

  @AfterEach
  void noBlockedEventLoop() {
    nodes.assertNoBlockedEventLoop();
  }

  @Test
  @DisplayName("a session hibernates during a slow tool call and resumes on an agent on another node with its snapshot")
  void hibernatesAndResumesOnAnotherNode() throws Exception {
    String type = "sleeper-" + IDS.incrementAndGet();
    ManualAgent first = deploy(nodes.first, type);
    String sessionId = "conversation-" + IDS.incrementAndGet();
    TaskView submitted = submit(nodes.first, type, "plan a trip", sessionId);
    AgentTask onFirst = first.next(30);
    assertThat(onFirst.resume()).isNull();

    JsonNode state = Json.tree(Map.of("step", 3, "notes", List.of("flights compared", "hotel picked")));
    long version = Await.result(on(first, onFirst, t -> t.hibernate("http_fetch",
        Json.object().put("url", "http://127.0.0.1:" + slowTool.port() + "/slow"), state, 0)));
    assertThat(version).isEqualTo(1);
    Await.until("the slow tool received its request", Duration.ofSeconds(30), () -> slowTool.received() == 1);
    assertThat(get(submitted.id(), 0).state()).isEqualTo(TaskState.INPUT_REQUIRED);

    // the first agent's only slot is free again: it takes another task while the first one sleeps, and stays busy
    TaskView other = submit(nodes.first, type, "something else", null);
    AgentTask otherOnFirst = first.next(30);
    assertThat(otherOnFirst.taskId()).isEqualTo(other.id());

    ManualAgent second = deploy(nodes.second, type);
    slowTool.release("fare found: 412 EUR");

    AgentTask resumed = second.next(30);
    assertThat(resumed.taskId()).isEqualTo(submitted.id());
    JsonNode resume = resumed.resume();
    assertThat(resume.path("session_id").asText()).isEqualTo(sessionId);
    assertThat(resume.path("snapshot").path("version").asLong()).isEqualTo(1);
    assertThat(resume.path("snapshot").path("state")).isEqualTo(state);
    JsonNode toolResult = resume.path("tool_result");
    assertThat(toolResult.path("ok").asBoolean()).as(toolResult.toString()).isTrue();
    assertThat(toolResult.path("result").path("body").asText()).isEqualTo("fare found: 412 EUR");
    second.onAgent(resumed, t -> t.complete(Json.object().put("answer",
        "step " + t.resume().path("snapshot").path("state").path("step").asInt() + ": "
            + t.resume().path("tool_result").path("result").path("body").asText())));

    TaskView done = get(submitted.id(), 20_000);
    assertThat(done.state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(done.result().path("answer").asText()).isEqualTo("step 3: fare found: 412 EUR");
    assertThat(done.agentId()).isEqualTo(second.descriptor().id());
    List<TaskEvent> events = events(submitted.id());
    assertThat(events.stream().filter(e -> e.type() == TaskEventType.SUCCEEDED)).hasSize(1);
    assertThat(events.stream().filter(e -> e.type().isTerminal())).hasSize(1);
    assertThat(events.stream().filter(e -> e.type() == TaskEventType.INPUT_REQUIRED).toList())
        .singleElement().satisfies(e -> assertThat(e.data().path("reason").asText()).isEqualTo("hibernating"));
    assertThat(events.stream().filter(e -> e.type() == TaskEventType.TOOL_RESULT)).hasSize(1);
    assertThat(slowTool.received()).as("the tool ran once").isEqualTo(1);

    first.onAgent(otherOnFirst, t -> t.complete(Json.object()));
    assertThat(get(other.id(), 20_000).state()).isEqualTo(TaskState.SUCCEEDED);
    second.assertNothingWithin(300);
  }

  @Test
  @DisplayName("a snapshot save that expects a stale version is refused with session-version-conflict; the attempt goes on")
  void staleVersionIsAConflict() throws Exception {
    String type = "versioned-" + IDS.incrementAndGet();
    ManualAgent agent = deploy(nodes.first, type);
    TaskView task = submit(nodes.first, type, "count", "counter-" + IDS.incrementAndGet());
    JsonNode calc = Json.object().put("expression", "6 * 7");

    AgentTask attempt = agent.next(30);
    long first = Await.result(on(agent, attempt, t -> t.hibernate("calculator", calc, Json.tree(Map.of("n", 1)), 0)));
    assertThat(first).isEqualTo(1);
    AgentTask woken = agent.next(30);
    assertThat(woken.resume().path("snapshot").path("version").asLong()).isEqualTo(1);
    assertThat(woken.resume().path("tool_result").path("ok").asBoolean()).isTrue();

    assertThat(Await.failure(on(agent, woken, t -> t.hibernate("calculator", calc, Json.tree(Map.of("n", 2)), 0))))
        .isEqualTo(ErrorCode.SESSION_VERSION_CONFLICT);
    String big = "x".repeat(2000);
    assertThat(Await.failure(on(agent, woken, t -> t.hibernate("calculator", calc, Json.tree(Map.of("n", big)), 1))))
        .isEqualTo(ErrorCode.SESSION_STATE_TOO_LARGE);
    assertThat(woken.stopped()).isFalse();
    assertThat(get(task.id(), 0).state()).isEqualTo(TaskState.RUNNING);

    long second = Await.result(on(agent, woken, t -> t.hibernate("calculator", calc, Json.tree(Map.of("n", 2)), 1)));
    assertThat(second).isEqualTo(2);
    AgentTask again = agent.next(30);
    assertThat(again.resume().path("snapshot").path("state").path("n").asInt()).isEqualTo(2);
    assertThat(again.resume().path("wake").asInt()).isEqualTo(2);
    agent.onAgent(again, t -> t.complete(t.resume().path("tool_result").path("result")));
    TaskView done = get(task.id(), 20_000);
    assertThat(done.state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(done.result().toString()).contains("42");
  }

  @Test
  @DisplayName("a later task of a session loads the snapshot an earlier one saved, on an agent of the other node")
  void snapshotCarriesOverBetweenTasksOfASession() throws Exception {
    String type = "turns-" + IDS.incrementAndGet();
    ManualAgent agent = deploy(nodes.second, type);
    String sessionId = "chat-" + IDS.incrementAndGet();
    TaskView first = submit(nodes.first, type, "hello", sessionId);
    AgentTask turn1 = agent.next(30);
    assertThat(Await.result(on(agent, turn1, AgentTask::loadSnapshot))).isNull();
    long saved = Await.result(on(agent, turn1, t -> t.saveSnapshot(Json.tree(Map.of("said", List.of("hello"))), 0)));
    assertThat(saved).isEqualTo(1);
    agent.onAgent(turn1, t -> t.complete(Json.tree("hi")));
    assertThat(get(first.id(), 20_000).state()).isEqualTo(TaskState.SUCCEEDED);

    TaskView second = submit(nodes.first, type, "how are you", sessionId);
    AgentTask turn2 = agent.next(30);
    assertThat(turn2.taskId()).isEqualTo(second.id());
    assertThat(turn2.resume()).as("a fresh task of a session is not a wake-up").isNull();
    SessionSnapshot before = Await.result(on(agent, turn2, AgentTask::loadSnapshot));
    assertThat(before.version()).isEqualTo(1);
    assertThat(before.state()).isEqualTo(Json.tree(Map.of("said", List.of("hello"))));
    assertThat(Await.failure(on(agent, turn2, t -> t.saveSnapshot(Json.tree(Map.of("said", List.of())), 0))))
        .isEqualTo(ErrorCode.SESSION_VERSION_CONFLICT);
    long next = Await.result(on(agent, turn2,
        t -> t.saveSnapshot(Json.tree(Map.of("said", List.of("hello", "how are you"))), before.version())));
    assertThat(next).isEqualTo(2);
    agent.onAgent(turn2, t -> t.complete(Json.tree("fine")));
    assertThat(get(second.id(), 20_000).state()).isEqualTo(TaskState.SUCCEEDED);
  }

  private static <T> Future<T> on(ManualAgent agent, AgentTask task, Function<AgentTask, Future<T>> action) {
    Promise<T> promise = Promise.promise();
    agent.onAgent(task, t -> action.apply(t).onComplete(promise));
    return promise.future();
  }

  private static ManualAgent deploy(TestNode node, String type) throws Exception {
    ManualAgent agent = new ManualAgent(type + "-" + IDS.incrementAndGet(), type, 1, node.node().nodeId());
    Await.result(node.node().vertx().deployVerticle(agent));
    // the other node's scheduler learns of the agent through membership deltas
    return agent;
  }

  private static TaskView submit(TestNode node, String type, String input, String sessionId) throws Exception {
    EventBus bus = node.node().vertx().eventBus();
    SubmitTask submit = new SubmitTask(type, Json.tree(input), 120_000L, Map.of(), null, null, 0, sessionId, null);
    return Await.result(bus.<TaskView>request(Addresses.schedulerOn(node.node().nodeId(), Addresses.SCHEDULER_SUBMIT), submit).map(Message::body));
  }

  private static TaskView get(String taskId, long waitMs) throws Exception {
    EventBus bus = nodes.first.node().vertx().eventBus();
    return Await.result(bus.<TaskView>request(Addresses.SCHEDULER_GET, new TaskRef(taskId, waitMs),
        new DeliveryOptions().setSendTimeout(waitMs + 20_000)).map(Message::body));
  }

  private static List<TaskEvent> events(String taskId) throws Exception {
    EventBus bus = nodes.first.node().vertx().eventBus();
    TaskEventBatch batch = Await.result(bus.<TaskEventBatch>request(Addresses.SCHEDULER_WATCH,
        new WatchTask(taskId, 0, "test.nowhere")).map(Message::body));
    return batch.events();
  }
}
