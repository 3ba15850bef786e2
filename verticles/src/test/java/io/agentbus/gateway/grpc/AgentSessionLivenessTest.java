package io.agentbus.gateway.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbus.config.Setting;
import io.agentbus.grpc.v1.Ack;
import io.agentbus.grpc.v1.TaskAssignment;
import io.agentbus.testing.Await;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * How long a remote agent is a member: while its stream lives and it is heard from. A half-close, a reset or silence
 * past grpc.agent-session-timeout-ms removes it from the registry and its running task is dispatched again (after
 * tasks.max-attempts lost attempts the task fails); a second session with the same id takes over; HTTP/2 PINGs keep
 * a quiet session's connection alive.
 */
class AgentSessionLivenessTest {

  private static final long SESSION_TIMEOUT_MS = 1500;
  private static final long KEEPALIVE_MS = 100;
  private static SessionNode node;

  @BeforeAll
  static void start() throws Exception {
    node = SessionNode.start(Map.of(
        Setting.GRPC_AGENT_SESSION_TIMEOUT_MS.key(), String.valueOf(SESSION_TIMEOUT_MS),
        Setting.GRPC_KEEPALIVE_MS.key(), String.valueOf(KEEPALIVE_MS),
        Setting.GRPC_KEEPALIVE_TIMEOUT_MS.key(), "5000",
        Setting.MEMBERSHIP_AGENT_SUSPECT_MS.key(), "1200"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @AfterEach
  void noBlockedEventLoop() {
    node.assertNoBlockedEventLoop();
  }

  private static void awaitGone(String agentId) throws InterruptedException {
    Await.until(agentId + " leaves GET /v1/agents", Duration.ofSeconds(10), () -> {
      try {
        return node.listedAgent(agentId) == null;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
  }

  @Test
  @DisplayName("an agent that half-closes its stream leaves the registry; its running task goes to another agent with "
      + "a new epoch")
  void halfCloseRedispatches() throws Exception {
    String type = SessionNode.fresh("leaving");
    String leaverId = SessionNode.fresh("leaver");
    RemoteAgent leaver = node.agent(leaverId, 1, type);
    String taskId = node.submit(type, "work");
    TaskAssignment first = leaver.assignment(taskId, 10);
    String stayerId = SessionNode.fresh("stayer");
    RemoteAgent stayer = node.agent(stayerId, 1, type);

    leaver.end();
    assertThat(leaver.endStatus(10)).isEqualTo(GrpcStatus.OK);
    awaitGone(leaverId);
    TaskAssignment second = stayer.assignment(taskId, 10);
    assertThat(second.getEpoch()).isGreaterThan(first.getEpoch());
    stayer.result(second, "\"done by the stayer\"");
    assertThat(stayer.ack(Ack.Of.OF_RESULT, taskId, 10).getOk()).isTrue();

    JsonNode task = node.task(taskId, 0);
    assertThat(task.get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(task.get("agent_id").asText()).isEqualTo(stayerId);
    assertThat(task.get("attempt").asInt()).isEqualTo(2);
    assertThat(node.sseTypes(taskId)).containsExactly("submitted", "assigned", "running", "requeued", "assigned",
        "running", "succeeded");
  }

  @Test
  @DisplayName("an agent whose stream is reset leaves the registry; its task waits and goes to the next agent of its "
      + "type")
  void resetRedispatches() throws Exception {
    String type = SessionNode.fresh("reset");
    String id = SessionNode.fresh("resetter");
    RemoteAgent agent = node.agent(id, 1, type);
    String taskId = node.submit(type, "work");
    TaskAssignment first = agent.assignment(taskId, 10);

    agent.reset();
    awaitGone(id);
    Await.until("the task is back in line", Duration.ofSeconds(10),
        () -> stateOf(taskId).equals("SUBMITTED"));
    RemoteAgent next = node.agent(SessionNode.fresh("successor"), 1, type);
    TaskAssignment second = next.assignment(taskId, 10);
    assertThat(second.getEpoch()).isGreaterThan(first.getEpoch());
    next.result(second, "1");
    assertThat(next.ack(Ack.Of.OF_RESULT, taskId, 10).getOk()).isTrue();
    assertThat(node.task(taskId, 0).get("state").asText()).isEqualTo("SUCCEEDED");
  }

  @Test
  @DisplayName("after tasks.max-attempts lost attempts the task fails no-agent-available, once")
  void lostAttemptsFailTheTask() throws Exception {
    String type = SessionNode.fresh("flaky");
    String taskId = null;
    for (int i = 0; i < 3; i++) {
      RemoteAgent agent = node.agent(SessionNode.fresh("flaky"), 1, type);
      if (taskId == null) {
        taskId = node.submit(type, "work");
      }
      agent.assignment(taskId, 10);
      agent.reset();
    }
    JsonNode task = node.ended(taskId);
    assertThat(task.get("state").asText()).isEqualTo("FAILED");
    assertThat(task.get("error").get("code").asText()).isEqualTo("no-agent-available");
    assertThat(task.get("attempt").asInt()).isEqualTo(3);
    assertThat(node.kafkaTypes(taskId).stream().filter("failed"::equals).count()).isEqualTo(1);
  }

  @Test
  @DisplayName("an agent that stops sending heartbeats is ended UNAVAILABLE after grpc.agent-session-timeout-ms and "
      + "its task is dispatched again")
  void heartbeatSilenceEndsTheSession() throws Exception {
    String type = SessionNode.fresh("silent");
    String id = SessionNode.fresh("silent");
    RemoteAgent agent = node.agent(id, 1, type);
    String taskId = node.submit(type, "work");
    agent.assignment(taskId, 10);
    double expired = node.counter("agentbus.grpc.agent.sessions.expired");

    long silentFrom = System.nanoTime();
    agent.heartbeats = false;
    assertThat(agent.endStatus(15)).isEqualTo(GrpcStatus.UNAVAILABLE);
    long silentMs = (System.nanoTime() - silentFrom) / 1_000_000;
    assertThat(silentMs).isGreaterThanOrEqualTo(SESSION_TIMEOUT_MS - 600);
    assertThat(agent.endMessage()).contains("grpc.agent-session-timeout-ms");
    assertThat(agent.outcome().reason()).isEqualTo("unavailable");
    assertThat(node.counter("agentbus.grpc.agent.sessions.expired")).isGreaterThan(expired);
    awaitGone(id);
    Await.until("the task is back in line", Duration.ofSeconds(10), () -> stateOf(taskId).equals("SUBMITTED"));

    RemoteAgent next = node.agent(SessionNode.fresh("awake"), 1, type);
    TaskAssignment again = next.assignment(taskId, 10);
    next.result(again, "2");
    assertThat(next.ack(Ack.Of.OF_RESULT, taskId, 10).getOk()).isTrue();
  }

  @Test
  @DisplayName("an agent busy streaming output without heartbeats stays a live, routable member")
  void outputKeepsTheAgentAlive() throws Exception {
    String type = SessionNode.fresh("busy");
    String id = SessionNode.fresh("busy");
    RemoteAgent agent = node.agent(id, 2, type);
    agent.heartbeats = false;
    String taskId = node.submit(type, "a long generation");
    TaskAssignment a = agent.assignment(taskId, 10);
    long until = System.nanoTime() + Duration.ofMillis(2 * SESSION_TIMEOUT_MS).toNanos();
    int chunks = 0;
    while (System.nanoTime() < until) {
      agent.content(a, "token" + chunks++ + " ", false);
      Thread.sleep(100);
    }
    assertThat(agent.ended()).isFalse();
    JsonNode listed = node.listedAgent(id);
    assertThat(listed).isNotNull();
    assertThat(listed.get("suspect").asBoolean()).as("suspect").isFalse();
    String second = node.submit(type, "another");
    TaskAssignment b = agent.assignment(second, 10);
    agent.result(a, "1");
    agent.result(b, "2");
    assertThat(agent.ack(Ack.Of.OF_RESULT, taskId, 10).getOk()).isTrue();
    assertThat(agent.ack(Ack.Of.OF_RESULT, second, 10).getOk()).isTrue();
    assertThat(node.sseTypes(taskId).stream().filter("content"::equals).count()).isEqualTo(chunks);
  }

  @Test
  @DisplayName("a second session registering the same agent id takes over: the first ends ABORTED, its running task is "
      + "dispatched again")
  void reRegisterTakesOver() throws Exception {
    String type = SessionNode.fresh("twin");
    String id = SessionNode.fresh("twin");
    RemoteAgent old = node.agent(id, 2, type);
    String taskId = node.submit(type, "work");
    TaskAssignment first = old.assignment(taskId, 10);

    RemoteAgent fresh = node.agent(id, 2, type);
    assertThat(old.endStatus(10)).isEqualTo(GrpcStatus.ABORTED);
    assertThat(old.outcome().reason()).isEqualTo("session-replaced");
    TaskAssignment again = fresh.assignment(taskId, 10);
    assertThat(again.getEpoch()).isGreaterThan(first.getEpoch());
    JsonNode listed = node.listedAgent(id);
    assertThat(listed).isNotNull();
    assertThat(listed.get("node_id").asText()).isEqualTo(node.node.node().nodeId());

    fresh.result(again, "\"after the takeover\"");
    assertThat(fresh.ack(Ack.Of.OF_RESULT, taskId, 10).getOk()).isTrue();
    String next = node.submit(type, "next");
    TaskAssignment b = fresh.assignment(next, 10);
    fresh.result(b, "3");
    assertThat(fresh.ack(Ack.Of.OF_RESULT, next, 10).getOk()).isTrue();
    assertThat(node.task(taskId, 0).get("state").asText()).isEqualTo("SUCCEEDED");
  }

  @Test
  @DisplayName("the node PINGs a session's connection every grpc.keepalive-ms; a session quiet but for heartbeats "
      + "stays up across many intervals")
  void keepalive() throws Exception {
    GrpcClient own = GrpcClient.client(node.clients);
    try {
      RemoteAgent agent = RemoteAgent.open(node.clients, own, node.grpcAddress);
      String id = SessionNode.fresh("quiet");
      assertThat(agent.register(id, 1, SessionNode.fresh("quiet")).getAck().getOk()).isTrue();
      AtomicInteger pings = new AtomicInteger();
      agent.connection().pingHandler(data -> pings.incrementAndGet());
      Thread.sleep(2 * SESSION_TIMEOUT_MS);
      assertThat(pings.get()).as("PINGs in " + 2 * SESSION_TIMEOUT_MS + " ms at " + KEEPALIVE_MS + " ms")
          .isGreaterThanOrEqualTo(5);
      assertThat(agent.ended()).isFalse();
      assertThat(node.listedAgent(id)).isNotNull();
      agent.close();
    } finally {
      Await.result(own.close());
    }
  }

  private static String stateOf(String taskId) {
    try {
      return node.task(taskId, 0).get("state").asText();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
