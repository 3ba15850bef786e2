package io.agentbus.launcher.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbus.config.HostPort;
import io.agentbus.grpc.v1.SubmitRequest;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** One call at a time (no load) through the benchmark's gRPC client against the bare server: what counts as success. */
class BareGrpcServerTest {

  private BareGrpcServer bare;
  private Vertx client;

  @BeforeEach
  void start() throws Exception {
    bare = BareGrpcServer.start(1);
    client = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
  }

  @AfterEach
  void stop() throws Exception {
    client.close().await(10, TimeUnit.SECONDS);
    bare.close();
  }

  private GrpcPlan plan(HostPort server, GrpcPlan.Method method, String input, int expectedChunks) {
    return new GrpcPlan(server, method, SubmitRequest.newBuilder().setAgentType("echo").setInputJson(input).build(), 1,
        Duration.ZERO, Duration.ofSeconds(10), 1, Duration.ofSeconds(10), 1, expectedChunks).probe();
  }

  @Test
  @DisplayName("a Run answered with a SUCCEEDED task is one success")
  void run() throws Exception {
    StreamResult r = GrpcBenchCommand.run(client, plan(bare.address(), GrpcPlan.Method.RUN, "{\"a\":1}", 0), 1,
        p -> { }, "probe");

    assertThat(r.streams().successes()).isEqualTo(1);
    assertThat(r.streams().errors()).isEmpty();
  }

  @Test
  @DisplayName("a Stream is a success with every chunk and a SUCCEEDED end; its events and chunks are counted")
  void stream() throws Exception {
    StreamResult r = GrpcBenchCommand.run(client, plan(bare.address(), GrpcPlan.Method.STREAM,
        "{\"chunks\":300,\"chunk_bytes\":8}", 300), 1, p -> { }, "probe");

    assertThat(r.streams().successes()).isEqualTo(1);
    assertThat(r.chunks()).isEqualTo(300);
    assertThat(r.events()).isEqualTo(304);
    assertThat(r.firstChunkLatency().count()).isEqualTo(1);
  }

  @Test
  @DisplayName("a Stream with fewer chunks than expected is an error saying how many came")
  void missingChunks() throws Exception {
    StreamResult r = GrpcBenchCommand.run(client, plan(bare.address(), GrpcPlan.Method.STREAM,
        "{\"chunks\":5}", 6), 1, p -> { }, "probe");

    assertThat(r.streams().successes()).isZero();
    assertThat(r.streams().errors()).containsEntry("chunks 5 of 6", 1L);
  }

  @Test
  @DisplayName("a call to a port nobody serves is an error, not a hang")
  void unreachable() throws Exception {
    StreamResult r = GrpcBenchCommand.run(client, plan(new HostPort("127.0.0.1", 1), GrpcPlan.Method.RUN, "{}", 0), 1,
        p -> { }, "probe");

    assertThat(r.streams().successes()).isZero();
    assertThat(r.streams().errors()).containsOnlyKeys("connection refused");
  }
}
