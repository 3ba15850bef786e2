package io.agentbus.gateway.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbus.api.Addresses;
import io.agentbus.api.Assignment;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.Json;
import io.agentbus.api.StopSignal;
import io.agentbus.config.Setting;
import io.agentbus.grpc.v1.Ack;
import io.agentbus.grpc.v1.CancelTaskRequest;
import io.agentbus.grpc.v1.FabricMessage;
import io.agentbus.grpc.v1.Stop;
import io.agentbus.grpc.v1.SubmitRequest;
import io.agentbus.grpc.v1.Task;
import io.agentbus.grpc.v1.TaskAssignment;
import io.agentbus.grpc.v1.TaskServiceGrpcClient;
import io.agentbus.grpc.v1.TaskState;
import io.agentbus.grpc.v1.ToolResult;
import io.agentbus.testing.Await;
import io.vertx.grpc.common.GrpcStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Interrupts of remote agents: cancel (HTTP and gRPC), timeouts and client deadlines send a stop down the agent's
 * stream; an acknowledged or overdue stop fences the attempt, so later output and tool calls are refused and
 * counted; a cancel that comes before the agent started is never lost; a task ends exactly once.
 */
class AgentSessionStopTest {

  private static final long STOP_ACK_MS = 800;
  private static final int MAX_EVENTS = 40;
  private static final String FENCED = "agentbus.agent.reports.fenced";
  private static SessionNode node;

  @BeforeAll
  static void start() throws Exception {
    node = SessionNode.start(Map.of(Setting.TASKS_STOP_ACK_TIMEOUT_MS.key(), String.valueOf(STOP_ACK_MS),
        Setting.TASKS_MAX_EVENTS.key(), String.valueOf(MAX_EVENTS)));
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

  private static long lastSeq(String taskId) {
    try {
      return node.task(taskId, 0).get("last_seq").asLong();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static long terminalEvents(String taskId) {
    return node.kafkaTypes(taskId).stream()
        .filter(t -> Set.of("succeeded", "failed", "cancelled", "timed_out").contains(t)).count();
  }

  @Test
  @DisplayName("an HTTP cancel sends the agent a stop with the reason; after its stop_ack every report of the attempt "
      + "is refused attempt-fenced and counted")
  void httpCancelIsAcknowledged() throws Exception {
    String type = SessionNode.fresh("cancel");
    RemoteAgent agent = node.agent(SessionNode.fresh("cancelled"), 1, type);
    String taskId = node.submit(type, "long generation");
    TaskAssignment a = agent.assignment(taskId, 10);
    agent.content(a, "token ", false);
    Await.until("the content is a task event", Duration.ofSeconds(10), () -> lastSeq(taskId) == 4);

    assertThat(node.cancel(taskId, "user pressed stop").statusCode()).isEqualTo(200);
    Stop stop = agent.stop(taskId, 10);
    assertThat(stop.getEpoch()).isEqualTo(a.getEpoch());
    assertThat(stop.getReason()).isEqualTo("user pressed stop");
    assertThat(stop.getAckWithinMs()).isEqualTo(STOP_ACK_MS);
    agent.stopAck(taskId, a.getEpoch());

    double fencedBefore = node.counter(FENCED);
    agent.content(a, "more tokens", false);
    Ack refused = agent.ack(Ack.Of.OF_REPORT, taskId, 10);
    assertThat(refused.getOk()).isFalse();
    assertThat(refused.getProblem().getCode()).isEqualTo("attempt-fenced");
    assertThat(refused.getEpoch()).isEqualTo(a.getEpoch());
    agent.result(a, "\"too late\"");
    Ack lateResult = agent.ack(Ack.Of.OF_RESULT, taskId, 10);
    assertThat(lateResult.getOk()).isFalse();
    assertThat(lateResult.getProblem().getCode()).isEqualTo("attempt-fenced");
    assertThat(node.counter(FENCED) - fencedBefore).isEqualTo(2.0);

    var task = node.task(taskId, 0);
    assertThat(task.get("state").asText()).isEqualTo("CANCELLED");
    assertThat(task.get("error").get("message").asText()).isEqualTo("user pressed stop");
    assertThat(node.sseTypes(taskId)).containsExactly("submitted", "assigned", "running", "content", "cancelled");
    assertThat(node.kafkaTypes(taskId)).containsExactly("submitted", "assigned", "running", "cancelled");
  }

  @Test
  @DisplayName("a gRPC cancel whose stop the agent does not acknowledge fences the attempt after "
      + "tasks.stop-ack-timeout-ms; a later result and tool call are refused and counted")
  void unacknowledgedStopFencesTheAttempt() throws Exception {
    String type = SessionNode.fresh("noack");
    RemoteAgent agent = node.agent(SessionNode.fresh("deaf"), 1, type);
    String taskId = node.submit(type, "x");
    TaskAssignment a = agent.assignment(taskId, 10);
    double unacknowledged = node.counter("agentbus.grpc.agent.stops.unacknowledged");

    Task cancelled = Await.result(node.calls.call(TaskServiceGrpcClient.Cancel, CancelTaskRequest.newBuilder()
        .setTaskId(taskId).setReason("budget exceeded").build(), 10_000)).single();
    assertThat(cancelled.getState()).isEqualTo(TaskState.TASK_STATE_CANCELLED);
    assertThat(agent.stop(taskId, 10).getReason()).isEqualTo("budget exceeded");
    Await.until("the unacknowledged stop is counted", Duration.ofSeconds(10),
        () -> node.counter("agentbus.grpc.agent.stops.unacknowledged") > unacknowledged);

    double fencedBefore = node.counter(FENCED);
    agent.toolCall(a, "late-call", "calculator", "{\"expression\":\"1+1\"}");
    ToolResult tool = agent.toolResult("late-call", 10);
    assertThat(tool.getOk()).isFalse();
    assertThat(tool.getError().getCode()).isEqualTo("attempt-fenced");
    agent.result(a, "\"late\"");
    Ack result = agent.ack(Ack.Of.OF_RESULT, taskId, 10);
    assertThat(result.getOk()).isFalse();
    assertThat(result.getProblem().getCode()).isEqualTo("attempt-fenced");
    agent.stopAck(taskId, a.getEpoch());
    agent.thought(a, "after", "the late ack changes nothing");
    assertThat(agent.ack(Ack.Of.OF_REPORT, taskId, 10).getProblem().getCode()).isEqualTo("attempt-fenced");
    assertThat(node.counter(FENCED) - fencedBefore).isEqualTo(3.0);

    assertThat(node.task(taskId, 0).get("state").asText()).isEqualTo("CANCELLED");
    assertThat(terminalEvents(taskId)).isEqualTo(1);
    assertThat(node.sseTypes(taskId)).doesNotContain("tool_call", "tool_result");
  }

  @Test
  @DisplayName("an agent winding down a stopped task keeps its slot until it acknowledges: the next task waits for it "
      + "and then runs")
  void slotIsHeldUntilTheStopIsAcknowledged() throws Exception {
    String type = SessionNode.fresh("slot");
    RemoteAgent agent = node.agent(SessionNode.fresh("single"), 1, type);
    String first = node.submit(type, 1);
    TaskAssignment a = agent.assignment(first, 10);
    String second = node.submit(type, 2);
    agent.assertNone(FabricMessage::hasAssignment, 300);

    node.cancel(first, "changed my mind");
    agent.stop(first, 10);
    agent.assertNone(FabricMessage::hasAssignment, 300);
    agent.stopAck(first, a.getEpoch());
    TaskAssignment b = agent.assignment(second, 10);
    agent.result(b, "2");
    assertThat(agent.ack(Ack.Of.OF_RESULT, second, 10).getOk()).isTrue();
    assertThat(node.task(second, 0).get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(node.task(second, 0).get("attempt").asInt()).isEqualTo(1);

    // without an acknowledgement the slot comes back when the stop is overdue
    String third = node.submit(type, 3);
    TaskAssignment c = agent.assignment(third, 10);
    String fourth = node.submit(type, 4);
    node.cancel(third, "again");
    agent.stop(third, 10);
    long stoppedAt = System.nanoTime();
    TaskAssignment d = agent.assignment(fourth, 10);
    assertThat((System.nanoTime() - stoppedAt) / 1_000_000).as("the slot came back once the stop was overdue")
        .isGreaterThanOrEqualTo(STOP_ACK_MS / 2);
    assertThat(d.getEpoch()).isEqualTo(1);
    agent.result(d, "4");
    assertThat(agent.ack(Ack.Of.OF_RESULT, fourth, 10).getOk()).isTrue();
    assertThat(c.getTaskId()).isEqualTo(third);
  }

  @Test
  @DisplayName("a cancel of a task still waiting for a free agent ends it CANCELLED; the agent never sees it")
  void cancelOfAQueuedTask() throws Exception {
    String type = SessionNode.fresh("queued");
    RemoteAgent agent = node.agent(SessionNode.fresh("busy"), 1, type);
    String running = node.submit(type, "first");
    TaskAssignment a = agent.assignment(running, 10);
    String waiting = node.submit(type, "second");
    assertThat(node.task(waiting, 0).get("state").asText()).isEqualTo("SUBMITTED");

    assertThat(node.cancel(waiting, "not needed").statusCode()).isEqualTo(200);
    assertThat(node.task(waiting, 0).get("state").asText()).isEqualTo("CANCELLED");
    agent.result(a, "1");
    agent.ack(Ack.Of.OF_RESULT, running, 10);
    agent.assertNone(m -> m.hasAssignment() || m.hasStop(), 1000);
    assertThat(node.kafkaTypes(waiting)).containsExactly("submitted", "cancelled");
  }

  @Test
  @DisplayName("cancels that race the dispatch are never lost: every task ends CANCELLED, and each assignment that "
      + "reached the agent is followed by its stop")
  void cancelsRacingTheDispatch() throws Exception {
    String type = SessionNode.fresh("race");
    RemoteAgent agent = node.agent(SessionNode.fresh("racer"), 3, type);
    List<String> ids = new ArrayList<>();
    List<io.vertx.core.Future<?>> cancels = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String id = node.submit(type, i);
      ids.add(id);
      cancels.add(node.http.post("/v1/tasks/" + id + "/cancel").send());
    }
    Await.result(io.vertx.core.Future.all(cancels));
    for (String id : ids) {
      assertThat(node.task(id, 0).get("state").asText()).as(id).isEqualTo("CANCELLED");
    }
    // the agent acts only now: every assignment it got has a stop behind it
    Map<String, Integer> assigned = new HashMap<>();
    Await.until("a stop follows every assignment", Duration.ofSeconds(10), () -> {
      List<FabricMessage> seen = agent.history();
      return seen.stream().filter(FabricMessage::hasStop).count() == seen.stream()
          .filter(FabricMessage::hasAssignment).count();
    });
    long assignments = agent.history().stream().filter(FabricMessage::hasAssignment).count();
    for (int i = 0; i < assignments; i++) {
      TaskAssignment a = agent.assignment(1);
      assigned.put(a.getTaskId(), a.getEpoch());
    }
    assertThat(assigned).isNotEmpty();
    assertThat(assigned.size()).isLessThanOrEqualTo(3);
    for (Map.Entry<String, Integer> e : assigned.entrySet()) {
      Stop stop = agent.stop(e.getKey(), 10);
      assertThat(stop.getEpoch()).isEqualTo(e.getValue());
      agent.stopAck(e.getKey(), e.getValue());
    }
    agent.assertNone(FabricMessage::hasAssignment, 1000);
    for (String id : ids) {
      assertThat(terminalEvents(id)).as(id).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("a stop that overtakes its assignment is remembered: the assignment is refused attempt-fenced and never "
      + "reaches the agent")
  void stopBeforeAssignment() throws Exception {
    String id = SessionNode.fresh("overtaken");
    String type = SessionNode.fresh("overtaken-type");
    RemoteAgent agent = node.agent(id, 1, type);
    var bus = node.node.node().vertx().eventBus();
    String inbox = Addresses.agentInbox(id);
    Await.result(bus.request(inbox, new StopSignal("tsk_overtaken", 1, "cancelled early")));
    Assignment assignment = new Assignment("tsk_overtaken", 1, type, Json.object(), Map.of(),
        System.currentTimeMillis() + 10_000, "agentbus.nowhere", null);
    assertThat(Await.failure(bus.request(inbox, assignment))).isEqualTo(ErrorCode.ATTEMPT_FENCED);
    agent.assertNone(m -> m.hasAssignment() || m.hasStop(), 500);
  }

  @Test
  @DisplayName("a policy stop: an agent past tasks.max-events is stopped with 'too many events' and its task FAILS "
      + "too-many-events")
  void policyStop() throws Exception {
    String type = SessionNode.fresh("chatty");
    RemoteAgent agent = node.agent(SessionNode.fresh("chatty"), 1, type);
    String taskId = node.submit(type, "x");
    TaskAssignment a = agent.assignment(taskId, 10);
    for (int i = 0; i < MAX_EVENTS + 5; i++) {
      agent.content(a, "chunk " + i, false);
    }
    Stop stop = agent.stop(taskId, 10);
    assertThat(stop.getReason()).isEqualTo("too many events");
    agent.stopAck(taskId, a.getEpoch());
    var task = node.ended(taskId);
    assertThat(task.get("state").asText()).isEqualTo("FAILED");
    assertThat(task.get("error").get("code").asText()).isEqualTo("too-many-events");
    Ack refused = agent.ack(Ack.Of.OF_REPORT, taskId, 10);
    assertThat(refused.getProblem().getCode()).isIn("too-many-events", "attempt-fenced");
    assertThat(terminalEvents(taskId)).isEqualTo(1);
  }

  @Test
  @DisplayName("a task that times out sends the agent a stop 'timed out' and ends TIMED_OUT once")
  void timeoutStopsTheAgent() throws Exception {
    String type = SessionNode.fresh("slow");
    RemoteAgent agent = node.agent(SessionNode.fresh("slowpoke"), 1, type);
    String taskId = node.submit(type, "x", 1000);
    TaskAssignment a = agent.assignment(taskId, 10);
    Stop stop = agent.stop(taskId, 10);
    assertThat(stop.getReason()).isEqualTo("timed out");
    agent.stopAck(taskId, a.getEpoch());
    var task = node.ended(taskId);
    assertThat(task.get("state").asText()).isEqualTo("TIMED_OUT");
    assertThat(task.get("error").get("code").asText()).isEqualTo("task-timed-out");
    assertThat(node.kafkaTypes(taskId)).containsExactly("submitted", "assigned", "running", "timed_out");
  }

  @Test
  @DisplayName("a gRPC Run with a 200 ms deadline ends DEADLINE_EXCEEDED and the remote agent gets the stop")
  void runDeadlineReachesTheAgent() throws Exception {
    String type = SessionNode.fresh("deadline");
    RemoteAgent agent = node.agent(SessionNode.fresh("deadline"), 1, type);
    long start = System.nanoTime();
    var run = node.calls.call(TaskServiceGrpcClient.Run, SubmitRequest.newBuilder().setAgentType(type).build(), 200);
    TaskAssignment a = agent.assignment(10);
    Stop stop = agent.stop(a.getTaskId(), 10);
    long stopAfterDeadlineMs = (System.nanoTime() - start) / 1_000_000 - 200;
    System.out.printf("deadline test: the stop reached the agent %d ms after the 200 ms client deadline%n",
        stopAfterDeadlineMs);
    assertThat(stop.getReason()).startsWith("client deadline exceeded");
    assertThat(stop.getEpoch()).isEqualTo(a.getEpoch());
    agent.stopAck(a.getTaskId(), a.getEpoch());
    GrpcCalls.Outcome<Task> out = Await.result(run);
    assertThat(out.status()).isEqualTo(GrpcStatus.DEADLINE_EXCEEDED);
    assertThat(stopAfterDeadlineMs).as("ms from the deadline to the stop (a generous bound)").isLessThan(5_000);
    assertThat(node.ended(a.getTaskId()).get("state").asText()).isEqualTo("CANCELLED");
    assertThat(terminalEvents(a.getTaskId())).isEqualTo(1);
  }

  @Test
  @DisplayName("a client that cancels its Run stops the remote agent's attempt")
  void clientCancelReachesTheAgent() throws Exception {
    String type = SessionNode.fresh("clientcancel");
    RemoteAgent agent = node.agent(SessionNode.fresh("clientcancel"), 1, type);
    var request = Await.result(node.grpc.request(node.grpcAddress, TaskServiceGrpcClient.Run));
    request.end(SubmitRequest.newBuilder().setAgentType(type).build());
    TaskAssignment a = agent.assignment(10);
    request.cancel();
    assertThat(agent.stop(a.getTaskId(), 10).getReason()).isEqualTo("client cancelled the call");
    agent.stopAck(a.getTaskId(), a.getEpoch());
    assertThat(node.ended(a.getTaskId()).get("state").asText()).isEqualTo("CANCELLED");
  }

  @Test
  @DisplayName("a result racing a cancel: the task ends exactly once, SUCCEEDED or CANCELLED, and the result's ack "
      + "says which")
  void resultRacingCancel() throws Exception {
    String type = SessionNode.fresh("photo");
    RemoteAgent agent = node.agent(SessionNode.fresh("photo"), 4, type);
    for (int i = 0; i < 10; i++) {
      String taskId = node.submit(type, i);
      TaskAssignment a = agent.assignment(taskId, 10);
      var cancel = node.http.post("/v1/tasks/" + taskId + "/cancel").send();
      agent.result(a, String.valueOf(i));
      Ack ack = agent.ack(Ack.Of.OF_RESULT, taskId, 10);
      Await.result(cancel);
      String state = node.ended(taskId).get("state").asText();
      if (ack.getOk()) {
        assertThat(state).isEqualTo("SUCCEEDED");
      } else {
        // the cancel came first: the result is refused, which tells the agent the attempt is over
        assertThat(ack.getProblem().getCode()).isEqualTo("attempt-fenced");
        assertThat(state).isEqualTo("CANCELLED");
      }
      assertThat(terminalEvents(taskId)).as(taskId).isEqualTo(1);
    }
  }
}
