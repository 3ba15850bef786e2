package io.agentbus.launcher.bench;

import io.agentbus.config.HostPort;
import io.agentbus.grpc.v1.SubmitRequest;
import java.net.URI;
import java.time.Duration;

/**
 * What a gRPC load run does: {@code concurrency} calls of {@code method} always in flight against {@code server},
 * each submitting {@code request}, first for {@code warmup} (not measured), then for {@code duration} (measured), at
 * most {@code maxRequests} calls in all, over {@code connections} HTTP/2 connections (spread over the client event
 * loops, at least one each). Each call carries {@code deadline} as its grpc-timeout (zero: none). A Stream call is a
 * success when it ends OK with a SUCCEEDED event after {@code expectedChunks} content events (0: any number).
 */
public record GrpcPlan(HostPort server, Method method, SubmitRequest request, int concurrency, Duration warmup,
                       Duration duration, long maxRequests, Duration deadline, int connections, int expectedChunks)
    implements LoadWindow {

  /** The TaskService methods the benchmark calls. */
  public enum Method {
    /** Unary: submits a task and answers it once it ended. */
    RUN("Run"),
    /** Server-streaming: submits a task and streams its events to the terminal one. */
    STREAM("Stream");

    final String rpc;

    Method(String rpc) {
      this.rpc = rpc;
    }
  }

  /** The most calls a plan may keep in flight. */
  public static final int MAX_CONCURRENCY = 10_000;
  /** The most HTTP/2 connections a plan may open. */
  public static final int MAX_CONNECTIONS = 256;

  public GrpcPlan {
    if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
      throw new IllegalArgumentException("concurrency must be 1 to " + MAX_CONCURRENCY + ", was " + concurrency);
    }
    if (connections < 1 || connections > MAX_CONNECTIONS) {
      throw new IllegalArgumentException("connections must be 1 to " + MAX_CONNECTIONS + ", was " + connections);
    }
    if (warmup.isNegative() || duration.isNegative() || duration.isZero() || deadline.isNegative()) {
      throw new IllegalArgumentException("the warmup and deadline must be >= 0 and the duration > 0");
    }
    if (maxRequests < 1 || expectedChunks < 0) {
      throw new IllegalArgumentException("maxRequests must be positive and expectedChunks >= 0");
    }
  }

  /** {@code grpc://host:port/agentbus.v1.TaskService/Run}: the method this plan calls, for reports. */
  @Override
  public URI target() {
    return URI.create("grpc://" + server + "/agentbus.v1.TaskService/" + method.rpc);
  }

  /** The same plan against another server. */
  public GrpcPlan withServer(HostPort other) {
    return new GrpcPlan(other, method, request, concurrency, warmup, duration, maxRequests, deadline, connections,
        expectedChunks);
  }

  /** The same plan with another number of calls in flight and another warmup. */
  public GrpcPlan at(int otherConcurrency, Duration otherWarmup) {
    return new GrpcPlan(server, method, request, otherConcurrency, otherWarmup, duration, maxRequests, deadline,
        connections, expectedChunks);
  }

  /** A single call without warmup, to check that the server answers as expected before a long run. */
  public GrpcPlan probe() {
    Duration bound = deadline.isZero() ? Duration.ofSeconds(30) : deadline;
    return new GrpcPlan(server, method, request, 1, Duration.ZERO, bound.plus(LoadLoop.DRAIN_GRACE), 1, deadline, 1,
        expectedChunks);
  }
}
