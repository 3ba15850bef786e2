package io.agentbus.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbus.api.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An error answer of the node: its RFC 9457 problem ({@code code}, {@code detail}, field {@code errors}), or, when
 * the body is not a problem (a proxy's page, say), the status and the start of the body.
 */
record Problem(int status, String code, String detail, List<String> fieldErrors) {

  private static final int MAX_RAW_DETAIL = 300;

  static Problem parse(int status, String body) {
    JsonNode json;
    try {
      json = body.isBlank() ? null : Json.MAPPER.readTree(body);
    } catch (IOException e) {
      json = null;
    }
    if (json == null || !json.isObject()) {
      String start = body.length() > MAX_RAW_DETAIL ? body.substring(0, MAX_RAW_DETAIL) + "..." : body;
      return new Problem(status, "http-" + status, start.isBlank() ? "(empty body)" : start.strip(), List.of());
    }
    List<String> fields = new ArrayList<>();
    json.path("errors").forEach(e -> fields.add(e.path("pointer").asText("?") + ": " + e.path("detail").asText("")));
    return new Problem(status, json.path("code").asText("http-" + status),
        json.path("detail").asText(json.path("title").asText("")), fields);
  }

  /** One line naming the code, status and detail, then one indented line per invalid field. */
  String describe() {
    StringBuilder sb = new StringBuilder(code).append(" (HTTP ").append(status).append("): ").append(detail);
    fieldErrors.forEach(f -> sb.append(System.lineSeparator()).append("  ").append(f));
    return sb.toString();
  }
}
