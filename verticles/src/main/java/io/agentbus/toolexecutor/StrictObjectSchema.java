package io.agentbus.toolexecutor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentbus.api.Json;
import java.util.Arrays;

/**
 * The shape of every built-in tool's arguments and result: a JSON object with declared properties, some required,
 * and nothing else ({@code additionalProperties: false}).
 */
final class StrictObjectSchema {

  private StrictObjectSchema() {
  }

  /**
   * @param properties the {@code properties} object as JSON text
   * @param required   the names that must be present
   */
  static JsonNode of(String properties, String... required) {
    ObjectNode schema = Json.object().put("type", "object");
    schema.set("properties", Json.fromString(properties, JsonNode.class));
    ArrayNode names = schema.putArray("required");
    Arrays.stream(required).forEach(names::add);
    schema.put("additionalProperties", false);
    return schema;
  }
}
