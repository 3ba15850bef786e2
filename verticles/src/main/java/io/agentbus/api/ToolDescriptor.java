package io.agentbus.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A tool as agents and clients see it: its arguments must validate against {@code argumentsSchema}
 * (JSON Schema draft 2020-12) before it runs, and its result against {@code resultSchema} when one is declared.
 *
 * @param timeoutMs      the limit of one attempt; 0 or less means the node's default
 * @param idempotent     running it twice has the effect of running it once: only such a tool is retried after a
 *                       failure or after a crash left its call in doubt
 * @param maxConcurrency calls of this tool that may run at once on one node (a bulkhead); 0 means the node's default
 * @param retry          how failed attempts are retried; null for no retries (always null when not idempotent)
 * @param circuit        the state of the tool's circuit breaker on the node that answered a listing; null in a
 *                       tool's own declaration
 */
public record ToolDescriptor(String name, String description, JsonNode argumentsSchema, JsonNode resultSchema,
                             long timeoutMs, boolean idempotent, int maxConcurrency, ToolRetryPolicy retry,
                             ToolCircuit circuit) {

  /** A tool with the node's default concurrency, no retries and no circuit state. */
  public ToolDescriptor(String name, String description, JsonNode argumentsSchema, JsonNode resultSchema,
                        long timeoutMs, boolean idempotent) {
    this(name, description, argumentsSchema, resultSchema, timeoutMs, idempotent, 0, null, null);
  }

  /** This descriptor with a bulkhead size and retry policy. */
  public ToolDescriptor withLimits(int maxConcurrency, ToolRetryPolicy retry) {
    return new ToolDescriptor(name, description, argumentsSchema, resultSchema, timeoutMs, idempotent, maxConcurrency,
        retry, circuit);
  }

  /** This descriptor with the circuit state of a listing. */
  public ToolDescriptor withCircuit(ToolCircuit circuit) {
    return new ToolDescriptor(name, description, argumentsSchema, resultSchema, timeoutMs, idempotent, maxConcurrency,
        retry, circuit);
  }
}
