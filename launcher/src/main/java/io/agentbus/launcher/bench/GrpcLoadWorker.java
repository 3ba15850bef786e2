package io.agentbus.launcher.bench;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import io.agentbus.grpc.v1.StreamRequest;
import io.agentbus.grpc.v1.Task;
import io.agentbus.grpc.v1.TaskEvent;
import io.agentbus.grpc.v1.TaskEventType;
import io.agentbus.grpc.v1.TaskServiceGrpcClient;
import io.agentbus.grpc.v1.TaskState;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcErrorException;
import io.vertx.grpc.common.GrpcStatus;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Keeps {@code slots} gRPC calls in flight from one event loop, each slot making its next call as soon as the last
 * one ended (a closed loop), over {@code connections} Vert.x gRPC clients of one HTTP/2 connection each, the slots
 * dealt round-robin over them. A Run is a success when it ends OK with a SUCCEEDED task; a Stream when it ends OK
 * after a SUCCEEDED event and the expected number of content chunks. Anything else is an error named by its gRPC
 * status and the agentbus reason of its details ({@code RESOURCE_EXHAUSTED queue-full}), or by what went wrong.
 */
final class GrpcLoadWorker extends VerticleBase {

  /** HTTP/2 flow-control window of each stream and connection the client reads: large, so the reader never limits. */
  static final int WINDOW_BYTES = 4 << 20;
  private static final String DETAILS = "grpc-status-details-bin";

  private final GrpcPlan plan;
  private final Tally tally;
  private final int slots;
  private final int connections;
  private final StreamCounts streamCounts;
  private final List<GrpcClient> clients = new ArrayList<>();
  private SocketAddress server;
  private StreamRequest streamRequest;

  GrpcLoadWorker(GrpcPlan plan, Tally tally, int slots, int connections, StreamCounts streamCounts) {
    this.plan = plan;
    this.tally = tally;
    this.slots = slots;
    this.connections = connections;
    this.streamCounts = streamCounts;
  }

  @Override
  public Future<?> start() {
    server = SocketAddress.inetSocketAddress(plan.server().port(), plan.server().host());
    streamRequest = StreamRequest.newBuilder().setSubmit(plan.request()).build();
    HttpClientOptions http = new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false).setTcpNoDelay(true).setHttp2ConnectionWindowSize(WINDOW_BYTES)
        .setInitialSettings(new Http2Settings().setInitialWindowSize(WINDOW_BYTES));
    GrpcClientOptions grpc = new GrpcClientOptions().setScheduleDeadlineAutomatically(true);
    for (int i = 0; i < Math.max(1, Math.min(connections, slots)); i++) {
      clients.add(GrpcClient.builder(vertx).with(grpc).with(http).build());
    }
    for (int i = 0; i < slots; i++) {
      next(clients.get(i % clients.size()));
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return Future.join(clients.stream().map(GrpcClient::close).toList());
  }

  private void next(GrpcClient client) {
    long start = System.nanoTime();
    if (!tally.tryIssue(start)) {
      tally.slotIdle();
      return;
    }
    Future<String> call = plan.method() == GrpcPlan.Method.RUN ? run(client) : stream(client, start);
    call.onComplete(ar -> {
      tally.completed(start, System.nanoTime(), ar.succeeded() ? ar.result() : errorKind(ar.cause()));
      if (ar.succeeded()) {
        next(client);
      } else {
        // a failure may come back on the caller's stack: go round the event loop so a slot never recurses
        context.runOnContext(v -> next(client));
      }
    });
  }

  private <Req, Resp> Future<GrpcClientRequest<Req, Resp>> request(GrpcClient client,
      io.vertx.grpc.common.ServiceMethod<Resp, Req> method) {
    return client.request(server, method).map(req -> {
      if (!plan.deadline().isZero()) {
        req.timeout(plan.deadline().toMillis(), TimeUnit.MILLISECONDS);
      }
      return req;
    });
  }

  // null when the call ended OK with a SUCCEEDED task
  private Future<String> run(GrpcClient client) {
    return request(client, TaskServiceGrpcClient.Run).compose(req -> req.send(plan.request())).compose(resp -> {
      Promise<String> done = Promise.promise();
      Task[] task = new Task[1];
      resp.handler(t -> task[0] = t);
      resp.endHandler(v -> done.tryComplete(resp.status() != GrpcStatus.OK
          ? statusKind(resp.status(), resp.headers(), resp.trailers())
          : task[0] == null ? "no task in the answer"
          : task[0].getState() == TaskState.TASK_STATE_SUCCEEDED ? null
          : "task " + task[0].getState().name().substring("TASK_STATE_".length())));
      resp.exceptionHandler(done::tryFail);
      resp.errorHandler(err -> done.tryComplete("stream " + err.name().toLowerCase(java.util.Locale.ROOT)));
      return done.future();
    });
  }

  // null when the stream ended OK after a SUCCEEDED event and the expected number of chunks
  private Future<String> stream(GrpcClient client, long start) {
    return request(client, TaskServiceGrpcClient.Stream).compose(req -> req.send(streamRequest)).compose(resp -> {
      Promise<String> done = Promise.promise();
      int[] chunks = new int[1];
      TaskEvent[] last = new TaskEvent[1];
      resp.handler(event -> {
        long now = System.nanoTime();
        boolean content = event.getType() == TaskEventType.TASK_EVENT_TYPE_CONTENT;
        if (tally.inWindow(now)) {
          streamCounts.event(content);
          if (content && chunks[0] == 0) {
            streamCounts.firstChunk(start, now);
          }
        }
        if (content) {
          chunks[0]++;
        }
        last[0] = event;
      });
      resp.endHandler(v -> done.tryComplete(resp.status() != GrpcStatus.OK
          ? statusKind(resp.status(), resp.headers(), resp.trailers())
          : last[0] == null ? "no events"
          : last[0].getType() != TaskEventType.TASK_EVENT_TYPE_SUCCEEDED
          ? "task " + last[0].getType().name().substring("TASK_EVENT_TYPE_".length())
          : plan.expectedChunks() > 0 && chunks[0] != plan.expectedChunks()
          ? "chunks " + chunks[0] + " of " + plan.expectedChunks() : null));
      resp.exceptionHandler(done::tryFail);
      resp.errorHandler(err -> done.tryComplete("stream " + err.name().toLowerCase(java.util.Locale.ROOT)));
      return done.future();
    });
  }

  /** A call that failed without a status: {@code reset CANCELLED} for a stream the server reset, else as HTTP. */
  static String errorKind(Throwable failure) {
    if (failure instanceof GrpcErrorException reset) {
      String status = reset.status() == null ? null : reset.status().name();
      return "reset " + reset.error() + (status == null || status.equals(reset.error().name()) ? "" : " (" + status + ")");
    }
    return LoadWorker.errorKind(failure);
  }

  /** {@code UNAVAILABLE}, with the agentbus reason of the status details when there is one: {@code UNAVAILABLE queue-full}. */
  static String statusKind(GrpcStatus status, MultiMap headers, MultiMap trailers) {
    String details = trailers != null && trailers.get(DETAILS) != null ? trailers.get(DETAILS)
        : headers != null ? headers.get(DETAILS) : null;
    String reason = null;
    if (details != null) {
      try {
        for (Any any : com.google.rpc.Status.parseFrom(Base64.getDecoder().decode(details)).getDetailsList()) {
          if (any.is(ErrorInfo.class)) {
            reason = any.unpack(ErrorInfo.class).getReason();
          }
        }
      } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
        reason = "undecodable details";
      }
    }
    String name = status == null ? "no status" : status.name();
    return reason == null || reason.isEmpty() ? name : name + " " + reason;
  }
}
