package io.agentbus.toolexecutor;

import static io.agentbus.toolexecutor.ToolExecutorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentbus.api.Addresses;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.ToolCall;
import io.agentbus.api.ToolDescriptor;
import io.agentbus.api.ToolOutcome;
import io.agentbus.api.ToolRetryPolicy;
import io.agentbus.config.NodeConfig;
import io.agentbus.config.Setting;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Circuit breakers, retries and bulkheads around tools, through the durable path. */
class GuardsTest {

  private final ToolExecutorHarness harness = new ToolExecutorHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  private ToolOutcome call(String tool) {
    return harness.invoke(tool, "{}");
  }

  private String circuit(String tool) {
    return harness.list().tools().stream().filter(t -> t.name().equals(tool)).findFirst().orElseThrow()
        .circuit().state();
  }

  private double circuitGauge(String tool) {
    Gauge g = harness.meters.find(ToolMetrics.CIRCUIT_STATE).tag("tool", tool).gauge();
    return g == null ? -1 : g.value();
  }

  @Test
  @DisplayName("A failing tool opens its breaker after N failures, fails fast while open, half-opens after the reset time and closes on a success")
  void breakerOpensFailsFastHalfOpensAndCloses() {
    AtomicBoolean healthy = new AtomicBoolean(false);
    Tools.TestTool flaky = Tools.declared("flaky", false, 0, null, (args, ctx) -> healthy.get()
        ? Future.succeededFuture(Tools.json("{\"ok\": true}"))
        : Future.failedFuture(new IllegalStateException("backend down")));
    harness.deploy(NodeConfig.defaults().with(Setting.TOOLS_BREAKER_MAX_FAILURES, 3)
        .with(Setting.TOOLS_BREAKER_RESET_MS, 1500), flaky);

    for (int i = 0; i < 3; i++) {
      assertThat(call("flaky").error().code()).isEqualTo(ErrorCode.TOOL_FAILED.slug());
    }
    assertThat(flaky.calls).hasValue(3);
    assertThat(circuit("flaky")).isEqualTo("open");
    assertThat(circuitGauge("flaky")).isEqualTo(2);
    assertThat(harness.meters.scrape()).contains("agentbus_tool_circuit_state{tool=\"flaky\"} 2.0")
        .contains("agentbus_tool_circuit_opened_total{tool=\"flaky\"} 1.0");

    ToolOutcome fast = call("flaky");
    assertThat(fast.error().code()).isEqualTo(ErrorCode.TOOL_UNAVAILABLE.slug());
    assertThat(flaky.calls).as("an open breaker keeps calls from the tool").hasValue(3);
    assertThat(harness.calls("flaky", "circuit_open")).isEqualTo(1);

    eventually(Duration.ofSeconds(10), "the breaker half-opens after its reset time",
        () -> circuit("flaky").equals("half_open"));
    assertThat(circuitGauge("flaky")).isEqualTo(1);
    healthy.set(true);
    ToolOutcome trial = call("flaky");
    assertThat(trial.ok()).isTrue();
    assertThat(circuit("flaky")).isEqualTo("closed");
    assertThat(circuitGauge("flaky")).isZero();
    assertThat(call("flaky").ok()).isTrue();
    assertThat(flaky.calls).hasValue(5);
  }

  @Test
  @DisplayName("A half-open breaker that fails its trial opens again")
  void failedTrialReopens() {
    Tools.TestTool broken = Tools.declared("broken", false, 0, null,
        (args, ctx) -> Future.failedFuture(new IllegalStateException("still down")));
    harness.deploy(NodeConfig.defaults().with(Setting.TOOLS_BREAKER_MAX_FAILURES, 2)
        .with(Setting.TOOLS_BREAKER_RESET_MS, 1000), broken);

    call("broken");
    call("broken");
    assertThat(circuit("broken")).isEqualTo("open");
    eventually(Duration.ofSeconds(10), "half-open", () -> circuit("broken").equals("half_open"));

    assertThat(call("broken").error().code()).isEqualTo(ErrorCode.TOOL_FAILED.slug());
    assertThat(circuit("broken")).isEqualTo("open");
    assertThat(broken.calls).hasValue(3);
  }

  @Test
  @DisplayName("Policy refusals do not count against the breaker")
  void refusalsDoNotOpenTheBreaker() {
    Tools.TestTool strict = Tools.declared("strict", false, 0, null,
        (args, ctx) -> Future.failedFuture(new AgentbusException(ErrorCode.TOOL_DENIED, "not allowed")));
    harness.deploy(NodeConfig.defaults().with(Setting.TOOLS_BREAKER_MAX_FAILURES, 2), strict);

    for (int i = 0; i < 5; i++) {
      assertThat(call("strict").error().code()).isEqualTo(ErrorCode.TOOL_DENIED.slug());
    }
    assertThat(circuit("strict")).isEqualTo("closed");
    assertThat(strict.calls).hasValue(5);
  }

  @Test
  @DisplayName("An idempotent tool's failed attempts are retried with backoff until one succeeds; a non-idempotent tool is tried once")
  void retriesOnlyIdempotentTools() {
    AtomicInteger attempts = new AtomicInteger();
    Tools.TestTool retried = Tools.declared("retried", true, 0, ToolRetryPolicy.exponential(4, 20, 200),
        (args, ctx) -> attempts.incrementAndGet() < 3
            ? Future.failedFuture(new IllegalStateException("transient"))
            : Future.succeededFuture(Tools.json("{\"ok\": true}")));
    Tools.TestTool once = Tools.declared("once", false, 0, null,
        (args, ctx) -> Future.failedFuture(new IllegalStateException("transient")));
    harness.deploy(NodeConfig.defaults(), retried, once);

    ToolOutcome outcome = call("retried");
    ToolOutcome single = call("once");

    assertThat(outcome.ok()).as(String.valueOf(outcome.error())).isTrue();
    assertThat(retried.calls).as("two failures, then a success").hasValue(3);
    assertThat(single.error().code()).isEqualTo(ErrorCode.TOOL_FAILED.slug());
    assertThat(once.calls).hasValue(1);
  }

  @Test
  @DisplayName("Retries stop at the policy's attempts and report the last failure")
  void retriesAreBounded() {
    Tools.TestTool failing = Tools.declared("failing", true, 0, ToolRetryPolicy.exponential(3, 10, 50),
        (args, ctx) -> Future.failedFuture(new IllegalStateException("attempt failed")));
    harness.deploy(NodeConfig.defaults(), failing);

    ToolOutcome outcome = call("failing");

    assertThat(outcome.error().message()).isEqualTo("attempt failed");
    assertThat(failing.calls).hasValue(3);
  }

  @Test
  @DisplayName("A non-idempotent tool that declares retries is refused at registration")
  void retriesNeedIdempotence() {
    Throwable failure = harness.deployFailure(NodeConfig.defaults(), new Tools.TestTool(new ToolDescriptor("risky",
        "r", Tools.json("{}"), null, 0, false, 0, ToolRetryPolicy.exponential(3, 10, 100), null), (a, c) -> null));

    assertThat(failure).hasMessageContaining("risky is not idempotent, so it must not declare retries");
  }

  @Test
  @DisplayName("The bulkhead lets at most max-concurrency calls of a tool run at once; the others wait their turn")
  void bulkheadBoundsConcurrency() {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    Tools.TestTool narrow = Tools.declared("narrow", false, 2, null, (args, ctx) -> {
      peak.accumulateAndGet(running.incrementAndGet(), Math::max);
      Promise<com.fasterxml.jackson.databind.JsonNode> done = Promise.promise();
      ctx.vertx().setTimer(150, id -> {
        running.decrementAndGet();
        done.complete(Tools.json("{\"ok\": true}"));
      });
      return done.future();
    });
    harness.deploy(NodeConfig.defaults(), narrow);

    List<Future<Message<ToolOutcome>>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      calls.add(harness.vertx.eventBus().request(Addresses.TOOLS_INVOKE,
          new ToolCall("narrow", Tools.json("{}"), "task-" + UUID.randomUUID(), "c", null)));
    }

    assertThat(calls).allSatisfy(c -> assertThat(ToolExecutorHarness.await(c).body().ok()).isTrue());
    assertThat(narrow.calls).hasValue(8);
    assertThat(peak.get()).isEqualTo(2);
  }

  @Test
  @DisplayName("Past the bulkhead's queue, calls fail fast with tool-busy")
  void fullQueueIsBusy() {
    List<Promise<com.fasterxml.jackson.databind.JsonNode>> held = new ArrayList<>();
    Tools.TestTool stuck = Tools.declared("stuck", false, 1, null, (args, ctx) -> {
      Promise<com.fasterxml.jackson.databind.JsonNode> p = Promise.promise();
      held.add(p);
      return p.future();
    });
    harness.deploy(NodeConfig.defaults().with(Setting.TOOLS_BULKHEAD_QUEUE, 1), stuck);

    List<Future<Message<ToolOutcome>>> calls = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      calls.add(harness.vertx.eventBus().request(Addresses.TOOLS_INVOKE,
          new ToolCall("stuck", Tools.json("{}"), "task-" + UUID.randomUUID(), "c", 20_000L)));
    }
    eventually(Duration.ofSeconds(20), "one call fails busy", () -> calls.stream().anyMatch(Future::isComplete));
    ToolOutcome busy = calls.stream().filter(Future::isComplete).findFirst().orElseThrow().result().body();
    assertThat(busy.error().code()).isEqualTo(ErrorCode.TOOL_BUSY.slug());
    assertThat(stuck.calls).hasValue(1);
    harness.vertx.runOnContext(v -> held.forEach(p -> p.tryComplete(Tools.json("{\"ok\": true}"))));
    eventually(Duration.ofSeconds(20), "the queued call runs once the first is done", () -> stuck.calls.get() == 2);
    harness.vertx.runOnContext(v -> held.forEach(p -> p.tryComplete(Tools.json("{\"ok\": true}"))));
    eventually(Duration.ofSeconds(20), "all answered", () -> calls.stream().allMatch(Future::isComplete));
  }
}
