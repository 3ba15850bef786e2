package io.agentbus.toolexecutor;

import static io.agentbus.toolexecutor.ToolExecutorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.ToolCall;
import io.agentbus.api.ToolOutcome;
import io.agentbus.config.NodeConfig;
import io.agentbus.config.Setting;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ToolTimeoutTest {

  private final ToolExecutorHarness harness = new ToolExecutorHarness();
  /** The futures handed out by the stalling tool, for a test to complete late. */
  private final List<Promise<JsonNode>> pending = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    harness.close();
  }

  private Tools.TestTool stalling(String name, long declaredTimeoutMs) {
    return Tools.behaving(name, declaredTimeoutMs, (args, ctx) -> {
      Promise<JsonNode> promise = Promise.promise();
      pending.add(promise);
      return promise.future();
    });
  }

  @Test
  @DisplayName("A tool that never completes is answered with tool-timeout, and its late result changes nothing")
  void timesOutAndDropsTheLateResult() {
    Tools.TestTool stall = stalling("stall", 200);
    harness.deploy(NodeConfig.defaults(), stall);

    ToolOutcome outcome = harness.invoke("stall", "{}");

    assertThat(outcome.ok()).isFalse();
    assertThat(outcome.error().code()).isEqualTo(ErrorCode.TOOL_TIMEOUT.slug());
    assertThat(outcome.error().message()).isEqualTo("tool stall did not finish within 200 ms");
    assertThat(outcome.durationMs()).isGreaterThanOrEqualTo(200);
    eventually(Duration.ofSeconds(5), "the tool is told it was abandoned",
        () -> stall.contexts.get(0).abandoned().isComplete());
    assertThat(harness.running("stall")).as("the tool has not finished yet").isEqualTo(1);

    pending.get(0).complete(Tools.json("{\"ok\": true}"));

    eventually(Duration.ofSeconds(5), "the late completion is noticed", () -> harness.running("stall") == 0);
    assertThat(harness.calls("stall", "timeout")).isEqualTo(1);
    assertThat(harness.calls("stall", "ok")).isZero();
    assertThat(harness.totalCalls("stall")).isEqualTo(1);
  }

  @Test
  @DisplayName("After a timeout the executor keeps serving: the next call to the same tool succeeds")
  void keepsServingAfterATimeout() {
    harness.deploy(NodeConfig.defaults(), stalling("stall", 150));

    assertThat(harness.invoke("stall", "{}").error().code()).isEqualTo(ErrorCode.TOOL_TIMEOUT.slug());
    pending.get(0).fail("late failure");

    var second = harness.vertx.eventBus().<ToolOutcome>request(io.agentbus.api.Addresses.TOOLS_INVOKE,
        new ToolCall("stall", Tools.json("{}"), "t", "second", null));
    eventually(Duration.ofSeconds(5), "the second call reaches the tool", () -> pending.size() == 2);
    pending.get(1).complete(Tools.json("{\"ok\": true}"));
    ToolOutcome outcome = ToolExecutorHarness.await(second).body();

    assertThat(outcome.ok()).isTrue();
    assertThat(outcome.callId()).isEqualTo("second");
    assertThat(harness.calls("stall", "timeout")).isEqualTo(1);
    assertThat(harness.calls("stall", "ok")).isEqualTo(1);
    eventually(Duration.ofSeconds(5), "nothing left running", () -> harness.running("stall") == 0);
  }

  @Test
  @DisplayName("The call's own limit applies when it is shorter than the tool's: what is left of it when the tool starts")
  void callLimitWinsWhenShorter() {
    Tools.TestTool stall = stalling("stall", 60_000);
    harness.deploy(NodeConfig.defaults(), stall);

    ToolOutcome outcome = harness.invoke(new ToolCall("stall", Tools.json("{}"), "t", "c", 1500L));

    long limit = stall.contexts.get(0).timeoutMs();
    assertThat(limit).as("the call's 1500 ms less the time its intent took to reach the executor")
        .isLessThanOrEqualTo(1500).isPositive();
    assertThat(outcome.error().message()).isEqualTo("tool stall did not finish within " + limit + " ms");
  }

  @Test
  @DisplayName("The tool's limit applies when it is shorter than the call's")
  void toolLimitWinsWhenShorter() {
    harness.deploy(NodeConfig.defaults(), stalling("stall", 150));

    ToolOutcome outcome = harness.invoke(new ToolCall("stall", Tools.json("{}"), "t", "c", 60_000L));

    assertThat(outcome.error().message()).isEqualTo("tool stall did not finish within 150 ms");
  }

  @Test
  @DisplayName("A tool that declares no limit gets tools.default-timeout-ms")
  void defaultLimit() {
    harness.deploy(NodeConfig.defaults().with(Setting.TOOLS_DEFAULT_TIMEOUT_MS, 150), stalling("stall", 0));

    ToolOutcome outcome = harness.invoke("stall", "{}");

    assertThat(outcome.error().message()).isEqualTo("tool stall did not finish within 150 ms");
  }
}
