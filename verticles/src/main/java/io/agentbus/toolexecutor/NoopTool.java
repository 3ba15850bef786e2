package io.agentbus.toolexecutor;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbus.api.Json;
import io.agentbus.api.ToolDescriptor;
import io.vertx.core.Future;

/**
 * {@code noop}: does nothing and answers {@code {value}} with the value it was given. It measures what the durable
 * path itself costs (intent, ledger, observation: {@code agentbus bench tools}) and lets a smoke test call a tool
 * without side effects.
 */
final class NoopTool implements Tool {

  static final String NAME = "noop";
  /** Calls that may run at once on a node: the tool takes no time, so the bulkhead must not be what is measured. */
  static final int MAX_CONCURRENCY = 4096;

  private static final ToolDescriptor DESCRIPTOR = new ToolDescriptor(NAME,
      "Does nothing and returns {value} with the value it was given (any JSON up to the argument limits). For smoke"
          + " tests and for measuring the durable tool path.",
      StrictObjectSchema.of("{\"value\": {}}"),
      StrictObjectSchema.of("{\"value\": {}}"),
      1000, true).withLimits(MAX_CONCURRENCY, null);

  @Override
  public ToolDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public Future<JsonNode> call(JsonNode arguments, ToolContext context) {
    JsonNode value = arguments.get("value");
    return Future.succeededFuture(Json.object().set("value", value == null ? Json.MAPPER.nullNode() : value.deepCopy()));
  }
}
