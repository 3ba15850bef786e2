package io.agentbus.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbus.agents.AgentTask;
import io.agentbus.api.Addresses;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.Failures;
import io.agentbus.api.Json;
import io.agentbus.api.OnBusy;
import io.agentbus.api.SubmitTask;
import io.agentbus.api.TaskRef;
import io.agentbus.api.TaskState;
import io.agentbus.api.TaskView;
import io.agentbus.config.Setting;
import io.agentbus.testing.Await;
import io.agentbus.testing.ManualAgent;
import io.agentbus.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Tasks of one session run one at a time across two real nodes (one Hazelcast cluster, one embedded Kafka), with
 * each on_busy policy. The agent has room for several tasks, so only the session keeps them apart.
 */
class SessionSerializationTest {

  private static final AtomicInteger IDS = new AtomicInteger();
  private static TwoNodes nodes;

  @BeforeAll
  static void start() throws Exception {
    nodes = TwoNodes.start(Map.of(Setting.SESSIONS_MAX_WAITING.key(), "2"));
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
    }
  }

  @AfterEach
  void noBlockedEventLoop() {
    nodes.assertNoBlockedEventLoop();
  }

  @Test
  @DisplayName("enqueue: tasks of one session submitted to two nodes run one at a time, in the order accepted")
  void enqueueRunsInOrder() throws Exception {
    String type = "serial-" + IDS.incrementAndGet();
    ManualAgent agent = deploy(type);
    String session = "s-" + IDS.incrementAndGet();
    TaskView a = submit(nodes.first, type, "a", session, OnBusy.ENQUEUE);
    AgentTask onA = agent.next(30);
    assertThat(onA.taskId()).isEqualTo(a.id());
    TaskView b = submit(nodes.second, type, "b", session, null);
    TaskView c = submit(nodes.first, type, "c", session, OnBusy.ENQUEUE);
    TaskView unrelated = submit(nodes.first, type, "other", null, null);
    assertThat(agent.next(30).taskId()).as("a task of no session is not held back").isEqualTo(unrelated.id());
    agent.assertNothingWithin(500);
    assertThat(get(b.id(), 0).state()).isEqualTo(TaskState.SUBMITTED);

    assertThat(refusal(nodes.second, type, "d", session, null).code()).as("sessions.max-waiting is 2")
        .isEqualTo(ErrorCode.QUEUE_FULL);

    agent.onAgent(onA, t -> t.complete(Json.tree("A")));
    AgentTask onB = agent.next(30);
    assertThat(onB.taskId()).isEqualTo(b.id());
    agent.assertNothingWithin(300);
    agent.onAgent(onB, t -> t.complete(Json.tree("B")));
    AgentTask onC = agent.next(30);
    assertThat(onC.taskId()).isEqualTo(c.id());
    agent.onAgent(onC, t -> t.complete(Json.tree("C")));
    assertThat(get(c.id(), 20_000).state()).isEqualTo(TaskState.SUCCEEDED);
  }

  @Test
  @DisplayName("reject: a submit while the session runs a task is refused with session-busy and nothing is accepted")
  void rejectRefusesWhileBusy() throws Exception {
    String type = "serial-" + IDS.incrementAndGet();
    ManualAgent agent = deploy(type);
    String session = "s-" + IDS.incrementAndGet();
    TaskView a = submit(nodes.first, type, "a", session, OnBusy.REJECT);
    AgentTask onA = agent.next(30);

    AgentbusException refused = refusal(nodes.second, type, "b", session, OnBusy.REJECT);
    assertThat(refused.code()).isEqualTo(ErrorCode.SESSION_BUSY);
    assertThat(refused.getMessage()).contains(a.id());
    HttpResponse<String> overHttp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(nodes.second.node().httpAddress() + "/v1/tasks"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"agent_type\":\"" + type + "\",\"session_id\":\"" + session
            + "\",\"on_busy\":\"reject\"}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(overHttp.statusCode()).as(overHttp.body()).isEqualTo(409);
    assertThat(Json.fromString(overHttp.body(), com.fasterxml.jackson.databind.JsonNode.class).path("code").asText())
        .isEqualTo("session-busy");
    agent.assertNothingWithin(300);

    agent.onAgent(onA, t -> t.complete(Json.tree("A")));
    assertThat(get(a.id(), 20_000).state()).isEqualTo(TaskState.SUCCEEDED);
    TaskView later = submitUntilAccepted(nodes.second, type, "c", session, OnBusy.REJECT);
    assertThat(agent.next(30).taskId()).isEqualTo(later.id());
  }

  @Test
  @DisplayName("interrupt: the running task is cancelled with reason session-interrupted and the new one runs before queued ones")
  void interruptCancelsTheRunningTask() throws Exception {
    String type = "serial-" + IDS.incrementAndGet();
    ManualAgent agent = deploy(type);
    String session = "s-" + IDS.incrementAndGet();
    TaskView a = submit(nodes.first, type, "a", session, null);
    AgentTask onA = agent.next(30);
    TaskView queued = submit(nodes.first, type, "queued", session, OnBusy.ENQUEUE);
    TaskView urgent = submit(nodes.second, type, "urgent", session, OnBusy.INTERRUPT);

    TaskView cancelled = get(a.id(), 20_000);
    assertThat(cancelled.state()).isEqualTo(TaskState.CANCELLED);
    assertThat(cancelled.error().message()).isEqualTo(OnBusy.INTERRUPT_REASON);
    AgentTask onUrgent = agent.next(30);
    assertThat(onUrgent.taskId()).isEqualTo(urgent.id());
    assertThat(onA.stopped()).isTrue();
    assertThat(onA.stopReason()).isEqualTo(OnBusy.INTERRUPT_REASON);
    agent.assertNothingWithin(300);

    agent.onAgent(onUrgent, t -> t.complete(Json.tree("U")));
    AgentTask onQueued = agent.next(30);
    assertThat(onQueued.taskId()).isEqualTo(queued.id());
    agent.onAgent(onQueued, t -> t.complete(Json.tree("Q")));
    assertThat(get(queued.id(), 20_000).state()).isEqualTo(TaskState.SUCCEEDED);
  }

  private static ManualAgent deploy(String type) throws Exception {
    ManualAgent agent = new ManualAgent(type + "-agent", type, 8, nodes.first.node().nodeId());
    Await.result(nodes.first.node().vertx().deployVerticle(agent));
    return agent;
  }

  private static Future<TaskView> request(TestNode node, String type, String input, String session, OnBusy onBusy) {
    EventBus bus = node.node().vertx().eventBus();
    SubmitTask submit = new SubmitTask(type, Json.tree(input), 120_000L, Map.of(), null, null, 0, session, onBusy);
    return bus.<TaskView>request(Addresses.schedulerOn(node.node().nodeId(), Addresses.SCHEDULER_SUBMIT), submit)
        .map(Message::body);
  }

  // the second node learns of the agent through membership: until then it does not know the type
  private static TaskView submit(TestNode node, String type, String input, String session, OnBusy onBusy)
      throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      try {
        return Await.result(request(node, type, input, session, onBusy));
      } catch (Exception e) {
        if (Failures.toException(e).code() != ErrorCode.UNKNOWN_AGENT_TYPE || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }

  // the line is left once the task before has settled, which follows its terminal event by a little
  private static TaskView submitUntilAccepted(TestNode node, String type, String input, String session,
                                              OnBusy onBusy) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      try {
        return submit(node, type, input, session, onBusy);
      } catch (Exception e) {
        if (Failures.toException(e).code() != ErrorCode.SESSION_BUSY || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }

  private static AgentbusException refusal(TestNode node, String type, String input, String session, OnBusy onBusy)
      throws Exception {
    try {
      submit(node, type, input, session, onBusy);
    } catch (Exception e) {
      return Failures.toException(e);
    }
    throw new AssertionError("the submit was accepted");
  }

  private static TaskView get(String taskId, long waitMs) throws Exception {
    EventBus bus = nodes.first.node().vertx().eventBus();
    return Await.result(bus.<TaskView>request(Addresses.SCHEDULER_GET, new TaskRef(taskId, waitMs),
        new DeliveryOptions().setSendTimeout(waitMs + 20_000)).map(Message::body));
  }
}
