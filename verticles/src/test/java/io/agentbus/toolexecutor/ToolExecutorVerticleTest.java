package io.agentbus.toolexecutor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.ToolCall;
import io.agentbus.api.ToolDescriptor;
import io.agentbus.api.ToolList;
import io.agentbus.api.ToolOutcome;
import io.agentbus.config.NodeConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.ReplyException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ToolExecutorVerticleTest {

  private final ToolExecutorHarness harness = new ToolExecutorHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  @Test
  @DisplayName("A call to a tool nobody registered is answered with unknown-tool")
  void unknownTool() {
    harness.deploy(NodeConfig.defaults());

    ToolOutcome outcome = harness.invoke("no_such_tool", "{}");

    assertThat(outcome.ok()).isFalse();
    assertThat(outcome.tool()).isEqualTo("no_such_tool");
    assertThat(outcome.callId()).isEqualTo("call-1");
    assertThat(outcome.error().code()).isEqualTo(ErrorCode.UNKNOWN_TOOL.slug());
    assertThat(outcome.error().message()).contains("no_such_tool");
    assertThat(harness.calls(ToolMetrics.UNKNOWN_TOOL_TAG, "unknown_tool")).isEqualTo(1);
  }

  @Test
  @DisplayName("A body that is not a well-formed ToolCall fails the message with invalid-request")
  void malformedRequestsFail() {
    harness.deploy(NodeConfig.defaults());

    for (Object body : new Object[] {null, "calculator", new ToolCall(null, Tools.json("{}"), "t", "c", null),
        new ToolCall(" ", Tools.json("{}"), "t", "c", null),
        new ToolCall("calculator", Tools.json("{\"expression\": \"1\"}"), "t", "c", 0L)}) {
      ReplyException failure = harness.invokeExpectingFailure(body);
      assertThat(failure.failureCode()).as("body %s", body).isEqualTo(ErrorCode.INVALID_REQUEST.code());
    }
    assertThat(harness.meters.find(ToolMetrics.CALLS).counters()).as("malformed requests are no tool calls").isEmpty();
  }

  @Test
  @DisplayName("The tool list carries every tool's descriptor with its schemas and resolved time limit")
  void listsToolsWithSchemas() {
    harness.deploy(NodeConfig.defaults().with(io.agentbus.config.Setting.TOOLS_DEFAULT_TIMEOUT_MS, 4321),
        Tools.counting());

    ToolList list = harness.list();
    Map<String, ToolDescriptor> byName = list.tools().stream()
        .collect(Collectors.toMap(ToolDescriptor::name, Function.identity()));

    assertThat(byName).containsOnlyKeys("calculator", "counting", "http_fetch", "json_query", "noop", "sql_query");
    ToolDescriptor calculator = byName.get("calculator");
    assertThat(calculator.description()).isNotBlank();
    assertThat(calculator.argumentsSchema().get("required").toString()).isEqualTo("[\"expression\"]");
    assertThat(calculator.argumentsSchema().get("additionalProperties").booleanValue()).isFalse();
    assertThat(calculator.argumentsSchema().at("/properties/expression/maxLength").intValue())
        .isEqualTo(CalculatorTool.MAX_EXPRESSION_LENGTH);
    assertThat(calculator.resultSchema().at("/properties/value/type").asText()).isEqualTo("number");
    assertThat(calculator.idempotent()).isTrue();
    assertThat(byName.get("json_query").argumentsSchema().get("required").toString())
        .isEqualTo("[\"document\",\"expression\"]");
    assertThat(byName.get("http_fetch").timeoutMs()).isEqualTo(5000);
    assertThat(byName.get("sql_query").maxConcurrency()).isEqualTo(SqlQueryTool.MAX_CONCURRENCY);
    assertThat(byName.get("sql_query").retry().maxAttempts()).isEqualTo(3);
    assertThat(byName.get("counting").maxConcurrency()).as("no declared limit: the node default").isEqualTo(64);
    assertThat(byName.get("calculator").circuit().state()).isEqualTo("closed");
    assertThat(byName.get("counting").timeoutMs()).as("no declared limit: the node default").isEqualTo(4321);
  }

  @Test
  @DisplayName("noop answers the value it was given, and nothing but an object with value is accepted")
  void noopEchoesItsValue() {
    harness.deploy(NodeConfig.defaults());

    ToolOutcome echoed = harness.invoke("noop", "{\"value\": {\"n\": [1, 2.5, \"three\"]}}");
    ToolOutcome refused = harness.invoke("noop", "{\"value\": 1, \"other\": 2}");

    assertThat(echoed.ok()).isTrue();
    assertThat(echoed.result().toString()).isEqualTo("{\"value\":{\"n\":[1,2.5,\"three\"]}}");
    assertThat(refused.ok()).isFalse();
    assertThat(refused.error().code()).isEqualTo(ErrorCode.INVALID_TOOL_ARGUMENTS.slug());
  }

  @Test
  @DisplayName("A tool's failure becomes tool-failed with its message")
  void toolFailure() {
    harness.deploy(NodeConfig.defaults(),
        Tools.behaving("broken", 0, (args, ctx) -> Future.failedFuture(new IllegalStateException("disk on fire"))),
        Tools.behaving("throwing", 0, (args, ctx) -> {
          throw new IllegalArgumentException("thrown, not returned");
        }));

    ToolOutcome failed = harness.invoke("broken", "{}");
    ToolOutcome thrown = harness.invoke("throwing", "{}");

    assertThat(failed.error().code()).isEqualTo(ErrorCode.TOOL_FAILED.slug());
    assertThat(failed.error().message()).isEqualTo("disk on fire");
    assertThat(thrown.error().code()).isEqualTo(ErrorCode.TOOL_FAILED.slug());
    assertThat(thrown.error().message()).isEqualTo("thrown, not returned");
    assertThat(harness.calls("broken", "failed")).isEqualTo(1);
    assertThat(harness.calls("throwing", "failed")).isEqualTo(1);
    assertThat(harness.running("broken")).isZero();
  }

  @Test
  @DisplayName("A tool's own error code (a policy refusal) reaches the caller unchanged")
  void toolsOwnCode() {
    harness.deploy(NodeConfig.defaults(), Tools.behaving("strict", 0, (args, ctx) ->
        Future.failedFuture(new AgentbusException(ErrorCode.TOOL_DENIED, "not on a Sunday"))));

    ToolOutcome outcome = harness.invoke("strict", "{}");

    assertThat(outcome.error().code()).isEqualTo(ErrorCode.TOOL_DENIED.slug());
    assertThat(outcome.error().message()).isEqualTo("not on a Sunday");
    assertThat(harness.calls("strict", "denied")).isEqualTo(1);
  }

  @Test
  @DisplayName("A tool whose own time limit fires (a TimeoutException) reports tool-timeout")
  void toolsOwnTimeout() {
    harness.deploy(NodeConfig.defaults(), Tools.behaving("impatient", 0, (args, ctx) ->
        Future.failedFuture(new java.util.concurrent.TimeoutException("upstream took too long"))));

    ToolOutcome outcome = harness.invoke("impatient", "{}");

    assertThat(outcome.error().code()).isEqualTo(ErrorCode.TOOL_TIMEOUT.slug());
    assertThat(outcome.error().message()).isEqualTo("upstream took too long");
    assertThat(harness.calls("impatient", "timeout")).isEqualTo(1);
  }

  @Test
  @DisplayName("A result that does not match the declared result schema is tool-failed, not passed on")
  void resultMustMatchItsSchema() {
    harness.deploy(NodeConfig.defaults(),
        Tools.behaving("sloppy", 0, (args, ctx) -> Future.succeededFuture(Tools.json("{\"ok\": \"yes\"}"))),
        Tools.behaving("silent", 0, (args, ctx) -> Future.succeededFuture(null)));

    ToolOutcome sloppy = harness.invoke("sloppy", "{}");
    ToolOutcome silent = harness.invoke("silent", "{}");

    assertThat(sloppy.ok()).isFalse();
    assertThat(sloppy.result()).isNull();
    assertThat(sloppy.error().code()).isEqualTo(ErrorCode.TOOL_FAILED.slug());
    assertThat(sloppy.error().message())
        .isEqualTo("the result of tool sloppy does not match its declared result schema: "
            + "/ok: Instance type string is invalid. Expected boolean");
    assertThat(silent.error().code()).isEqualTo(ErrorCode.TOOL_FAILED.slug());
    assertThat(harness.calls("sloppy", "failed")).isEqualTo(1);
  }

  @Test
  @DisplayName("A result completed from a foreign thread is delivered, and the call's duration is measured")
  void resultFromAnotherThreadWithDuration() {
    harness.deploy(NodeConfig.defaults(), Tools.behaving("offloaded", 0, (args, ctx) -> {
      Promise<JsonNode> promise = Promise.promise();
      CompletableFuture.delayedExecutor(120, java.util.concurrent.TimeUnit.MILLISECONDS)
          .execute(() -> promise.complete(Tools.json("{\"ok\": true}")));
      return promise.future();
    }));

    ToolOutcome outcome = harness.invoke("offloaded", "{}");

    assertThat(outcome.ok()).isTrue();
    assertThat(outcome.durationMs()).isBetween(120L, ToolExecutorHarness.WAIT_SECONDS * 1000);
    assertThat(harness.meters.find(ToolMetrics.DURATION).tag("tool", "offloaded").timer().count()).isEqualTo(1);
    assertThat(harness.meters.find(ToolMetrics.DURATION).tag("tool", "offloaded").timer()
        .totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(120);
  }

  @Test
  @DisplayName("Two tools with one name fail deployment")
  void duplicateNamesAreRejected() {
    Throwable failure = harness.deployFailure(NodeConfig.defaults(), Tools.counting(), Tools.counting());

    assertThat(failure).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a tool named counting is already registered");
  }

  @Test
  @DisplayName("A built-in name cannot be taken by another tool")
  void builtInNamesAreTaken() {
    Throwable failure = harness.deployFailure(NodeConfig.defaults(),
        Tools.behaving("calculator", 0, (args, ctx) -> Future.succeededFuture(Tools.json("{\"ok\": true}"))));

    assertThat(failure).hasMessage("a tool named calculator is already registered");
  }

  @Test
  @DisplayName("A schema that is not valid JSON Schema fails registration, naming the problem")
  void invalidSchemasAreRejected() {
    Tool typo = new Tools.TestTool("typo", "{\"type\": \"objekt\"}", null, 0,
        (args, ctx) -> Future.succeededFuture(Tools.json("{}")));
    Tool badRef = new Tools.TestTool("bad_ref", "{\"properties\": {\"a\": {\"$ref\": \"#/$defs/missing\"}}}", null, 0,
        (args, ctx) -> Future.succeededFuture(Tools.json("{}")));

    assertThat(harness.deployFailure(NodeConfig.defaults(), typo))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("arguments schema of tool typo is not a valid JSON Schema: /type: ");
    assertThat(harness.deployFailure(NodeConfig.defaults(), badRef))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("arguments schema of tool bad_ref cannot be compiled")
        .hasMessageContaining("#/$defs/missing");
  }

  @Test
  @DisplayName("A tool name outside [a-z][a-z0-9_]* is rejected")
  void badNamesAreRejected() {
    Tool shouting = Tools.behaving("Shout-Tool", 0, (args, ctx) -> Future.succeededFuture(Tools.json("{}")));

    assertThat(harness.deployFailure(NodeConfig.defaults(), shouting)).hasMessageContaining("Shout-Tool");
  }
}
