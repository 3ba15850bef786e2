package io.agentbus.toolexecutor;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.ToolDescriptor;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaException;
import io.vertx.json.schema.Validator;
import java.util.Optional;

/** A tool with its schemas compiled and its time limit resolved; what the registry hands out. */
final class RegisteredTool {

  private final Tool tool;
  private final ToolDescriptor descriptor;
  private final Validator arguments;
  private final Validator result;

  RegisteredTool(Tool tool, ToolDescriptor descriptor, Validator arguments, Validator result) {
    this.tool = tool;
    this.descriptor = descriptor;
    this.arguments = arguments;
    this.result = result;
  }

  String name() {
    return descriptor.name();
  }

  Tool tool() {
    return tool;
  }

  /** The descriptor as the tool declared it, with its time limit resolved against the node's default. */
  ToolDescriptor descriptor() {
    return descriptor;
  }

  /** The shorter of the caller's limit (if any) and the tool's. */
  long timeoutFor(Long requestedMs) {
    return requestedMs == null ? descriptor.timeoutMs() : Math.min(requestedMs, descriptor.timeoutMs());
  }

  /**
   * Why {@code value} is not acceptable arguments, or empty if it is.
   *
   * @throws AgentbusException TOOL_FAILED if the schema itself cannot be evaluated
   */
  Optional<String> argumentsProblem(JsonNode value) {
    return problem(arguments, value, "arguments do not match the schema of tool " + name());
  }

  /** Why {@code value} is not an acceptable result, or empty if it is (or no result schema is declared). */
  Optional<String> resultProblem(JsonNode value) {
    return problem(result, value, "the result of tool " + name() + " does not match its declared result schema");
  }

  private static Optional<String> problem(Validator validator, JsonNode value, String prefix) {
    if (validator == null) {
      return Optional.empty();
    }
    OutputUnit outcome;
    try {
      outcome = validator.validate(VertxJson.from(value));
    } catch (SchemaException e) {
      throw new AgentbusException(ErrorCode.TOOL_FAILED, prefix + ": the schema cannot be evaluated: " + e.getMessage());
    }
    return outcome.getValid() ? Optional.empty() : Optional.of(SchemaViolations.message(prefix, outcome));
  }
}
