package io.agentbus.toolexecutor;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.Json;
import io.agentbus.api.ToolDescriptor;
import io.burt.jmespath.Expression;
import io.burt.jmespath.JmesPathException;
import io.burt.jmespath.RuntimeConfiguration;
import io.burt.jmespath.jackson.JacksonRuntime;
import io.burt.jmespath.parser.ParseException;
import io.vertx.core.Future;

/**
 * {@code json_query}: a JMESPath expression over a JSON document. A query over a large document is CPU work of
 * unbounded length, so it runs on a worker thread.
 */
final class JsonQueryTool implements Tool {

  static final String NAME = "json_query";
  static final int MAX_EXPRESSION_LENGTH = 1000;

  private static final ToolDescriptor DESCRIPTOR = new ToolDescriptor(NAME,
      "Evaluates a JMESPath expression (https://jmespath.org) against a JSON document, for example "
          + "'people[?age > `30`].name' or 'max_by(items, &price).name'.",
      StrictObjectSchema.of("""
          {
            "document": {"description": "Any JSON value"},
            "expression": {"type": "string", "minLength": 1, "maxLength": %d}
          }""".formatted(MAX_EXPRESSION_LENGTH), "document", "expression"),
      StrictObjectSchema.of("""
          {"value": {"description": "What the expression selected; null if nothing"}}""", "value"),
      5000, true);

  private final JacksonRuntime jmespath = new JacksonRuntime(RuntimeConfiguration.defaultConfiguration(), Json.MAPPER);

  @Override
  public ToolDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public Future<JsonNode> call(JsonNode arguments, ToolContext context) {
    String text = arguments.get("expression").asText();
    JsonNode document = arguments.get("document");
    return context.vertx().executeBlocking(() -> Json.object().set("value", search(text, document)), false);
  }

  private JsonNode search(String text, JsonNode document) {
    Expression<JsonNode> expression;
    try {
      expression = jmespath.compile(text);
    } catch (ParseException e) {
      throw new AgentbusException(ErrorCode.TOOL_FAILED, "invalid JMESPath expression: " + e.getMessage());
    }
    try {
      return expression.search(document);
    } catch (JmesPathException e) {
      throw new AgentbusException(ErrorCode.TOOL_FAILED, "cannot evaluate '" + text + "': " + e.getMessage());
    }
  }
}
