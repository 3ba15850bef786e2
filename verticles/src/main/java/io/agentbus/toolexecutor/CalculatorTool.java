package io.agentbus.toolexecutor;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.Json;
import io.agentbus.api.ToolDescriptor;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import net.objecthunter.exp4j.Expression;
import net.objecthunter.exp4j.ExpressionBuilder;

/**
 * {@code calculator}: evaluates an arithmetic expression (exp4j: + - * / ^ %, parentheses, the usual functions, pi
 * and e) with optional named variables. Bounded input makes it cheap enough to run on the event loop.
 */
final class CalculatorTool implements Tool {

  static final String NAME = "calculator";
  static final int MAX_EXPRESSION_LENGTH = 1000;

  private static final ToolDescriptor DESCRIPTOR = new ToolDescriptor(NAME,
      "Evaluates an arithmetic expression such as '(a + 2) * sqrt(16) / 3'. Operators + - * / ^ %, functions "
          + "abs, sqrt, cbrt, exp, log, log10, log2, sin, cos, tan, floor, ceil, signum and more; constants pi, e.",
      StrictObjectSchema.of("""
          {
            "expression": {"type": "string", "minLength": 1, "maxLength": %d},
            "variables": {
              "type": "object",
              "maxProperties": 32,
              "propertyNames": {"pattern": "^[A-Za-z_][A-Za-z0-9_]{0,31}$"},
              "additionalProperties": {"type": "number"}
            }
          }""".formatted(MAX_EXPRESSION_LENGTH), "expression"),
      StrictObjectSchema.of("{\"value\": {\"type\": \"number\"}}", "value"),
      1000, true);

  @Override
  public ToolDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public Future<JsonNode> call(JsonNode arguments, ToolContext context) {
    String text = arguments.get("expression").asText();
    Map<String, Double> variables = new HashMap<>();
    JsonNode given = arguments.path("variables");
    given.fieldNames().forEachRemaining(name -> variables.put(name, given.get(name).doubleValue()));
    double value;
    try {
      Expression expression = new ExpressionBuilder(text).variables(variables.keySet()).build();
      value = expression.setVariables(variables).evaluate();
    } catch (RuntimeException e) {
      return Future.failedFuture(new AgentbusException(ErrorCode.TOOL_FAILED,
          "cannot evaluate '" + text + "': " + e.getMessage()));
    }
    if (!Double.isFinite(value)) {
      return Future.failedFuture(new AgentbusException(ErrorCode.TOOL_FAILED,
          "'" + text + "' has no finite value (" + value + "): division by zero, overflow or a value outside a "
              + "function's domain"));
    }
    return Future.succeededFuture(Json.object().put("value", value));
  }
}
