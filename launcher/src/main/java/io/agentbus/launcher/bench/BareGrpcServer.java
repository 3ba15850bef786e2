package io.agentbus.launcher.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Timestamp;
import io.agentbus.api.Json;
import io.agentbus.config.HostPort;
import io.agentbus.grpc.v1.StreamRequest;
import io.agentbus.grpc.v1.SubmitRequest;
import io.agentbus.grpc.v1.Task;
import io.agentbus.grpc.v1.TaskEvent;
import io.agentbus.grpc.v1.TaskEventType;
import io.agentbus.grpc.v1.TaskServiceGrpcService;
import io.agentbus.grpc.v1.TaskState;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The baseline of the gRPC benchmark: a bare Vert.x gRPC server on 127.0.0.1 serving agentbus.v1.TaskService's Run
 * and Stream with nothing behind them, in its own Vertx with {@code eventLoops} event loops and one server instance
 * per loop (as the node deploys its gRPC gateway). Run answers at once with a SUCCEEDED task whose result is the
 * input. Stream answers the events a streamer task would have: submitted, assigned, running, {@code chunks} content
 * chunks of {@code chunk_bytes} characters (read from the input as the streamer agent does), succeeded; it writes as
 * fast as the client's flow control lets it. What a benchmark measures against it is the cost of gRPC on this
 * machine.
 */
public final class BareGrpcServer implements AutoCloseable {

  private static final String HOST = "127.0.0.1";
  private static final long START_STOP_TIMEOUT_S = 30;
  private static final int DEFAULT_CHUNKS = 100;
  private static final int MAX_CHUNKS = 10_000;
  private static final int DEFAULT_CHUNK_BYTES = 32;
  private static final int MAX_CHUNK_BYTES = 65_536;

  private final Vertx vertx;
  private final int port;

  private BareGrpcServer(Vertx vertx, int port) {
    this.vertx = vertx;
    this.port = port;
  }

  /** Starts the server on a free port; blocks until it listens on every event loop. */
  public static BareGrpcServer start(int eventLoops) throws InterruptedException, TimeoutException {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
    try {
      int port = freePort();
      await(vertx.deployVerticle(() -> new Handler(port), new DeploymentOptions().setInstances(eventLoops)));
      return new BareGrpcServer(vertx, port);
    } catch (RuntimeException | TimeoutException e) {
      vertx.close();
      throw e;
    }
  }

  public HostPort address() {
    return new HostPort(HOST, port);
  }

  @Override
  public void close() throws InterruptedException, TimeoutException {
    await(vertx.close());
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + HOST, e);
    }
  }

  private static <T> T await(Future<T> future) throws TimeoutException {
    return future.await(START_STOP_TIMEOUT_S, TimeUnit.SECONDS);
  }

  static Timestamp now() {
    Instant t = Instant.now();
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  /** The task a Run answers: SUCCEEDED, its input as result, with every field a real task has. */
  static Task task(SubmitRequest request) {
    Timestamp now = now();
    return Task.newBuilder().setId(UUID.randomUUID().toString()).setAgentType(request.getAgentType())
        .setState(TaskState.TASK_STATE_SUCCEEDED).setInputJson(request.getInputJson())
        .setResultJson(request.getInputJson()).putAllMetadata(request.getMetadataMap())
        .setTimeoutMs(request.getTimeoutMs()).setCreatedAt(now).setUpdatedAt(now).setAttempt(1)
        .setAgentId("bare-1").setLastSeq(7).setOwnerNode("bare").build();
  }

  private static final class Handler extends VerticleBase {

    private final int port;

    Handler(int port) {
      this.port = port;
    }

    @Override
    public Future<?> start() {
      GrpcServer grpc = GrpcServer.server(vertx);
      grpc.callHandler(TaskServiceGrpcService.Run,
          call -> call.last().onSuccess(request -> call.response().end(task(request))));
      grpc.callHandler(TaskServiceGrpcService.Stream,
          call -> call.last().onSuccess(request -> new BareStream(request, call.response()).pump()));
      return vertx.createHttpServer(new HttpServerOptions().setHost(HOST).setPort(port).setTcpNoDelay(true)
              .setInitialSettings(new Http2Settings().setMaxConcurrentStreams(GrpcPlan.MAX_CONCURRENCY)))
          .requestHandler(grpc).listen();
    }
  }

  /** One Stream call: writes its events while the response can take them, resumes on drain. */
  private static final class BareStream {

    private final GrpcServerResponse<StreamRequest, TaskEvent> response;
    private final String taskId = UUID.randomUUID().toString();
    private final int chunks;
    private final String text;
    private long seq;

    BareStream(StreamRequest request, GrpcServerResponse<StreamRequest, TaskEvent> response) {
      this.response = response;
      JsonNode input = parse(request.getSubmit().getInputJson());
      this.chunks = (int) Math.max(1, Math.min(MAX_CHUNKS, input.path("chunks").asLong(DEFAULT_CHUNKS)));
      this.text = "x".repeat((int) Math.max(1, Math.min(MAX_CHUNK_BYTES,
          input.path("chunk_bytes").asLong(DEFAULT_CHUNK_BYTES))));
      response.drainHandler(v -> pump());
    }

    private static JsonNode parse(String json) {
      try {
        return json.isEmpty() ? Json.object() : Json.MAPPER.readTree(json);
      } catch (IOException e) {
        return Json.object();
      }
    }

    // seq 1-3: submitted, assigned, running; then the chunks; then succeeded
    void pump() {
      while (!response.writeQueueFull()) {
        long next = seq + 1;
        if (next <= 3) {
          response.write(event(next, next == 1 ? TaskEventType.TASK_EVENT_TYPE_SUBMITTED
              : next == 2 ? TaskEventType.TASK_EVENT_TYPE_ASSIGNED : TaskEventType.TASK_EVENT_TYPE_RUNNING, "{}"));
        } else if (next <= 3 + chunks) {
          response.write(event(next, TaskEventType.TASK_EVENT_TYPE_CONTENT,
              Json.toString(Json.object().put("text", text).put("final", next == 3 + chunks))));
        } else {
          response.end(event(next, TaskEventType.TASK_EVENT_TYPE_SUCCEEDED,
              "{\"result\":{\"chunks\":" + chunks + ",\"bytes\":" + (long) chunks * text.length() + "}}"));
          return;
        }
        seq = next;
      }
    }

    private TaskEvent event(long n, TaskEventType type, String data) {
      return TaskEvent.newBuilder().setTaskId(taskId).setSeq(n).setType(type).setTime(now()).setDataJson(data).build();
    }
  }
}
