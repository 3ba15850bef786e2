package io.agentbus.launcher.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbus.api.Json;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/** Decides whether a response counts as a success, and if not, which kind of error it is. */
@FunctionalInterface
public interface ResponseCheck {

  /**
   * A 200 whose body is a task in state SUCCEEDED: what a synchronous submit answers when its task finished well.
   * Anything else is {@code http <status>}, {@code state <STATE>} or {@code body not JSON}.
   */
  ResponseCheck SUCCEEDED_TASK = (status, body) -> {
    if (status != 200) {
      return "http " + status;
    }
    JsonNode json;
    try {
      json = Json.MAPPER.readTree(body.getBytes());
    } catch (IOException e) {
      return "body not JSON";
    }
    String state = json == null ? "" : json.path("state").asText("");
    return "SUCCEEDED".equals(state) ? null : "state " + (state.isEmpty() ? "missing" : state);
  };

  /**
   * Classifies one response.
   *
   * @return null when the response is a success, else a short error kind such as {@code http 503}
   */
  String errorKind(int status, Buffer body);
}
