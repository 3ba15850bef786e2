package io.agentbus.gateway.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbus.api.Json;
import io.agentbus.config.Setting;
import io.agentbus.grpc.v1.Ack;
import io.agentbus.grpc.v1.FabricMessage;
import io.agentbus.grpc.v1.FollowTask;
import io.agentbus.grpc.v1.StreamRequest;
import io.agentbus.grpc.v1.SubmitRequest;
import io.agentbus.grpc.v1.Task;
import io.agentbus.grpc.v1.TaskAssignment;
import io.agentbus.grpc.v1.TaskEvent;
import io.agentbus.grpc.v1.TaskEventType;
import io.agentbus.grpc.v1.TaskServiceGrpcClient;
import io.agentbus.grpc.v1.TaskState;
import io.agentbus.grpc.v1.ToolResult;
import io.agentbus.testing.Await;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Remote agents over AgentSession.Connect against a real node: they register into the registry, are routed tasks
 * submitted over HTTP and gRPC like built-in agents, stream what they do into the task's events, end tasks with a
 * result or an error, are never given more than their capacity, and call tools through the tool-executor.
 */
class AgentSessionTest {

  private static SessionNode node;

  @BeforeAll
  static void start() throws Exception {
    node = SessionNode.start(Map.of(Setting.GRPC_MAX_MESSAGE_BYTES.key(), "65536"));
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

  @Test
  @DisplayName("register is acknowledged with a lease and puts the agent, with its types, capacity and labels, in the "
      + "registry")
  void register() throws Exception {
    String id = SessionNode.fresh("reg");
    String type = SessionNode.fresh("reg-type");
    RemoteAgent agent = node.connect();
    Ack ack = agent.register(RemoteAgent.registration(id, 3, Map.of("lang", "python"), type, type + "-b").build())
        .getAck();
    assertThat(ack.getOk()).isTrue();
    assertThat(ack.getLease().getAgentId()).isEqualTo(id);
    assertThat(ack.getLease().getNodeId()).isEqualTo(node.node.node().nodeId());
    assertThat(ack.getLease().getHeartbeatIntervalMs()).isPositive();
    assertThat(ack.getLease().getHeartbeatIntervalMs()).isLessThan(ack.getLease().getSuspectAfterMs());
    assertThat(ack.getLease().getSuspectAfterMs()).isLessThanOrEqualTo(ack.getLease().getExpireAfterMs());
    assertThat(ack.getLease().getMaxMessageBytes()).isEqualTo(65536);

    JsonNode listed = node.listedAgent(id);
    assertThat(listed).as("GET /v1/agents lists " + id).isNotNull();
    assertThat(listed.get("types")).extracting(JsonNode::asText).containsExactlyInAnyOrder(type, type + "-b");
    assertThat(listed.get("capacity").asInt()).isEqualTo(3);
    assertThat(listed.get("labels").get("lang").asText()).isEqualTo("python");
    assertThat(listed.get("node_id").asText()).isEqualTo(node.node.node().nodeId());
    assertThat(listed.get("suspect").asBoolean()).isFalse();
  }

  @Test
  @DisplayName("a task submitted over HTTP reaches the agent; its thoughts, content and progress are the task's events "
      + "in order; its result ends it SUCCEEDED")
  void httpTaskStreamsAndSucceeds() throws Exception {
    String type = SessionNode.fresh("stream");
    String id = SessionNode.fresh("streamer");
    RemoteAgent agent = node.agent(id, 2, type);
    String taskId = node.submit(type, Map.of("question", "why"), 30_000);

    TaskAssignment a = agent.assignment(taskId, 10);
    assertThat(a.getAgentType()).isEqualTo(type);
    assertThat(Json.MAPPER.readTree(a.getInputJson()).get("question").asText()).isEqualTo("why");
    assertThat(a.getEpoch()).isPositive();
    assertThat(a.getDeadlineEpochMs()).isGreaterThan(System.currentTimeMillis());

    agent.thought(a, "plan", "first I think");
    agent.content(a, "Because ", false);
    agent.content(a, "it is.", true);
    agent.progress(a, "answering", 50, "half way");
    agent.result(a, "{\"answer\":\"because\"}");
    Ack ack = agent.ack(Ack.Of.OF_RESULT, taskId, 10);
    assertThat(ack.getOk()).isTrue();
    assertThat(ack.getEpoch()).isEqualTo(a.getEpoch());

    JsonNode task = node.task(taskId, 0);
    assertThat(task.get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(task.get("result").get("answer").asText()).isEqualTo("because");
    assertThat(task.get("agent_id").asText()).isEqualTo(id);

    List<JsonNode> events = node.sse(taskId);
    assertThat(events).extracting(e -> e.get("type").asText()).containsExactly("submitted", "assigned", "running",
        "thought", "content", "content", "progress", "succeeded");
    assertThat(events).extracting(e -> e.get("seq").asLong()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    assertThat(events.get(3).get("data").get("step").asText()).isEqualTo("plan");
    assertThat(events.get(3).get("data").get("delta").asText()).isEqualTo("first I think");
    assertThat(events.get(4).get("data").get("text").asText()).isEqualTo("Because ");
    assertThat(events.get(5).get("data").get("final").asBoolean()).isTrue();
    assertThat(events.get(6).get("data").get("percent").asInt()).isEqualTo(50);
    assertThat(events.get(6).get("data").get("stage").asText()).isEqualTo("answering");
    assertThat(node.kafkaTypes(taskId)).containsExactly("submitted", "assigned", "running", "succeeded");
  }

  @Test
  @DisplayName("a gRPC Run is routed to the remote agent and answers with its result; Stream follows its events in "
      + "order")
  void grpcRunReachesTheAgent() throws Exception {
    String type = SessionNode.fresh("run");
    RemoteAgent agent = node.agent(SessionNode.fresh("runner"), 1, type);
    var run = node.calls.call(TaskServiceGrpcClient.Run, SubmitRequest.newBuilder().setAgentType(type)
        .setInputJson("[1,2]").build(), 30_000);
    TaskAssignment a = agent.assignment(10);
    assertThat(a.getInputJson()).isEqualTo("[1,2]");
    agent.content(a, "three", true);
    agent.thought(a, "check", "1+2=3");
    agent.result(a, "3");
    Task task = Await.result(run).single();
    assertThat(task.getState()).isEqualTo(TaskState.TASK_STATE_SUCCEEDED);
    assertThat(task.getResultJson()).isEqualTo("3");
    assertThat(task.getId()).isEqualTo(a.getTaskId());

    List<TaskEvent> events = Await.result(node.calls.call(TaskServiceGrpcClient.Stream, StreamRequest.newBuilder()
        .setFollow(FollowTask.newBuilder().setTaskId(a.getTaskId())).build(), 10_000)).messages();
    assertThat(events).extracting(TaskEvent::getType).containsExactly(TaskEventType.TASK_EVENT_TYPE_SUBMITTED,
        TaskEventType.TASK_EVENT_TYPE_ASSIGNED, TaskEventType.TASK_EVENT_TYPE_RUNNING,
        TaskEventType.TASK_EVENT_TYPE_CONTENT, TaskEventType.TASK_EVENT_TYPE_THOUGHT,
        TaskEventType.TASK_EVENT_TYPE_SUCCEEDED);
  }

  @Test
  @DisplayName("routing treats a remote agent like the built-in ones: tasks of a type both serve are spread over both")
  void remoteAndBuiltinAgentsShareAType() throws Exception {
    String id = SessionNode.fresh("remote-echo");
    RemoteAgent agent = node.agent(id, 2, "echo");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ids.add(node.submit("echo", Map.of("delay_ms", 1500, "n", i)));
    }
    TaskAssignment a = agent.assignment(10);
    assertThat(ids).contains(a.getTaskId());
    agent.result(a, a.getInputJson());
    assertThat(agent.ack(Ack.Of.OF_RESULT, a.getTaskId(), 10).getOk()).isTrue();
    agent.end();
    assertThat(agent.endStatus(10)).isEqualTo(io.vertx.grpc.common.GrpcStatus.OK);
    List<String> doneBy = new ArrayList<>();
    for (String taskId : ids) {
      JsonNode task = node.ended(taskId);
      assertThat(task.get("state").asText()).as(taskId).isEqualTo("SUCCEEDED");
      doneBy.add(task.get("agent_id").asText());
    }
    assertThat(doneBy).contains(id);
    assertThat(doneBy).anyMatch(agentId -> agentId.startsWith("echo-"));
  }

  @Test
  @DisplayName("an error ends the task FAILED with the agent's code and message (an empty code becomes agent-error)")
  void errorFailsTheTask() throws Exception {
    String type = SessionNode.fresh("err");
    RemoteAgent agent = node.agent(SessionNode.fresh("failer"), 2, type);
    String first = node.submit(type, "a");
    TaskAssignment a = agent.assignment(first, 10);
    agent.error(a, "model-refused", "the model would not answer");
    Ack ack = agent.ack(Ack.Of.OF_ERROR, first, 10);
    assertThat(ack.getOk()).isTrue();
    JsonNode failed = node.task(first, 0);
    assertThat(failed.get("state").asText()).isEqualTo("FAILED");
    assertThat(failed.get("error").get("code").asText()).isEqualTo("model-refused");
    assertThat(failed.get("error").get("message").asText()).isEqualTo("the model would not answer");
    assertThat(node.kafkaTypes(first)).containsExactly("submitted", "assigned", "running", "failed");

    String second = node.submit(type, "b");
    TaskAssignment b = agent.assignment(second, 10);
    agent.error(b, "", "no code");
    agent.ack(Ack.Of.OF_ERROR, second, 10);
    assertThat(node.task(second, 0).get("error").get("code").asText()).isEqualTo("agent-error");
  }

  @Test
  @DisplayName("an agent of capacity 2 never holds more than 2 assignments; each result lets the next waiting task in")
  void capacityIsRespected() throws Exception {
    String type = SessionNode.fresh("cap");
    RemoteAgent agent = node.agent(SessionNode.fresh("capped"), 2, type);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ids.add(node.submit(type, i));
    }
    List<TaskAssignment> held = new ArrayList<>();
    held.add(agent.assignment(10));
    held.add(agent.assignment(10));
    int done = 0;
    while (done < ids.size()) {
      agent.assertNone(FabricMessage::hasAssignment, 300);
      TaskAssignment finished = held.remove(0);
      agent.result(finished, "\"ok\"");
      agent.ack(Ack.Of.OF_RESULT, finished.getTaskId(), 10);
      done++;
      if (done + held.size() < ids.size()) {
        held.add(agent.assignment(10));
      }
      assertThat(held.size()).isLessThanOrEqualTo(2);
    }
    for (String id : ids) {
      assertThat(node.task(id, 0).get("state").asText()).isEqualTo("SUCCEEDED");
    }
    JsonNode listed = node.listedAgent(agent.history().get(0).getAck().getLease().getAgentId());
    assertThat(listed.get("capacity").asInt()).isEqualTo(2);
  }

  @Test
  @DisplayName("a tool call runs in the tool-executor and its result comes back on the stream with the call id; both "
      + "are task events")
  void toolCall() throws Exception {
    String type = SessionNode.fresh("tool");
    RemoteAgent agent = node.agent(SessionNode.fresh("tooler"), 1, type);
    String taskId = node.submit(type, "compute");
    TaskAssignment a = agent.assignment(taskId, 10);
    agent.toolCall(a, "call-1", "calculator", "{\"expression\":\"6*7\"}");
    ToolResult r = agent.toolResult("call-1", 10);
    assertThat(r.getOk()).isTrue();
    assertThat(r.getTaskId()).isEqualTo(taskId);
    assertThat(r.getEpoch()).isEqualTo(a.getEpoch());
    assertThat(r.getTool()).isEqualTo("calculator");
    assertThat(Json.MAPPER.readTree(r.getResultJson()).get("value").asDouble()).isEqualTo(42.0);
    agent.result(a, r.getResultJson());
    agent.ack(Ack.Of.OF_RESULT, taskId, 10);

    List<JsonNode> events = node.sse(taskId);
    assertThat(events).extracting(e -> e.get("type").asText()).containsExactly("submitted", "assigned", "running",
        "tool_call", "tool_result", "succeeded");
    assertThat(events.get(3).get("data").get("call_id").asText()).isEqualTo("call-1");
    assertThat(events.get(3).get("data").get("arguments").get("expression").asText()).isEqualTo("6*7");
    assertThat(events.get(4).get("data").get("ok").asBoolean()).isTrue();
  }

  @Test
  @DisplayName("invalid tool arguments, malformed arguments JSON and an unknown tool each get a failed tool_result "
      + "with a typed error")
  void toolCallErrors() throws Exception {
    String type = SessionNode.fresh("toolerr");
    RemoteAgent agent = node.agent(SessionNode.fresh("toolerr"), 1, type);
    String taskId = node.submit(type, "compute");
    TaskAssignment a = agent.assignment(taskId, 10);
    double executed = calculatorRuns();
    double refused = calculatorCalls("invalid_arguments");

    agent.toolCall(a, "bad-args", "calculator", "{\"expr\":1}");
    ToolResult bad = agent.toolResult("bad-args", 10);
    assertThat(bad.getOk()).isFalse();
    assertThat(bad.getError().getCode()).isEqualTo("invalid-tool-arguments");
    assertThat(bad.getError().getMessage()).isNotEmpty();

    agent.toolCall(a, "malformed", "calculator", "{\"expression\": ");
    ToolResult malformed = agent.toolResult("malformed", 10);
    assertThat(malformed.getOk()).isFalse();
    assertThat(malformed.getError().getCode()).isEqualTo("malformed-json");

    agent.toolCall(a, "unknown", "teleport", "{}");
    ToolResult unknown = agent.toolResult("unknown", 10);
    assertThat(unknown.getOk()).isFalse();
    assertThat(unknown.getError().getCode()).isEqualTo("unknown-tool");
    assertThat(calculatorRuns()).as("the calculator never ran").isEqualTo(executed);
    assertThat(calculatorCalls("invalid_arguments") - refused).as("refused for its arguments").isEqualTo(1.0);

    agent.result(a, "null");
    assertThat(agent.ack(Ack.Of.OF_RESULT, taskId, 10).getOk()).isTrue();
  }

  @Test
  @DisplayName("a tool call repeated with the same call id in the same attempt runs once; both get the same result")
  void duplicateToolCallRunsOnce() throws Exception {
    String type = SessionNode.fresh("dup");
    RemoteAgent agent = node.agent(SessionNode.fresh("dup"), 1, type);
    String taskId = node.submit(type, "compute");
    TaskAssignment a = agent.assignment(taskId, 10);
    double before = calculatorRuns();
    agent.toolCall(a, "same", "calculator", "{\"expression\":\"2^10\"}");
    agent.toolCall(a, "same", "calculator", "{\"expression\":\"2^10\"}");
    ToolResult first = agent.toolResult("same", 10);
    ToolResult second = agent.toolResult("same", 10);
    assertThat(first.getOk()).isTrue();
    assertThat(second.getOk()).isTrue();
    assertThat(second.getResultJson()).isEqualTo(first.getResultJson());
    assertThat(Json.MAPPER.readTree(first.getResultJson()).get("value").asDouble()).isEqualTo(1024.0);

    agent.toolCall(a, "same", "calculator", "{\"expression\":\"2^10\"}");
    assertThat(agent.toolResult("same", 10).getResultJson()).isEqualTo(first.getResultJson());
    assertThat(calculatorRuns() - before).as("calculator executions").isEqualTo(1.0);

    agent.toolCall(a, "same", "calculator", "{\"expression\":\"1+1\"}");
    ToolResult reused = agent.toolResult("same", 10);
    assertThat(reused.getOk()).isFalse();
    assertThat(reused.getError().getCode()).isEqualTo("invalid-request");
    assertThat(calculatorRuns() - before).isEqualTo(1.0);

    agent.result(a, "1024");
    agent.ack(Ack.Of.OF_RESULT, taskId, 10);
    assertThat(node.sseTypes(taskId).stream().filter("tool_call"::equals).count()).isEqualTo(1);
  }

  /** Times the calculator ran. */
  private static double calculatorRuns() {
    return calculatorCalls("ok");
  }

  private static double calculatorCalls(String outcome) {
    return node.node.node().context().registry().find("agentbus.tool.calls").tag("tool", "calculator")
        .tag("outcome", outcome).counters().stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
  }
}
