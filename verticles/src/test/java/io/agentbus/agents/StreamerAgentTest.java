package io.agentbus.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbus.api.Json;
import io.agentbus.config.Setting;
import io.agentbus.grpc.v1.CancelTaskRequest;
import io.agentbus.grpc.v1.StreamRequest;
import io.agentbus.grpc.v1.SubmitRequest;
import io.agentbus.grpc.v1.TaskEvent;
import io.agentbus.grpc.v1.TaskEventType;
import io.agentbus.grpc.v1.TaskServiceGrpcClient;
import io.agentbus.testing.Await;
import io.agentbus.testing.BlockedEventLoopGuard;
import io.agentbus.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The built-in streamer agent on a real node, followed through TaskService.Stream. */
class StreamerAgentTest {

  private static TestNode node;
  /** The client's own Vert.x: its work (connecting, decoding) never runs on the node's event loops. */
  private static Vertx clients;
  private static GrpcClient client;
  private static SocketAddress server;

  @BeforeAll
  static void startNode() throws Exception {
    node = TestNode.start(Map.of(Setting.AGENTS_STREAMER_INSTANCES.key(), "1"));
    clients = Vertx.vertx(BlockedEventLoopGuard.options().setEventLoopPoolSize(1));
    client = GrpcClient.client(clients);
    server = SocketAddress.inetSocketAddress(node.node().context().lifecycle().grpcPort(), "127.0.0.1");
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

  /** Streams a new streamer task; every event lands in {@code events}; completes with the call's status. */
  private static Future<GrpcStatus> stream(String inputJson, List<TaskEvent> events) {
    SubmitRequest submit = SubmitRequest.newBuilder().setAgentType(StreamerAgent.TYPE).setInputJson(inputJson).build();
    return client.request(server, TaskServiceGrpcClient.Stream).compose(req -> {
      req.timeout(20, TimeUnit.SECONDS);
      req.end(StreamRequest.newBuilder().setSubmit(submit).build());
      return req.response();
    }).compose(resp -> {
      Promise<GrpcStatus> ended = Promise.promise();
      resp.handler(events::add);
      resp.endHandler(v -> ended.tryComplete(resp.status()));
      resp.exceptionHandler(ended::tryFail);
      return ended.future();
    });
  }

  private static List<JsonNode> contents(List<TaskEvent> events) throws Exception {
    List<JsonNode> chunks = new java.util.ArrayList<>();
    for (TaskEvent e : events) {
      if (e.getType() == TaskEventType.TASK_EVENT_TYPE_CONTENT) {
        chunks.add(Json.MAPPER.readTree(e.getDataJson()));
      }
    }
    return chunks;
  }

  @Test
  @DisplayName("a streamer task streams exactly the chunks asked for, in order, the last one final, then its count")
  void streamsTheChunksAskedFor() throws Exception {
    List<TaskEvent> events = new CopyOnWriteArrayList<>();
    int chunks = 3 * StreamerAgent.BURST + 5;

    assertThat(Await.result(stream("{\"chunks\":" + chunks + ",\"chunk_bytes\":12}", events))).isEqualTo(GrpcStatus.OK);

    List<JsonNode> content = contents(events);
    assertThat(content).hasSize(chunks);
    for (int i = 0; i < chunks; i++) {
      assertThat(content.get(i).get("text").asText()).isEqualTo(StreamerAgent.chunk(i + 1, 12)).hasSize(12);
      assertThat(content.get(i).get("final").asBoolean()).isEqualTo(i == chunks - 1);
    }
    assertThat(content.get(0).get("text").asText()).isEqualTo("chunk-1 chun");
    TaskEvent last = events.get(events.size() - 1);
    assertThat(last.getType()).isEqualTo(TaskEventType.TASK_EVENT_TYPE_SUCCEEDED);
    JsonNode result = Json.MAPPER.readTree(last.getDataJson()).get("result");
    assertThat(result.get("chunks").asInt()).isEqualTo(chunks);
    assertThat(result.get("bytes").asLong()).isEqualTo(12L * chunks);
    assertThat(events).extracting(TaskEvent::getSeq).doesNotHaveDuplicates().isSorted();
  }

  @Test
  @DisplayName("without input a streamer sends its default number of chunks of the default size")
  void defaults() throws Exception {
    List<TaskEvent> events = new CopyOnWriteArrayList<>();

    assertThat(Await.result(stream("", events))).isEqualTo(GrpcStatus.OK);

    List<JsonNode> content = contents(events);
    assertThat(content).hasSize(StreamerAgent.DEFAULT_CHUNKS);
    assertThat(content).allSatisfy(c -> assertThat(c.get("text").asText()).hasSize(StreamerAgent.DEFAULT_CHUNK_BYTES));
  }

  @Test
  @DisplayName("a cancelled streamer stops streaming: the stream ends CANCELLED well before its last chunk")
  void stopsWhenCancelled() throws Exception {
    List<TaskEvent> events = new CopyOnWriteArrayList<>();
    Future<GrpcStatus> ended = stream("{\"chunks\":1000,\"chunk_delay_ms\":20}", events);
    Await.until("three chunks arrived", Duration.ofSeconds(10),
        () -> events.stream().filter(e -> e.getType() == TaskEventType.TASK_EVENT_TYPE_CONTENT).count() >= 3);

    Await.result(client.request(server, TaskServiceGrpcClient.Cancel).compose(req -> req.send(
        CancelTaskRequest.newBuilder().setTaskId(events.get(0).getTaskId()).setReason("enough").build())
        .compose(resp -> resp.last())));

    assertThat(Await.result(ended)).isEqualTo(GrpcStatus.OK);
    assertThat(events.get(events.size() - 1).getType()).isEqualTo(TaskEventType.TASK_EVENT_TYPE_CANCELLED);
    assertThat(contents(events)).hasSizeLessThan(1000);
  }
}
