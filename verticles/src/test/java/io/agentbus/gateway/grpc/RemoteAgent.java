package io.agentbus.gateway.grpc;

import io.agentbus.grpc.v1.Ack;
import io.agentbus.grpc.v1.AgentMessage;
import io.agentbus.grpc.v1.AgentSessionGrpcClient;
import io.agentbus.grpc.v1.ContentChunk;
import io.agentbus.grpc.v1.FabricMessage;
import io.agentbus.grpc.v1.Heartbeat;
import io.agentbus.grpc.v1.Progress;
import io.agentbus.grpc.v1.Register;
import io.agentbus.grpc.v1.StopAck;
import io.agentbus.grpc.v1.TaskAssignment;
import io.agentbus.grpc.v1.TaskFailure;
import io.agentbus.grpc.v1.TaskResult;
import io.agentbus.grpc.v1.Thought;
import io.agentbus.grpc.v1.ToolCallRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * An agent a test drives over AgentSession.Connect, as a Python agent would: it sends what the test says and keeps
 * what the fabric sends, in order, until the test takes it with {@link #next}. It sends heartbeats at the lease's
 * interval while {@link #heartbeats} is on. Everything it does on the stream runs on the stream's own context.
 */
final class RemoteAgent implements AutoCloseable {

  private final Vertx vertx;
  private final Context context;
  private final GrpcClientRequest<AgentMessage, FabricMessage> stream;
  /** Received and not yet taken by {@link #next}; guarded by itself. */
  private final List<FabricMessage> pending = new ArrayList<>();
  /** Everything received, in order. */
  private final List<FabricMessage> history = java.util.Collections.synchronizedList(new ArrayList<>());
  private final Promise<GrpcStatus> ended = Promise.promise();
  private volatile GrpcClientResponse<AgentMessage, FabricMessage> response;
  private volatile String endMessage;
  private volatile io.vertx.core.MultiMap endTrailers;
  private volatile io.vertx.core.MultiMap endHeaders;
  private volatile long heartbeatTimer = -1;
  volatile boolean heartbeats = true;

  private RemoteAgent(Vertx vertx, Context context, GrpcClientRequest<AgentMessage, FabricMessage> stream) {
    this.vertx = vertx;
    this.context = context;
    this.stream = stream;
  }

  static RemoteAgent open(Vertx vertx, GrpcClient client, SocketAddress server) throws Exception {
    Context context = vertx.getOrCreateContext();
    CompletableFuture<RemoteAgent> opened = new CompletableFuture<>();
    context.runOnContext(v -> client.request(server, AgentSessionGrpcClient.Connect).onSuccess(req -> {
      RemoteAgent agent = new RemoteAgent(vertx, context, req);
      req.response().onSuccess(resp -> {
        agent.response = resp;
        resp.handler(agent::received);
        resp.endHandler(x -> {
          // the Vert.x client reads grpc-message from headers only; after messages it comes in the trailers
          String trailer = resp.trailers().get("grpc-message");
          agent.endMessage = resp.statusMessage() != null || trailer == null ? resp.statusMessage()
              : io.netty.handler.codec.http.QueryStringDecoder.decodeComponent(trailer,
                  java.nio.charset.StandardCharsets.UTF_8);
          agent.endTrailers = resp.trailers();
          agent.endHeaders = resp.headers();
          agent.ended.tryComplete(resp.status());
        });
        resp.exceptionHandler(err -> agent.ended.tryFail(err));
        resp.errorHandler(err -> agent.ended.tryFail(new IllegalStateException("reset: " + err)));
      }).onFailure(agent.ended::tryFail);
      opened.complete(agent);
    }).onFailure(opened::completeExceptionally));
    return opened.get(30, TimeUnit.SECONDS);
  }

  private void received(FabricMessage m) {
    history.add(m);
    synchronized (pending) {
      pending.add(m);
      pending.notifyAll();
    }
  }

  // ---- sending

  /** Registers and waits for the register ack; on success starts heartbeats at the lease's interval. */
  FabricMessage register(String id, int capacity, String... types) throws Exception {
    return register(Register.newBuilder().setAgentId(id).setCapacity(capacity).addAllTypes(List.of(types)).build());
  }

  FabricMessage register(Register register) throws Exception {
    send(AgentMessage.newBuilder().setRegister(register).build());
    FabricMessage ack = next(m -> m.hasAck() && m.getAck().getOf() == Ack.Of.OF_REGISTER, 10);
    if (ack.getAck().getOk()) {
      long every = ack.getAck().getLease().getHeartbeatIntervalMs();
      context.runOnContext(v -> heartbeatTimer = vertx.setPeriodic(every, t -> {
        if (heartbeats && !ended.future().isComplete()) {
          stream.write(AgentMessage.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build());
        }
      }));
    }
    return ack;
  }

  void send(AgentMessage message) {
    context.runOnContext(v -> stream.write(message));
  }

  /** Sends bytes as one gRPC message, whatever they are. */
  void sendRaw(io.vertx.core.buffer.Buffer payload) {
    context.runOnContext(v -> stream.writeMessage(io.vertx.grpc.common.GrpcMessage.message("identity", payload)));
  }

  void thought(TaskAssignment a, String step, String delta) {
    send(AgentMessage.newBuilder().setThought(Thought.newBuilder().setTaskId(a.getTaskId()).setEpoch(a.getEpoch())
        .setStep(step).setDelta(delta)).build());
  }

  void content(TaskAssignment a, String text, boolean last) {
    send(content(a.getTaskId(), a.getEpoch(), text, last));
  }

  static AgentMessage content(String taskId, int epoch, String text, boolean last) {
    return AgentMessage.newBuilder().setContent(ContentChunk.newBuilder().setTaskId(taskId).setEpoch(epoch)
        .setText(text).setFinal(last)).build();
  }

  void progress(TaskAssignment a, String stage, int percent, String message) {
    send(AgentMessage.newBuilder().setProgress(Progress.newBuilder().setTaskId(a.getTaskId()).setEpoch(a.getEpoch())
        .setStage(stage).setPercent(percent).setMessage(message)).build());
  }

  void toolCall(TaskAssignment a, String callId, String tool, String argumentsJson) {
    send(AgentMessage.newBuilder().setToolCall(ToolCallRequest.newBuilder().setTaskId(a.getTaskId())
        .setEpoch(a.getEpoch()).setCallId(callId).setTool(tool).setArgumentsJson(argumentsJson)).build());
  }

  void result(TaskAssignment a, String resultJson) {
    result(a.getTaskId(), a.getEpoch(), resultJson);
  }

  void result(String taskId, int epoch, String resultJson) {
    send(AgentMessage.newBuilder().setResult(TaskResult.newBuilder().setTaskId(taskId).setEpoch(epoch)
        .setResultJson(resultJson)).build());
  }

  void error(TaskAssignment a, String code, String message) {
    send(AgentMessage.newBuilder().setError(TaskFailure.newBuilder().setTaskId(a.getTaskId()).setEpoch(a.getEpoch())
        .setCode(code).setMessage(message)).build());
  }

  void stopAck(String taskId, int epoch) {
    send(AgentMessage.newBuilder().setStopAck(StopAck.newBuilder().setTaskId(taskId).setEpoch(epoch)).build());
  }

  /**
   * Writes {@code count} messages as fast as the stream takes them, waiting for the stream to drain whenever its
   * write queue is full, as a well-behaved client does. Completes with how many times the queue was full.
   */
  Future<Integer> flood(int count, java.util.function.IntFunction<AgentMessage> message) {
    Promise<Integer> done = Promise.promise();
    context.runOnContext(v -> new Object() {
      int sent;
      int full;

      void pump() {
        for (int burst = 0; sent < count; burst++) {
          if (stream.writeQueueFull()) {
            full++;
            stream.drainHandler(x -> pump());
            return;
          }
          if (burst == 256) {
            context.runOnContext(x -> pump());
            return;
          }
          stream.write(message.apply(sent++));
        }
        done.tryComplete(full);
      }
    }.pump());
    return done.future();
  }

  /** Whether the stream's own write queue is full (the fabric does not take what this agent writes). */
  boolean writeQueueFull() throws Exception {
    CompletableFuture<Boolean> full = new CompletableFuture<>();
    context.runOnContext(v -> full.complete(stream.writeQueueFull()));
    return full.get(10, TimeUnit.SECONDS);
  }

  /** Stops reading what the fabric sends (HTTP/2 flow control then holds it back at the fabric). */
  void pauseReading() {
    context.runOnContext(v -> response.pause());
  }

  void resumeReading() {
    context.runOnContext(v -> response.resume());
  }

  HttpConnection connection() {
    return stream.connection();
  }

  // ---- receiving

  /** The next message matching {@code what}, within {@code seconds}; messages before it stay for later calls. */
  FabricMessage next(Predicate<FabricMessage> what, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    synchronized (pending) {
      while (true) {
        for (int i = 0; i < pending.size(); i++) {
          if (what.test(pending.get(i))) {
            return pending.remove(i);
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no matching message within " + seconds + " s; pending: " + pending);
        }
        TimeUnit.NANOSECONDS.timedWait(pending, left);
      }
    }
  }

  TaskAssignment assignment(long seconds) throws InterruptedException {
    return next(FabricMessage::hasAssignment, seconds).getAssignment();
  }

  TaskAssignment assignment(String taskId, long seconds) throws InterruptedException {
    return next(m -> m.hasAssignment() && m.getAssignment().getTaskId().equals(taskId), seconds).getAssignment();
  }

  io.agentbus.grpc.v1.Stop stop(String taskId, long seconds) throws InterruptedException {
    return next(m -> m.hasStop() && m.getStop().getTaskId().equals(taskId), seconds).getStop();
  }

  Ack ack(Ack.Of of, String taskId, long seconds) throws InterruptedException {
    return next(m -> m.hasAck() && m.getAck().getOf() == of && m.getAck().getTaskId().equals(taskId), seconds)
        .getAck();
  }

  io.agentbus.grpc.v1.ToolResult toolResult(String callId, long seconds) throws InterruptedException {
    return next(m -> m.hasToolResult() && m.getToolResult().getCallId().equals(callId), seconds).getToolResult();
  }

  /** Asserts no message matching {@code what} arrives (or is waiting) within {@code millis}. */
  void assertNone(Predicate<FabricMessage> what, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    synchronized (pending) {
      while (true) {
        for (FabricMessage m : pending) {
          if (what.test(m)) {
            throw new AssertionError("unexpected " + m);
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        TimeUnit.NANOSECONDS.timedWait(pending, left);
      }
    }
  }

  /** Every message received so far, in order. */
  List<FabricMessage> history() {
    synchronized (history) {
      return List.copyOf(history);
    }
  }

  /** How the fabric ended the session, waiting up to {@code seconds}. */
  GrpcStatus endStatus(long seconds) throws Exception {
    return ended.future().toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
  }

  boolean ended() {
    return ended.future().isComplete();
  }

  String endMessage() {
    return endMessage;
  }

  /** The trailers the session ended with (grpc-status-details-bin among them). */
  io.vertx.core.MultiMap endTrailers() {
    return endTrailers;
  }

  /** The ErrorInfo reason and BadRequest fields of how the session ended. */
  GrpcCalls.Outcome<FabricMessage> outcome() {
    io.vertx.core.MultiMap none = io.vertx.core.MultiMap.caseInsensitiveMultiMap();
    return new GrpcCalls.Outcome<>(ended.future().result(), endMessage, List.of(),
        endHeaders == null ? none : endHeaders, endTrailers == null ? none : endTrailers);
  }

  /** Ends the session from the agent's side (half-close). */
  void end() {
    context.runOnContext(v -> {
      vertx.cancelTimer(heartbeatTimer);
      stream.end();
    });
  }

  /** Resets the stream, as a client that goes away does. */
  void reset() {
    context.runOnContext(v -> {
      vertx.cancelTimer(heartbeatTimer);
      stream.cancel();
    });
  }

  @Override
  public void close() {
    context.runOnContext(v -> {
      vertx.cancelTimer(heartbeatTimer);
      if (!ended.future().isComplete()) {
        stream.cancel();
      }
    });
  }

  /** Labels for a register, for tests that check they show in the agent list. */
  static Register.Builder registration(String id, int capacity, Map<String, String> labels, String... types) {
    return Register.newBuilder().setAgentId(id).setCapacity(capacity).putAllLabels(labels).addAllTypes(List.of(types));
  }
}
