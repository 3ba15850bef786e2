package io.agentbus.toolexecutor;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbus.api.Json;
import io.agentbus.api.ToolDescriptor;
import io.agentbus.api.ToolRetryPolicy;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/** Tools for tests: each counts its calls and keeps their contexts; what a call does is given as a function. */
final class Tools {

  /** The arguments schema of {@link #counting()}: several kinds of constraint to violate. */
  static final String STRICT_SCHEMA = """
      {
        "type": "object",
        "properties": {
          "n": {"type": "integer", "minimum": 0, "maximum": 100},
          "label": {"type": "string", "maxLength": 8},
          "mode": {"enum": ["fast", "slow"]},
          "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 3},
          "options": {
            "type": "object",
            "properties": {"verbose": {"type": "boolean"}},
            "additionalProperties": false
          }
        },
        "required": ["n", "label"],
        "additionalProperties": false
      }""";

  static final String OK_RESULT_SCHEMA = """
      {"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"], "additionalProperties": false}""";

  private Tools() {
  }

  static JsonNode json(String text) {
    return Json.fromString(text, JsonNode.class);
  }

  /** A tool with the strict schema that answers {@code {"ok": true}}. */
  static TestTool counting() {
    return new TestTool("counting", STRICT_SCHEMA, OK_RESULT_SCHEMA, 0,
        (args, ctx) -> Future.succeededFuture(json("{\"ok\": true}")));
  }

  /** A tool with any-object arguments and the {@code {"ok": boolean}} result schema that behaves as told. */
  static TestTool behaving(String name, long timeoutMs, BiFunction<JsonNode, ToolContext, Future<JsonNode>> behaviour) {
    return new TestTool(name, "{\"type\": \"object\"}", OK_RESULT_SCHEMA, timeoutMs, behaviour);
  }

  /** A tool with any-object arguments declared as given (idempotency, bulkhead, retries) that behaves as told. */
  static TestTool declared(String name, boolean idempotent, int maxConcurrency, ToolRetryPolicy retry,
                           BiFunction<JsonNode, ToolContext, Future<JsonNode>> behaviour) {
    return new TestTool(new ToolDescriptor(name, "test tool " + name, json("{\"type\": \"object\"}"),
        json(OK_RESULT_SCHEMA), 0, idempotent, maxConcurrency, retry, null), behaviour);
  }

  static final class TestTool implements Tool {

    private final ToolDescriptor descriptor;
    private final BiFunction<JsonNode, ToolContext, Future<JsonNode>> behaviour;
    final AtomicInteger calls = new AtomicInteger();
    final List<ToolContext> contexts = new CopyOnWriteArrayList<>();

    TestTool(String name, String argumentsSchema, String resultSchema, long timeoutMs,
             BiFunction<JsonNode, ToolContext, Future<JsonNode>> behaviour) {
      this(new ToolDescriptor(name, "test tool " + name, json(argumentsSchema),
          resultSchema == null ? null : json(resultSchema), timeoutMs, false), behaviour);
    }

    TestTool(ToolDescriptor descriptor, BiFunction<JsonNode, ToolContext, Future<JsonNode>> behaviour) {
      this.descriptor = descriptor;
      this.behaviour = behaviour;
    }

    @Override
    public ToolDescriptor descriptor() {
      return descriptor;
    }

    @Override
    public Future<JsonNode> call(JsonNode arguments, ToolContext context) {
      calls.incrementAndGet();
      contexts.add(context);
      return behaviour.apply(arguments, context);
    }
  }
}
