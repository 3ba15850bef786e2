package io.agentbus.gateway.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbus.config.Setting;
import io.agentbus.grpc.v1.Ack;
import io.agentbus.grpc.v1.AgentMessage;
import io.agentbus.grpc.v1.FabricMessage;
import io.agentbus.grpc.v1.FollowTask;
import io.agentbus.grpc.v1.Heartbeat;
import io.agentbus.grpc.v1.Register;
import io.agentbus.grpc.v1.StreamRequest;
import io.agentbus.grpc.v1.TaskAssignment;
import io.agentbus.grpc.v1.TaskEvent;
import io.agentbus.grpc.v1.TaskEventType;
import io.agentbus.grpc.v1.TaskServiceGrpcClient;
import io.agentbus.grpc.v1.Thought;
import io.agentbus.grpc.v1.ToolResult;
import io.agentbus.testing.Await;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Hostile and greedy agents: invalid messages get INVALID_ARGUMENT with details (ending the session when it is the
 * registration, an ack with a problem otherwise), a message over grpc.max-message-bytes ends the session with
 * RESOURCE_EXHAUSTED, a flood of reports is held back by pausing the stream, and an agent that does not read is not
 * buffered for without bound. After each, the node keeps serving.
 */
class AgentSessionLimitsTest {

  private static final int MAX_MESSAGE = 16 * 1024;
  private static final int MAX_IN_FLIGHT = 8;
  private static SessionNode node;

  @BeforeAll
  static void start() throws Exception {
    node = SessionNode.start(Map.of(Setting.GRPC_MAX_MESSAGE_BYTES.key(), String.valueOf(MAX_MESSAGE),
        Setting.GRPC_AGENT_MAX_IN_FLIGHT.key(), String.valueOf(MAX_IN_FLIGHT)));
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

  /** Another agent session still registers and serves, and an HTTP task of a built-in agent still succeeds. */
  private static void nodeKeepsServing() throws Exception {
    String type = SessionNode.fresh("healthy");
    RemoteAgent agent = node.agent(SessionNode.fresh("healthy"), 1, type);
    String taskId = node.submit(type, "still there?");
    TaskAssignment a = agent.assignment(taskId, 10);
    agent.result(a, "\"yes\"");
    assertThat(agent.ack(Ack.Of.OF_RESULT, taskId, 10).getOk()).isTrue();
    agent.close();
    assertThat(node.ended(node.submit("echo", Map.of("ping", 1))).get("state").asText()).isEqualTo("SUCCEEDED");
  }

  @Test
  @DisplayName("a session whose first message is not register ends INVALID_ARGUMENT with an ErrorInfo; the node keeps "
      + "serving")
  void firstMessageMustBeRegister() throws Exception {
    RemoteAgent agent = node.connect();
    agent.send(AgentMessage.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build());
    assertThat(agent.endStatus(10)).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(agent.endMessage()).contains("register");
    assertThat(agent.outcome().reason()).isEqualTo("invalid-request");
    nodeKeepsServing();
  }

  @Test
  @DisplayName("a register with a bad id, types and capacity ends INVALID_ARGUMENT with a BadRequest naming each field")
  void invalidRegister() throws Exception {
    RemoteAgent agent = node.connect();
    agent.send(AgentMessage.newBuilder().setRegister(Register.newBuilder().setAgentId("has spaces!")
        .addTypes("fine").addTypes("not fine").setCapacity(0)).build());
    assertThat(agent.endStatus(10)).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    GrpcCalls.Outcome<FabricMessage> out = agent.outcome();
    assertThat(out.reason()).isEqualTo("invalid-request");
    assertThat(out.badFields()).containsExactlyInAnyOrder("agent_id", "types.1", "capacity");

    RemoteAgent noTypes = node.connect();
    noTypes.send(AgentMessage.newBuilder().setRegister(Register.newBuilder().setAgentId("ok-id")
        .setCapacity(100_001)).build());
    assertThat(noTypes.endStatus(10)).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(noTypes.outcome().badFields()).containsExactlyInAnyOrder("types", "capacity");
    assertThat(node.listedAgent("ok-id")).isNull();
    nodeKeepsServing();
  }

  @Test
  @DisplayName("reports of unknown tasks or epochs, bad progress, an empty message, undecodable bytes and a second "
      + "register are refused with an ack; the session goes on")
  void invalidReportsAreRefused() throws Exception {
    String type = SessionNode.fresh("picky");
    RemoteAgent agent = node.agent(SessionNode.fresh("picky"), 1, type);

    agent.send(AgentMessage.newBuilder().setThought(Thought.newBuilder().setTaskId("tsk_nope").setEpoch(1)
        .setStep("s").setDelta("d")).build());
    Ack unknown = agent.ack(Ack.Of.OF_REPORT, "tsk_nope", 10);
    assertThat(unknown.getOk()).isFalse();
    assertThat(unknown.getProblem().getCode()).isEqualTo("attempt-fenced");
    assertThat(unknown.getProblem().getStatus()).isEqualTo(GrpcStatus.FAILED_PRECONDITION.code);
    agent.result("tsk_nope", 1, "1");
    assertThat(agent.ack(Ack.Of.OF_RESULT, "tsk_nope", 10).getOk()).isFalse();

    String taskId = node.submit(type, "x");
    TaskAssignment a = agent.assignment(taskId, 10);
    agent.send(RemoteAgent.content(taskId, a.getEpoch() + 5, "wrong epoch", false));
    Ack wrongEpoch = agent.ack(Ack.Of.OF_REPORT, taskId, 10);
    assertThat(wrongEpoch.getEpoch()).isEqualTo(a.getEpoch() + 5);
    assertThat(wrongEpoch.getProblem().getCode()).isEqualTo("attempt-fenced");
    agent.toolCall(TaskAssignment.newBuilder(a).setEpoch(a.getEpoch() + 5).build(), "c1", "calculator",
        "{\"expression\":\"1\"}");
    ToolResult fencedTool = agent.toolResult("c1", 10);
    assertThat(fencedTool.getOk()).isFalse();
    assertThat(fencedTool.getError().getCode()).isEqualTo("attempt-fenced");

    agent.progress(a, "stage", 150, "too much");
    Ack badProgress = agent.ack(Ack.Of.OF_REPORT, taskId, 10);
    assertThat(badProgress.getProblem().getStatus()).isEqualTo(GrpcStatus.INVALID_ARGUMENT.code);
    assertThat(badProgress.getProblem().getCode()).isEqualTo("invalid-request");
    agent.toolCall(a, "", "calculator", "{}");
    assertThat(agent.ack(Ack.Of.OF_REPORT, taskId, 10).getProblem().getCode()).isEqualTo("invalid-request");

    agent.send(AgentMessage.getDefaultInstance());
    Ack empty = agent.ack(Ack.Of.OF_REPORT, "", 10);
    assertThat(empty.getProblem().getStatus()).isEqualTo(GrpcStatus.INVALID_ARGUMENT.code);
    agent.sendRaw(Buffer.buffer(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}));
    Ack garbage = agent.ack(Ack.Of.OF_REPORT, "", 10);
    assertThat(garbage.getProblem().getStatus()).isEqualTo(GrpcStatus.INVALID_ARGUMENT.code);
    agent.send(AgentMessage.newBuilder().setRegister(Register.newBuilder().setAgentId("other").addTypes(type)
        .setCapacity(1)).build());
    Ack secondRegister = agent.next(m -> m.hasAck() && m.getAck().getOf() == Ack.Of.OF_REGISTER, 10).getAck();
    assertThat(secondRegister.getOk()).isFalse();
    assertThat(node.listedAgent("other")).isNull();

    agent.content(a, "still fine", true);
    agent.result(a, "\"done\"");
    assertThat(agent.ack(Ack.Of.OF_RESULT, taskId, 10).getOk()).isTrue();
    assertThat(node.sseTypes(taskId)).containsExactly("submitted", "assigned", "running", "content", "succeeded");
    assertThat(agent.ended()).isFalse();
  }

  @Test
  @DisplayName("a message over grpc.max-message-bytes ends the session RESOURCE_EXHAUSTED and the agent leaves; the "
      + "node keeps serving")
  void oversizeMessage() throws Exception {
    String type = SessionNode.fresh("big");
    String id = SessionNode.fresh("big");
    RemoteAgent agent = node.agent(id, 1, type);
    String taskId = node.submit(type, "x");
    TaskAssignment a = agent.assignment(taskId, 10);
    double oversized = node.counter("agentbus.grpc.messages.oversized");
    agent.content(a, "x".repeat(MAX_MESSAGE + 100), false);
    assertThat(agent.endStatus(10)).isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
    assertThat(agent.outcome().reason()).isEqualTo("body-too-large");
    assertThat(agent.endMessage()).contains("grpc.max-message-bytes");
    assertThat(node.counter("agentbus.grpc.messages.oversized")).isGreaterThan(oversized);
    Await.until(id + " leaves the registry", Duration.ofSeconds(10), () -> {
      try {
        return node.listedAgent(id) == null;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    assertThat(node.task(taskId, 0).get("state").asText()).as("back in line").isEqualTo("SUBMITTED");
    node.cancel(taskId, "its agent is gone");
    assertThat(node.sseTypes(taskId)).containsExactly("submitted", "assigned", "running", "requeued", "cancelled");
    nodeKeepsServing();
  }

  @Test
  @DisplayName("an agent flooding reports is paused at grpc.agent-max-in-flight reports on their way; every one "
      + "arrives, in order")
  void floodIsHeldBack() throws Exception {
    String type = SessionNode.fresh("flood");
    RemoteAgent agent = node.agent(SessionNode.fresh("flood"), 1, type);
    String taskId = node.submit(type, "flood");
    TaskAssignment a = agent.assignment(taskId, 10);
    double pauses = node.counter(GrpcMetrics.SESSION_PAUSES);
    int chunks = 5000;
    var flood = agent.flood(chunks, i -> RemoteAgent.content(taskId, a.getEpoch(), "chunk-" + i + " "
        + "y".repeat(100), false));
    int maxSeen = 0;
    while (!flood.isComplete()) {
      maxSeen = Math.max(maxSeen, (int) node.gauge(GrpcMetrics.REPORTS_IN_FLIGHT));
      Thread.sleep(2);
    }
    Await.result(flood);
    agent.result(a, "\"flooded\"");
    assertThat(agent.ack(Ack.Of.OF_RESULT, taskId, 60).getOk()).isTrue();
    assertThat(maxSeen).as("reports in flight, sampled").isLessThanOrEqualTo(MAX_IN_FLIGHT);
    assertThat(node.counter(GrpcMetrics.SESSION_PAUSES)).as("the session paused its agent").isGreaterThan(pauses);

    List<TaskEvent> events = Await.result(node.calls.call(TaskServiceGrpcClient.Stream, StreamRequest.newBuilder()
        .setFollow(FollowTask.newBuilder().setTaskId(taskId)).build(), 60_000)).messages();
    List<TaskEvent> content = events.stream().filter(e -> e.getType() == TaskEventType.TASK_EVENT_TYPE_CONTENT)
        .toList();
    assertThat(content).hasSize(chunks);
    for (int i = 0; i < chunks; i++) {
      assertThat(content.get(i).getDataJson()).contains("\"chunk-" + i + " ");
    }
    assertThat(events.get(events.size() - 1).getType()).isEqualTo(TaskEventType.TASK_EVENT_TYPE_SUCCEEDED);
  }

  @Test
  @DisplayName("an agent that does not read is not buffered for without bound: the node stops reading it until it "
      + "reads again, and nothing is lost")
  void slowReaderIsNotBufferedWithoutBound() throws Exception {
    // a connection of its own: HTTP/2 flow control holds back the whole connection of a client that does not read
    io.vertx.grpc.client.GrpcClient own = io.vertx.grpc.client.GrpcClient.client(node.clients);
    try {
      RemoteAgent agent = RemoteAgent.open(node.clients, own, node.grpcAddress);
      assertThat(agent.register(SessionNode.fresh("deaf"), 1, SessionNode.fresh("deaf")).getAck().getOk()).isTrue();
      agent.pauseReading();
      double refusedBefore = node.counter("agentbus.agent.reports.fenced");
      double pauses = node.counter(GrpcMetrics.SESSION_PAUSES);
      int reports = 20_000;
      // each report of an unknown attempt is answered by a refusal the agent does not read
      var flood = agent.flood(reports, i -> AgentMessage.newBuilder().setThought(Thought.newBuilder()
          .setTaskId("tsk_unknown_" + i).setEpoch(1).setStep("s").setDelta("d")).build());
      Await.until("the node stops reading the agent", Duration.ofSeconds(20),
          () -> node.counter(GrpcMetrics.SESSION_PAUSES) > pauses);
      double answered = node.counter("agentbus.agent.reports.fenced") - refusedBefore;
      Thread.sleep(500);
      double answeredLater = node.counter("agentbus.agent.reports.fenced") - refusedBefore;
      System.out.printf("slow reader: the node answered %.0f of %d reports while the agent did not read%n",
          answeredLater, reports);
      assertThat(answeredLater).as("reports taken while the agent does not read").isEqualTo(answered)
          .isLessThan(reports);
      assertThat(agent.writeQueueFull()).as("the agent's own writes are held back").isTrue();
      assertThat(flood.isComplete()).isFalse();
      assertThat(agent.ended()).isFalse();

      agent.resumeReading();
      Await.result(flood);
      Await.until("every report is answered", Duration.ofSeconds(60),
          () -> agent.history().stream().filter(m -> m.hasAck() && !m.getAck().getOk()).count() == reports);
      assertThat(node.counter("agentbus.agent.reports.fenced") - refusedBefore).isEqualTo(reports);
      agent.send(AgentMessage.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build());
      agent.next(m -> m.hasAck() && m.getAck().getOf() == Ack.Of.OF_HEARTBEAT, 10);
      agent.close();
    } finally {
      Await.result(own.close());
    }
    nodeKeepsServing();
  }
}
