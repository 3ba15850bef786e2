package io.agentbus.launcher.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class LoadLoopTest {

  private static final Buffer BODY = Buffer.buffer("{\"agent_type\":\"echo\",\"input\":{}}");
  private BareHandlerServer bare;
  private Vertx client;

  @BeforeEach
  void start() throws Exception {
    bare = BareHandlerServer.start(2);
    client = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
  }

  @AfterEach
  void stop() throws Exception {
    client.close().await(10, TimeUnit.SECONDS);
    bare.close();
  }

  private LoadPlan plan(URI target, int concurrency, Duration warmup, Duration duration, long maxRequests) {
    return new LoadPlan(target, BODY, concurrency, warmup, duration, maxRequests, Duration.ofSeconds(5));
  }

  private static void assertAccountedFor(LoadResult r) {
    assertThat(r.issued()).isEqualTo(r.warmupCompleted() + r.successes() + r.errorCount() + r.late() + r.unfinished());
  }

  @Test
  @DisplayName("a short run against the bare handler: every success is in the histogram, no errors, all accounted for")
  void boundedRunAgainstBareHandler() throws Exception {
    List<Progress> progress = new CopyOnWriteArrayList<>();
    long start = System.nanoTime();

    LoadResult r = new LoadLoop(client, plan(bare.uri("/v1/tasks?wait=30"), 8, Duration.ofMillis(500),
        Duration.ofMillis(1500), 5_000_000), ResponseCheck.SUCCEEDED_TASK, 2).run("baseline", progress::add);

    assertThat(r.errors()).isEmpty();
    assertThat(r.successes()).isPositive().isEqualTo(r.latencies().getTotalCount());
    assertThat(r.warmupCompleted()).isPositive();
    assertThat(r.unfinished()).isZero();
    assertAccountedFor(r);
    assertThat(r.measured()).isEqualTo(Duration.ofMillis(1500));
    assertThat(r.throughput()).isEqualTo(r.successes() / 1.5);
    assertThat(r.latency().p50()).isPositive().isLessThanOrEqualTo(r.latency().p99());
    assertThat(progress).hasSizeBetween(1, 2);
    assertThat(progress.get(0).warmingUp()).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2 + 5));
  }

  @Test
  @DisplayName("the request cap ends a run early, with exactly that many requests issued")
  void requestCap() throws Exception {
    long start = System.nanoTime();

    LoadResult r = new LoadLoop(client, plan(bare.uri("/"), 16, Duration.ZERO, Duration.ofSeconds(30), 500),
        ResponseCheck.SUCCEEDED_TASK, 2).run("capped", p -> { });

    assertThat(r.issued()).isEqualTo(500);
    assertThat(r.successes()).isEqualTo(500).isEqualTo(r.latencies().getTotalCount());
    assertThat(r.measured()).isLessThan(Duration.ofSeconds(30));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  @DisplayName("failures are errors by kind, never successes: refused connections and non-SUCCEEDED answers")
  void errorsByKind() throws Exception {
    // long windows, small caps: the runs end at the cap, however slowly a cold JVM makes its first connections
    LoadResult refused = new LoadLoop(client, plan(URI.create("http://127.0.0.1:1/"), 4, Duration.ZERO,
        Duration.ofSeconds(10), 200), ResponseCheck.SUCCEEDED_TASK, 1).run("refused", p -> { });
    LoadResult wrongState = new LoadLoop(client, plan(bare.uri("/"), 4, Duration.ZERO, Duration.ofSeconds(10), 50),
        (status, body) -> status == 200 ? "state RUNNING" : "http " + status, 1).run("running", p -> { });

    assertThat(refused.successes()).isZero();
    assertThat(refused.issued()).isEqualTo(200);
    assertThat(refused.errors()).containsOnlyKeys("connection refused");
    assertThat(refused.latencies().getTotalCount()).isZero();
    assertAccountedFor(refused);
    assertThat(wrongState.errors()).containsEntry("state RUNNING", 50L);
  }

  @Test
  @DisplayName("the bare handler answers a SUCCEEDED task to POST on a port shared by all its event loops")
  void bareHandlerAnswers() {
    assertThat(ResponseCheck.SUCCEEDED_TASK.errorKind(200, Buffer.buffer(BareHandlerServer.ANSWER))).isNull();
    assertThat(ResponseCheck.SUCCEEDED_TASK.errorKind(200, Buffer.buffer("{\"state\":\"FAILED\"}")))
        .isEqualTo("state FAILED");
    assertThat(ResponseCheck.SUCCEEDED_TASK.errorKind(503, Buffer.buffer("{}"))).isEqualTo("http 503");
    assertThat(ResponseCheck.SUCCEEDED_TASK.errorKind(200, Buffer.buffer("<html>"))).isEqualTo("body not JSON");
    assertThat(bare.port()).isPositive();
  }
}
