package io.agentbus.toolexecutor;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Iterator;
import java.util.Map;

/** Jackson trees to the Vert.x JSON values vertx-json-schema validates (JsonObject, JsonArray, scalars, null). */
final class VertxJson {

  private VertxJson() {
  }

  static Object from(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node.isObject()) {
      JsonObject object = new JsonObject();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        object.put(field.getKey(), from(field.getValue()));
      }
      return object;
    }
    if (node.isArray()) {
      JsonArray array = new JsonArray();
      node.forEach(element -> array.add(from(element)));
      return array;
    }
    if (node.isNumber()) {
      return node.numberValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    return node.asText();
  }
}
