package io.agentbus.toolexecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.agentbus.api.Addresses;
import io.agentbus.api.Codecs;
import io.agentbus.api.ToolCall;
import io.agentbus.api.ToolList;
import io.agentbus.api.ToolOutcome;
import io.agentbus.config.NodeConfig;
import io.agentbus.config.NodeContext;
import io.agentbus.config.NodeLifecycle;
import io.agentbus.config.Setting;
import io.agentbus.events.Topics;
import io.agentbus.testing.BlockedEventLoopGuard;
import io.agentbus.testing.SharedInfra;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.healthchecks.HealthChecks;
import java.util.UUID;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A Vert.x with the blocked-event-loop guard and the agentbus codecs, a tool-executor deployed on it (its intents and
 * observations in topics of its own on the shared real Kafka, its ledger in the shared real Hazelcast member), and
 * helpers to drive it over the event bus and read its meters.
 */
final class ToolExecutorHarness {

  static final long WAIT_SECONDS = 10;

  /** Blocked-thread warnings carry a stack trace after 100 ms, so a failure shows what blocked. */
  final Vertx vertx = Vertx.vertx(BlockedEventLoopGuard.options()
      .setWarningExceptionTime(100).setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS));
  final BlockedEventLoopGuard guard = BlockedEventLoopGuard.install(vertx);
  final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final String nodeId = "harness-" + UUID.randomUUID().toString().substring(0, 8);
  NodeConfig config;

  ToolExecutorHarness() {
    Codecs.register(vertx.eventBus());
    // worker threads start on first use, and starting a thread can take hundreds of milliseconds on a loaded
    // sandbox: start a few from this thread, not from an event loop's first executeBlocking
    List<Future<Object>> warm = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      warm.add(vertx.executeBlocking(() -> {
        Thread.sleep(20);
        return null;
      }, false));
    }
    warm.forEach(ToolExecutorHarness::await);
  }

  ToolExecutorHarness deploy(NodeConfig config, Tool... extraTools) {
    await(vertx.deployVerticle(new ToolExecutorVerticle(context(config), List.of(extraTools))));
    return this;
  }

  /** Deploys and returns why deployment failed. */
  Throwable deployFailure(NodeConfig config, Tool... extraTools) {
    return catchThrowableOfType(ExecutionException.class,
        () -> vertx.deployVerticle(new ToolExecutorVerticle(context(config), List.of(extraTools)))
            .toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS)).getCause();
  }

  /** {@code settings} on topics and a consumer group of this harness's own, with their topics created. */
  private NodeContext context(NodeConfig settings) {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    config = settings
        .with(Setting.KAFKA_TOPIC_TASKS, "tasks-" + suffix)
        .with(Setting.KAFKA_TOPIC_INTENT, "intent-" + suffix)
        .with(Setting.KAFKA_TOPIC_OBSERVATION, "observation-" + suffix)
        .with(Setting.KAFKA_TOPIC_DEAD_LETTER, "dead-letter-" + suffix)
        .with(Setting.KAFKA_TOPIC_PARTITIONS, 2)
        .with(Setting.TOOLS_CONSUMER_GROUP, "executors-" + suffix)
        .with(Setting.TOOLS_LAG_INTERVAL_MS, 200);
    String bootstrap = SharedInfra.kafkaBootstrap();
    SharedInfra.hazelcast().getMap(IdempotencyLedger.MAP).clear();
    await(Topics.ensure(vertx, config, bootstrap));
    return new NodeContext(nodeId, config, meters, SharedInfra.hazelcast(), bootstrap, HealthChecks.create(vertx),
        new NodeLifecycle());
  }

  ToolOutcome invoke(ToolCall call) {
    return await(vertx.eventBus().<ToolOutcome>request(Addresses.TOOLS_INVOKE, call)).body();
  }

  /** A call with a task and call id of its own, so it is never a duplicate of another. */
  ToolOutcome invoke(String tool, String argumentsJson) {
    return invoke(new ToolCall(tool, Tools.json(argumentsJson), "task-" + UUID.randomUUID(), "call-1", null));
  }

  ToolList list() {
    return await(vertx.eventBus().<ToolList>request(Addresses.TOOLS_LIST, null)).body();
  }

  /** Sends {@code body} to TOOLS_INVOKE, expecting a failure reply. */
  ReplyException invokeExpectingFailure(Object body) {
    Throwable failure = catchThrowableOfType(ExecutionException.class,
        () -> vertx.eventBus().request(Addresses.TOOLS_INVOKE, body)
            .toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS)).getCause();
    assertThat(failure).isInstanceOf(ReplyException.class);
    return (ReplyException) failure;
  }

  double calls(String tool, String outcome) {
    Counter counter = meters.find(ToolMetrics.CALLS).tag("tool", tool).tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  double totalCalls(String tool) {
    return meters.find(ToolMetrics.CALLS).tag("tool", tool).counters().stream().mapToDouble(Counter::count).sum();
  }

  double running(String tool) {
    Gauge gauge = meters.find(ToolMetrics.RUNNING).tag("tool", tool).gauge();
    return gauge == null ? 0 : gauge.value();
  }

  /** Fails the test unless no event loop was blocked, then closes Vert.x. */
  void close() {
    try {
      guard.assertNoneBlocked();
    } finally {
      await(vertx.close());
    }
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("future did not succeed within " + WAIT_SECONDS + " s", e);
    }
  }

  /** Waits, at most {@code bound}, for {@code condition}; fails the test if it does not become true. */
  static void eventually(Duration bound, String what, BooleanSupplier condition) {
    eventually(bound, 10, what, condition);
  }

  /** The same, checking only every {@code intervalMs} (for costly checks such as reading a topic). */
  static void eventually(Duration bound, long intervalMs, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not true within " + bound.toMillis() + " ms: " + what);
      }
      try {
        Thread.sleep(intervalMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
