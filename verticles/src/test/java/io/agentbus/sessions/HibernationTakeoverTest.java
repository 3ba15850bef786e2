package io.agentbus.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbus.agents.AgentTask;
import io.agentbus.api.Addresses;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.Failures;
import io.agentbus.api.Json;
import io.agentbus.api.SubmitTask;
import io.agentbus.api.TaskRef;
import io.agentbus.api.TaskState;
import io.agentbus.api.TaskView;
import io.agentbus.config.Setting;
import io.agentbus.testing.Await;
import io.agentbus.testing.ManualAgent;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A hibernating task whose owner node stops is taken over by the surviving node and still resumes with its snapshot. */
class HibernationTakeoverTest {

  private TwoNodes nodes;
  private HeldHttpServer slowTool;

  @AfterEach
  void stop() {
    if (nodes != null) {
      nodes.close();
    }
    if (slowTool != null) {
      slowTool.close();
    }
  }

  @Test
  @DisplayName("a task hibernating when its owner node stops is taken over and resumes with its snapshot and the tool's outcome")
  void resumesAfterItsOwnerIsLost() throws Exception {
    slowTool = new HeldHttpServer();
    nodes = TwoNodes.start(Map.of(
        Setting.TOOLS_HTTP_ALLOW_HOSTS.key(), "127.0.0.1:" + slowTool.port(),
        Setting.TOOLS_HTTP_ALLOW_INTERNAL.key(), "127.0.0.1",
        Setting.TOOLS_HTTP_TIMEOUT_MS.key(), "60000"));
    ManualAgent agent = new ManualAgent("survivor-agent", "takeover", 1, nodes.first.node().nodeId());
    Await.result(nodes.first.node().vertx().deployVerticle(agent));
    TaskView task = submitToSecond(new SubmitTask("takeover", Json.tree("long plan"), 180_000L, Map.of(), null, null, 0,
        "plan-1", null));
    assertThat(task.ownerNode()).isEqualTo(nodes.second.node().nodeId());

    AgentTask first = agent.next(30);
    JsonNode state = Json.tree(Map.of("done", "research"));
    Promise<Long> saved = Promise.promise();
    agent.onAgent(first, t -> t.hibernate("http_fetch",
        Json.object().put("url", "http://127.0.0.1:" + slowTool.port() + "/takeover"), state, 0).onComplete(saved));
    assertThat(Await.result(saved.future())).isEqualTo(1);
    Await.until("the slow tool received its request", Duration.ofSeconds(30), () -> slowTool.received() >= 1);
    assertThat(get(task.id(), 0).state()).isEqualTo(TaskState.INPUT_REQUIRED);

    nodes.second.close();
    slowTool.release("answer after takeover");

    AgentTask resumed = agent.next(90);
    assertThat(resumed.taskId()).isEqualTo(task.id());
    assertThat(resumed.resume().path("snapshot").path("version").asLong()).isEqualTo(1);
    assertThat(resumed.resume().path("snapshot").path("state")).isEqualTo(state);
    assertThat(resumed.resume().path("tool_result").path("result").path("body").asText())
        .isEqualTo("answer after takeover");
    agent.onAgent(resumed, t -> t.complete(Json.object().put("ok", true)));
    TaskView done = get(task.id(), 30_000);
    assertThat(done.state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(done.ownerNode()).isEqualTo(nodes.first.node().nodeId());
    nodes.first.assertNoBlockedEventLoop();
  }

  @Test
  @DisplayName("a queued task of a session taken over from a lost node still waits for its turn, and starts when it comes")
  void queuedSessionTaskKeepsItsTurnAfterTakeover() throws Exception {
    nodes = TwoNodes.start(Map.of());
    ManualAgent agent = new ManualAgent("line-agent", "line", 4, nodes.first.node().nodeId());
    Await.result(nodes.first.node().vertx().deployVerticle(agent));
    EventBus bus = nodes.first.node().vertx().eventBus();
    TaskView running = Await.result(bus.<TaskView>request(
        Addresses.schedulerOn(nodes.first.node().nodeId(), Addresses.SCHEDULER_SUBMIT),
        new SubmitTask("line", Json.tree("first"), 180_000L, Map.of(), null, null, 0, "line-1", null))
        .map(Message::body));
    AgentTask onFirst = agent.next(30);
    assertThat(onFirst.taskId()).isEqualTo(running.id());
    TaskView queued = submitToSecond(new SubmitTask("line", Json.tree("second"), 180_000L, Map.of(), null, null, 0,
        "line-1", null));
    assertThat(queued.ownerNode()).isEqualTo(nodes.second.node().nodeId());

    nodes.second.close();
    Await.until("the queued task is taken over", Duration.ofSeconds(60),
        () -> ownerOf(queued.id()).equals(nodes.first.node().nodeId()));
    agent.assertNothingWithin(1000);
    assertThat(get(queued.id(), 0).state()).isEqualTo(TaskState.SUBMITTED);

    agent.onAgent(onFirst, t -> t.complete(Json.tree("done")));
    AgentTask onSecond = agent.next(30);
    assertThat(onSecond.taskId()).isEqualTo(queued.id());
    agent.onAgent(onSecond, t -> t.complete(Json.tree("done too")));
    assertThat(get(queued.id(), 30_000).state()).isEqualTo(TaskState.SUCCEEDED);
    nodes.first.assertNoBlockedEventLoop();
  }

  private String ownerOf(String taskId) {
    try {
      return get(taskId, 0).ownerNode();
    } catch (Exception e) {
      return "";
    }
  }

  // the second node learns of the agent through membership: until then it does not know the type
  private TaskView submitToSecond(SubmitTask submit) throws Exception {
    EventBus bus = nodes.second.node().vertx().eventBus();
    String address = Addresses.schedulerOn(nodes.second.node().nodeId(), Addresses.SCHEDULER_SUBMIT);
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      try {
        return Await.result(bus.<TaskView>request(address, submit).map(Message::body));
      } catch (Exception e) {
        if (Failures.toException(e).code() != ErrorCode.UNKNOWN_AGENT_TYPE || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }

  private TaskView get(String taskId, long waitMs) throws Exception {
    EventBus bus = nodes.first.node().vertx().eventBus();
    return Await.result(bus.<TaskView>request(Addresses.SCHEDULER_GET, new TaskRef(taskId, waitMs),
        new DeliveryOptions().setSendTimeout(waitMs + 20_000)).map(Message::body));
  }
}
