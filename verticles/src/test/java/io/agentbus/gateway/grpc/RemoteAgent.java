package io.agentbus.gateway.grpc;

import io.agentbus.grpc.v1.AgentMessage;
import io.agentbus.grpc.v1.AgentSessionGrpcClient;
import io.agentbus.grpc.v1.FabricMessage;
import io.agentbus.grpc.v1.Heartbeat;
import io.agentbus.grpc.v1.Register;
import io.agentbus.testing.Await;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcStatus;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * An agent a test drives over AgentSession.Connect, as a Python agent would: it sends what the test says and keeps
 * what the fabric sends in a queue. It sends heartbeats at the lease's interval while {@link #heartbeats} is on.
 */
final class RemoteAgent implements AutoCloseable {

  private final Vertx vertx;
  private final GrpcClientRequest<AgentMessage, FabricMessage> stream;
  private final BlockingQueue<FabricMessage> received = new LinkedBlockingQueue<>();
  private final Promise<GrpcStatus> ended = Promise.promise();
  private volatile String endMessage;
  private long heartbeatTimer = -1;
  volatile boolean heartbeats = true;

  private RemoteAgent(Vertx vertx, GrpcClientRequest<AgentMessage, FabricMessage> stream) {
    this.vertx = vertx;
    this.stream = stream;
  }

  static RemoteAgent open(Vertx vertx, GrpcClient client, SocketAddress server) throws Exception {
    GrpcClientRequest<AgentMessage, FabricMessage> req = Await.result(client.request(server,
        AgentSessionGrpcClient.Connect));
    RemoteAgent agent = new RemoteAgent(vertx, req);
    req.response().onSuccess(resp -> {
      resp.handler(agent.received::add);
      resp.endHandler(v -> {
        agent.endMessage = resp.statusMessage();
        agent.ended.tryComplete(resp.status());
      });
      resp.exceptionHandler(err -> agent.ended.tryFail(err));
      resp.errorHandler(err -> agent.ended.tryFail(new IllegalStateException("reset: " + err)));
    }).onFailure(agent.ended::tryFail);
    return agent;
  }

  /** Registers and waits for the register ack; starts heartbeats at the lease's interval. */
  FabricMessage register(String id, int capacity, String... types) throws Exception {
    send(AgentMessage.newBuilder().setRegister(Register.newBuilder().setAgentId(id).setCapacity(capacity)
        .addAllTypes(java.util.List.of(types))).build());
    FabricMessage ack = next(m -> m.hasAck() && m.getAck().getOf() == io.agentbus.grpc.v1.Ack.Of.OF_REGISTER, 10);
    if (ack.getAck().getOk()) {
      long every = ack.getAck().getLease().getHeartbeatIntervalMs();
      heartbeatTimer = vertx.setPeriodic(every, t -> {
        if (heartbeats) {
          send(AgentMessage.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build());
        }
      });
    }
    return ack;
  }

  void send(AgentMessage message) {
    stream.write(message);
  }

  /** The next message matching {@code what} (others before it are skipped), within {@code seconds}. */
  FabricMessage next(Predicate<FabricMessage> what, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      long left = deadline - System.nanoTime();
      FabricMessage m = left <= 0 ? null : received.poll(left, TimeUnit.NANOSECONDS);
      if (m == null) {
        throw new AssertionError("no matching message within " + seconds + " s");
      }
      if (what.test(m)) {
        return m;
      }
    }
  }

  /** Asserts no message matching {@code what} arrives within {@code millis}. */
  void assertNone(Predicate<FabricMessage> what, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    long left;
    while ((left = deadline - System.nanoTime()) > 0) {
      FabricMessage m = received.poll(left, TimeUnit.NANOSECONDS);
      if (m != null && what.test(m)) {
        throw new AssertionError("unexpected " + m);
      }
    }
  }

  /** How the fabric ended the session, waiting up to {@code seconds}. */
  GrpcStatus endStatus(long seconds) throws Exception {
    return ended.future().toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
  }

  String endMessage() {
    return endMessage;
  }

  /** Ends the session from the agent's side (half-close). */
  void end() {
    vertx.cancelTimer(heartbeatTimer);
    stream.end();
  }

  @Override
  public void close() {
    vertx.cancelTimer(heartbeatTimer);
    if (!ended.future().isComplete()) {
      stream.cancel();
    }
  }
}
