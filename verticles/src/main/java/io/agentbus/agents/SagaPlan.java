package io.agentbus.agents;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbus.api.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads a saga's input: {@code {steps: [{name?, tool, arguments?, compensate?: {tool, arguments?}}]}}, 1 to
 * {@code maxSteps} steps, tool names as the tool-executor knows them, arguments objects (validated by each tool's
 * schema when called).
 */
final class SagaPlan {

  private static final Set<String> STEP_FIELDS = Set.of("name", "tool", "arguments", "compensate");
  private static final Set<String> CALL_FIELDS = Set.of("tool", "arguments");
  private static final int MAX_NAME = 100;

  private SagaPlan() {
  }

  /** @throws IllegalArgumentException naming what is wrong, with the step's number */
  static List<SagaAgent.Step> parse(JsonNode input, int maxSteps) {
    JsonNode steps = input == null ? null : input.get("steps");
    if (steps == null || !steps.isArray() || steps.isEmpty()) {
      throw new IllegalArgumentException("a saga's input is {\"steps\": [...]} with 1 to " + maxSteps + " steps");
    }
    if (steps.size() > maxSteps) {
      throw new IllegalArgumentException("a saga has at most " + maxSteps + " steps, this one " + steps.size());
    }
    List<SagaAgent.Step> plan = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      JsonNode step = steps.get(i);
      int number = i + 1;
      if (!step.isObject()) {
        throw new IllegalArgumentException("step " + number + " is not an object");
      }
      unknownFields(step, STEP_FIELDS, "step " + number);
      JsonNode name = step.get("name");
      if (name != null && (!name.isTextual() || name.asText().isBlank() || name.asText().length() > MAX_NAME)) {
        throw new IllegalArgumentException("step " + number + ": name must be text of 1 to " + MAX_NAME + " characters");
      }
      SagaAgent.Call action = call(step, "step " + number);
      JsonNode compensate = step.get("compensate");
      SagaAgent.Call compensation = null;
      if (compensate != null && !compensate.isNull()) {
        if (!compensate.isObject()) {
          throw new IllegalArgumentException("step " + number + ": compensate must be an object {tool, arguments?}");
        }
        unknownFields(compensate, CALL_FIELDS, "step " + number + ".compensate");
        compensation = call(compensate, "step " + number + ".compensate");
      }
      plan.add(new SagaAgent.Step(number, name == null ? action.tool() : name.asText(), action, compensation));
    }
    return plan;
  }

  private static SagaAgent.Call call(JsonNode node, String where) {
    JsonNode tool = node.get("tool");
    if (tool == null || !tool.isTextual() || tool.asText().isBlank()) {
      throw new IllegalArgumentException(where + ": tool must be a tool name");
    }
    JsonNode arguments = node.get("arguments");
    if (arguments != null && !arguments.isObject()) {
      throw new IllegalArgumentException(where + ": arguments must be an object");
    }
    return new SagaAgent.Call(tool.asText(), arguments == null ? Json.object() : arguments);
  }

  private static void unknownFields(JsonNode node, Set<String> known, String where) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        throw new IllegalArgumentException(where + ": unknown field '" + name + "' (known: " + known + ")");
      }
    }
  }
}
