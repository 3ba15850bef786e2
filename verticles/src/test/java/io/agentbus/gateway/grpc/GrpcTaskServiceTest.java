package io.agentbus.gateway.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbus.agents.AgentTask;
import io.agentbus.api.Json;
import io.agentbus.config.Setting;
import io.agentbus.grpc.v1.CancelTaskRequest;
import io.agentbus.grpc.v1.FollowTask;
import io.agentbus.grpc.v1.GetTaskRequest;
import io.agentbus.grpc.v1.RunBatchRequest;
import io.agentbus.grpc.v1.RunBatchResponse;
import io.agentbus.grpc.v1.StreamRequest;
import io.agentbus.grpc.v1.SubmitRequest;
import io.agentbus.grpc.v1.Task;
import io.agentbus.grpc.v1.TaskEvent;
import io.agentbus.grpc.v1.TaskEventType;
import io.agentbus.grpc.v1.TaskServiceGrpcClient;
import io.agentbus.grpc.v1.TaskState;
import io.agentbus.testing.Await;
import io.agentbus.testing.ManualAgent;
import io.agentbus.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** TaskService over gRPC against a real node: every RPC, its errors, deadlines, client cancels and slow readers. */
class GrpcTaskServiceTest {

  private static final int MAX_MESSAGE = 64 * 1024;
  private static final int STREAM_BUFFER = 64;
  private static final AtomicInteger IDS = new AtomicInteger();
  private static TestNode node;
  private static Vertx vertx;
  /** The clients' own Vert.x: their work (connecting, decoding) never runs on the node's event loops. */
  private static Vertx clients;
  private static GrpcClient client;
  private static GrpcCalls calls;

  @BeforeAll
  static void startNode() throws Exception {
    node = TestNode.start(Map.of(Setting.GRPC_MAX_MESSAGE_BYTES.key(), String.valueOf(MAX_MESSAGE),
        Setting.GRPC_STREAM_BUFFER_EVENTS.key(), String.valueOf(STREAM_BUFFER)));
    vertx = node.node().vertx();
    clients = Vertx.vertx(io.agentbus.testing.BlockedEventLoopGuard.options().setEventLoopPoolSize(2));
    client = GrpcClient.client(clients);
    calls = new GrpcCalls(client, SocketAddress.inetSocketAddress(node.node().context().lifecycle().grpcPort(),
        "127.0.0.1"));
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (client != null) {
      Await.result(client.close());
      Await.result(clients.close());
    }
    if (node != null) {
      node.close();
    }
  }

  @AfterEach
  void noBlockedEventLoop() {
    node.assertNoBlockedEventLoop();
  }

  private static SubmitRequest echo(Object input) {
    return SubmitRequest.newBuilder().setAgentType("echo").setInputJson(Json.toString(input)).build();
  }

  private static GrpcCalls.Outcome<Task> run(SubmitRequest request, long timeoutMs) throws Exception {
    return Await.result(calls.call(TaskServiceGrpcClient.Run, request, timeoutMs));
  }

  private static Task get(String id, long waitMs) throws Exception {
    return Await.result(calls.call(TaskServiceGrpcClient.Get,
        GetTaskRequest.newBuilder().setTaskId(id).setWaitMs(waitMs).build(), 0)).single();
  }

  private ManualAgent manualAgent(String type) throws Exception {
    ManualAgent agent = new ManualAgent(type + "-agent", type, 8, node.node().nodeId());
    Await.result(vertx.deployVerticle(agent));
    return agent;
  }

  private static String freshType() {
    return "grpc-manual-" + IDS.incrementAndGet();
  }

  @Test
  @DisplayName("Run waits for the echo task and answers it SUCCEEDED with its input as result")
  void runEcho() throws Exception {
    Task task = run(echo(Map.of("hello", "grpc")), 10_000).single();
    assertThat(task.getState()).isEqualTo(TaskState.TASK_STATE_SUCCEEDED);
    assertThat(Json.MAPPER.readTree(task.getResultJson()).get("hello").asText()).isEqualTo("grpc");
    assertThat(task.getAgentType()).isEqualTo("echo");
    assertThat(task.getLastSeq()).isEqualTo(7);
    assertThat(task.getCreatedAt().getSeconds()).isPositive();
  }

  @Test
  @DisplayName("Run of a saga whose second step fails answers COMPENSATED with the compensation summary")
  void runCompensatedSaga() throws Exception {
    String plan = """
        {"steps": [
          {"name": "reserve", "tool": "noop", "arguments": {"value": "seat 12A"},
           "compensate": {"tool": "noop", "arguments": {"value": "release seat 12A"}}},
          {"name": "charge", "tool": "calculator", "arguments": {"expression": "1/0"}}
        ]}""";
    Task task = run(SubmitRequest.newBuilder().setAgentType("saga").setInputJson(plan).build(), 20_000).single();

    assertThat(task.getState()).isEqualTo(TaskState.TASK_STATE_COMPENSATED);
    JsonNode result = Json.MAPPER.readTree(task.getResultJson());
    assertThat(result.get("failed_step").asInt()).isEqualTo(2);
    assertThat(result.get("step_name").asText()).isEqualTo("charge");
    assertThat(result.get("compensated").toString()).isEqualTo("[1]");
  }

  @Test
  @DisplayName("Submit answers at once; Get waits for the end; Stream follows every event from seq 1 to the terminal")
  void submitGetStream() throws Exception {
    Task submitted = Await.result(calls.call(TaskServiceGrpcClient.Submit,
        echo(Map.of("n", 1)).toBuilder().putMetadata("team", "a").build(), 0)).single();
    assertThat(submitted.getId()).isNotEmpty();
    assertThat(submitted.getMetadataMap()).containsEntry("team", "a");
    Task done = get(submitted.getId(), 10_000);
    assertThat(done.getState()).isEqualTo(TaskState.TASK_STATE_SUCCEEDED);

    List<TaskEvent> events = Await.result(calls.call(TaskServiceGrpcClient.Stream, StreamRequest.newBuilder()
        .setFollow(FollowTask.newBuilder().setTaskId(submitted.getId())).build(), 10_000)).messages();
    assertThat(events).extracting(TaskEvent::getType).containsExactly(TaskEventType.TASK_EVENT_TYPE_SUBMITTED,
        TaskEventType.TASK_EVENT_TYPE_ASSIGNED, TaskEventType.TASK_EVENT_TYPE_RUNNING,
        TaskEventType.TASK_EVENT_TYPE_PROGRESS, TaskEventType.TASK_EVENT_TYPE_PROGRESS,
        TaskEventType.TASK_EVENT_TYPE_PROGRESS, TaskEventType.TASK_EVENT_TYPE_SUCCEEDED);
    assertThat(events).extracting(TaskEvent::getSeq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);

    List<TaskEvent> resumed = Await.result(calls.call(TaskServiceGrpcClient.Stream, StreamRequest.newBuilder()
        .setFollow(FollowTask.newBuilder().setTaskId(submitted.getId()).setAfterSeq(5)).build(), 10_000)).messages();
    assertThat(resumed).extracting(TaskEvent::getSeq).containsExactly(6L, 7L);
  }

  @Test
  @DisplayName("Stream with a submit runs a new task and streams it to its end")
  void streamSubmit() throws Exception {
    GrpcCalls.Outcome<TaskEvent> out = Await.result(calls.call(TaskServiceGrpcClient.Stream,
        StreamRequest.newBuilder().setSubmit(echo("streamed")).build(), 10_000));
    assertThat(out.status()).isEqualTo(GrpcStatus.OK);
    assertThat(out.messages().get(0).getType()).isEqualTo(TaskEventType.TASK_EVENT_TYPE_SUBMITTED);
    TaskEvent last = out.messages().get(out.messages().size() - 1);
    assertThat(last.getType()).isEqualTo(TaskEventType.TASK_EVENT_TYPE_SUCCEEDED);
    assertThat(Json.MAPPER.readTree(last.getDataJson()).get("result").asText()).isEqualTo("streamed");
  }

  @Test
  @DisplayName("Cancel stops a running task; a second Cancel is FAILED_PRECONDITION task-already-terminal")
  void cancel() throws Exception {
    String type = freshType();
    ManualAgent agent = manualAgent(type);
    Task submitted = Await.result(calls.call(TaskServiceGrpcClient.Submit,
        SubmitRequest.newBuilder().setAgentType(type).build(), 0)).single();
    AgentTask task = agent.next(5);
    Task cancelled = Await.result(calls.call(TaskServiceGrpcClient.Cancel, CancelTaskRequest.newBuilder()
        .setTaskId(submitted.getId()).setReason("not needed").build(), 0)).single();
    assertThat(cancelled.getState()).isEqualTo(TaskState.TASK_STATE_CANCELLED);
    assertThat(cancelled.getError().getMessage()).isEqualTo("not needed");
    Await.until("the agent sees the stop", Duration.ofSeconds(5), task::stopped);

    GrpcCalls.Outcome<Task> again = Await.result(calls.call(TaskServiceGrpcClient.Cancel,
        CancelTaskRequest.newBuilder().setTaskId(submitted.getId()).build(), 0));
    assertThat(again.status()).isEqualTo(GrpcStatus.FAILED_PRECONDITION);
    assertThat(again.reason()).isEqualTo("task-already-terminal");
  }

  @Test
  @DisplayName("bad input is INVALID_ARGUMENT with a BadRequest naming each field; malformed JSON too")
  void invalidInput() throws Exception {
    GrpcCalls.Outcome<Task> out = run(SubmitRequest.newBuilder().setAgentType("no spaces allowed")
        .putMetadata("", "empty key").build(), 5_000);
    assertThat(out.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(out.reason()).isEqualTo("invalid-request");
    assertThat(out.badFields()).contains("agent_type", "metadata.");

    GrpcCalls.Outcome<Task> malformed = run(SubmitRequest.newBuilder().setAgentType("echo")
        .setInputJson("{\"open\": ").build(), 5_000);
    assertThat(malformed.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(malformed.reason()).isEqualTo("malformed-json");

    GrpcCalls.Outcome<Task> deep = run(SubmitRequest.newBuilder().setAgentType("echo")
        .setInputJson("[".repeat(100) + "]".repeat(100)).build(), 5_000);
    assertThat(deep.reason()).isEqualTo("json-too-deep");
  }

  @Test
  @DisplayName("an unknown agent type is FAILED_PRECONDITION, an unknown task NOT_FOUND, with ErrorInfo reasons")
  void unknownTypeAndTask() throws Exception {
    GrpcCalls.Outcome<Task> out = run(SubmitRequest.newBuilder().setAgentType("translator").build(), 5_000);
    assertThat(out.status()).isEqualTo(GrpcStatus.FAILED_PRECONDITION);
    assertThat(out.reason()).isEqualTo("unknown-agent-type");
    assertThat(out.message()).contains("translator");

    GrpcCalls.Outcome<Task> missing = Await.result(calls.call(TaskServiceGrpcClient.Get,
        GetTaskRequest.newBuilder().setTaskId("tsk_nope").build(), 0));
    assertThat(missing.status()).isEqualTo(GrpcStatus.NOT_FOUND);
    assertThat(missing.reason()).isEqualTo("task-not-found");
    GrpcCalls.Outcome<TaskEvent> stream = Await.result(calls.call(TaskServiceGrpcClient.Stream, StreamRequest
        .newBuilder().setFollow(FollowTask.newBuilder().setTaskId("tsk_nope")).build(), 5_000));
    assertThat(stream.status()).isEqualTo(GrpcStatus.NOT_FOUND);
  }

  @Test
  @DisplayName("a message over grpc.max-message-bytes is RESOURCE_EXHAUSTED and the node keeps serving")
  void sizeLimit() throws Exception {
    GrpcCalls.Outcome<Task> out = run(echo("x".repeat(MAX_MESSAGE + 10)), 5_000);
    assertThat(out.status()).isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
    assertThat(out.reason()).isEqualTo("body-too-large");
    assertThat(run(echo("small"), 10_000).single().getState()).isEqualTo(TaskState.TASK_STATE_SUCCEEDED);
  }

  @Test
  @DisplayName("a Run with a 200 ms deadline ends DEADLINE_EXCEEDED, its agent sees the stop, the task is CANCELLED")
  void deadline() throws Exception {
    String type = freshType();
    ManualAgent agent = manualAgent(type);
    long start = System.nanoTime();
    GrpcCalls.Outcome<Task> out = run(SubmitRequest.newBuilder().setAgentType(type).build(), 200);
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(out.status()).isEqualTo(GrpcStatus.DEADLINE_EXCEEDED);
    assertThat(tookMs).isLessThan(2_000);
    AgentTask task = agent.next(5);
    Await.until("the agent sees the stop", Duration.ofSeconds(5), task::stopped);
    assertThat(task.stopReason()).contains("client deadline exceeded");
    assertThat(get(task.taskId(), 5_000).getState()).isEqualTo(TaskState.TASK_STATE_CANCELLED);
  }

  @Test
  @DisplayName("a client that cancels its Run cancels the task")
  void clientCancel() throws Exception {
    String type = freshType();
    ManualAgent agent = manualAgent(type);
    var req = Await.result(client.request(SocketAddress.inetSocketAddress(
        node.node().context().lifecycle().grpcPort(), "127.0.0.1"), TaskServiceGrpcClient.Run));
    req.end(SubmitRequest.newBuilder().setAgentType(type).build());
    AgentTask task = agent.next(5);
    req.cancel();
    Await.until("the agent sees the stop", Duration.ofSeconds(5), task::stopped);
    assertThat(task.stopReason()).isEqualTo("client cancelled the call");
    assertThat(get(task.taskId(), 5_000).getState()).isEqualTo(TaskState.TASK_STATE_CANCELLED);
  }

  @Test
  @DisplayName("RunBatch runs every task and answers one result per request, a refused one carrying its error")
  void runBatch() throws Exception {
    RunBatchResponse out = Await.result(calls.call(TaskServiceGrpcClient.RunBatch, RunBatchRequest.newBuilder()
        .addTasks(echo(1)).addTasks(SubmitRequest.newBuilder().setAgentType("nobody")).addTasks(echo(3)).build(),
        20_000)).single();
    assertThat(out.getResultsCount()).isEqualTo(3);
    assertThat(out.getResults(0).getTask().getResultJson()).isEqualTo("1");
    assertThat(out.getResults(1).getError().getCode()).isEqualTo("unknown-agent-type");
    assertThat(out.getResults(1).getError().getStatus()).isEqualTo(GrpcStatus.FAILED_PRECONDITION.code);
    assertThat(out.getResults(2).getTask().getState()).isEqualTo(TaskState.TASK_STATE_SUCCEEDED);

    GrpcCalls.Outcome<RunBatchResponse> empty = Await.result(calls.call(TaskServiceGrpcClient.RunBatch,
        RunBatchRequest.getDefaultInstance(), 5_000));
    assertThat(empty.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
  }

  @Test
  @DisplayName("a slow Stream reader holds at most grpc.stream-buffer-events on the node and still gets every event")
  void slowReader() throws Exception {
    String type = freshType();
    ManualAgent agent = manualAgent(type);
    Task submitted = Await.result(calls.call(TaskServiceGrpcClient.Submit,
        SubmitRequest.newBuilder().setAgentType(type).build(), 0)).single();
    AgentTask task = agent.next(5);
    AtomicReference<io.vertx.grpc.client.GrpcClientResponse<StreamRequest, TaskEvent>> response =
        new AtomicReference<>();
    List<Long> seen = new CopyOnWriteArrayList<>();
    var outcome = calls.call(TaskServiceGrpcClient.Stream, StreamRequest.newBuilder()
        .setFollow(FollowTask.newBuilder().setTaskId(submitted.getId())).build(), 60_000, r -> {
          r.pause();
          response.set(r);
        });
    Await.until("the stream is open", Duration.ofSeconds(5), () -> response.get() != null);
    int chunks = 3000;
    String text = "y".repeat(200);
    agent.onAgent(task, t -> {
      for (int i = 0; i < chunks; i++) {
        t.content(text, false);
      }
    });
    Await.until("the node held back events for the slow reader", Duration.ofSeconds(20),
        () -> counter(GrpcMetrics.STREAM_OVERFLOWS) > 0);
    int maxBuffered = 0;
    for (int i = 0; i < 20; i++) {
      maxBuffered = Math.max(maxBuffered, buffered());
      Thread.sleep(10);
    }
    assertThat(maxBuffered).isLessThanOrEqualTo(STREAM_BUFFER);
    agent.onAgent(task, t -> t.complete(Json.tree("done")));
    response.get().handler(e -> seen.add(e.getSeq()));
    response.get().resume();
    GrpcCalls.Outcome<TaskEvent> out = Await.result(outcome);
    assertThat(out.status()).isEqualTo(GrpcStatus.OK);
    List<Long> all = new java.util.ArrayList<>(out.messages().stream().map(TaskEvent::getSeq).toList());
    all.addAll(seen);
    assertThat(all).hasSize(3 + chunks + 1);
    for (int i = 0; i < all.size(); i++) {
      assertThat(all.get(i)).isEqualTo(i + 1L);
    }
    assertThat(buffered()).isZero();
  }

  @Test
  @DisplayName("grpc.health.v1 answers SERVING for the node and each service")
  void health() throws Exception {
    ServiceMethod<HealthCheckResponse, HealthCheckRequest> check = ServiceMethod.client(
        ServiceName.create("grpc.health.v1", "Health"), "Check", GrpcMessageEncoder.encoder(),
        GrpcMessageDecoder.decoder(HealthCheckResponse.newBuilder()));
    for (String service : List.of("", "agentbus.v1.TaskService", "agentbus.v1.AgentSession")) {
      HealthCheckResponse r = Await.result(calls.call(check,
          HealthCheckRequest.newBuilder().setService(service).build(), 5_000)).single();
      assertThat(r.getStatus()).as(service).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }
  }

  private static double counter(String name) {
    var c = node.node().context().registry().find(name).counter();
    return c == null ? 0 : c.count();
  }

  private static int buffered() {
    return node.node().context().registry().find(GrpcMetrics.STREAM_BUFFERED).gauges().stream()
        .mapToInt(g -> (int) g.value()).sum();
  }
}
