package io.agentbus.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A tool as agents and clients see it: its arguments must validate against {@code argumentsSchema}
 * (JSON Schema draft 2020-12) before it runs.
 */
public record ToolDescriptor(String name, String description, JsonNode argumentsSchema, JsonNode resultSchema,
                             long timeoutMs, boolean idempotent) {
}
