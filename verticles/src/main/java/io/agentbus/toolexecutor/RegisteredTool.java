package io.agentbus.toolexecutor;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.ToolCircuit;
import io.agentbus.api.ToolDescriptor;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaException;
import io.vertx.json.schema.Validator;
import java.util.Locale;
import java.util.Optional;

/**
 * A tool with its schemas compiled, its limits resolved, its bulkhead and its circuit breaker; what the registry
 * hands out.
 */
final class RegisteredTool {

  private final Tool tool;
  private final ToolDescriptor descriptor;
  private final Validator arguments;
  private final Validator result;
  private final Bulkhead bulkhead;
  private final CircuitBreaker breaker;

  RegisteredTool(Tool tool, ToolDescriptor descriptor, Validator arguments, Validator result, Bulkhead bulkhead,
                 CircuitBreaker breaker) {
    this.tool = tool;
    this.descriptor = descriptor;
    this.arguments = arguments;
    this.result = result;
    this.bulkhead = bulkhead;
    this.breaker = breaker;
  }

  String name() {
    return descriptor.name();
  }

  Tool tool() {
    return tool;
  }

  Bulkhead bulkhead() {
    return bulkhead;
  }

  CircuitBreaker breaker() {
    return breaker;
  }

  /** The descriptor as the tool declared it, with its time limit and bulkhead resolved against the node's defaults. */
  ToolDescriptor descriptor() {
    return descriptor;
  }

  /** The descriptor with the breaker's current state, for listings. */
  ToolDescriptor describe() {
    return descriptor.withCircuit(new ToolCircuit(breaker.state().name().toLowerCase(Locale.ROOT),
        breaker.failureCount()));
  }

  /** Whether running a call with these (valid) arguments twice has the effect of running it once. */
  boolean idempotentFor(JsonNode validArguments) {
    return descriptor.idempotent() && tool.idempotentFor(validArguments);
  }

  /** Attempts a call may make: 1 unless the tool is idempotent and declares a retry policy. */
  int maxAttempts(JsonNode validArguments) {
    return descriptor.retry() != null && idempotentFor(validArguments) ? Math.max(1, descriptor.retry().maxAttempts()) : 1;
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
