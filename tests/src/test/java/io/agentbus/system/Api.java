package io.agentbus.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A plain HTTP client for the node's API (the JDK's, so nothing of agentbus is on the client side). */
final class Api {

  static final ObjectMapper JSON = new ObjectMapper();

  /** A response with its body parsed as JSON when it is JSON. */
  record Reply(int status, HttpResponse<String> raw, JsonNode json) {
    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    String problemCode() {
      return json == null ? null : json.path("code").asText(null);
    }

    /** Status, headers and body, for assertion messages. */
    String describe() {
      return status + " " + raw.headers().map() + " " + raw.body();
    }
  }

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .version(HttpClient.Version.HTTP_1_1).build();
  private final String base;

  Api(String base) {
    this.base = base;
  }

  HttpClient client() {
    return client;
  }

  String base() {
    return base;
  }

  Reply get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  Reply delete(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
  }

  Reply post(String path, String body, Map<String, String> headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (!headers.containsKey("Content-Type")) {
      b.header("Content-Type", "application/json");
    }
    headers.forEach(b::header);
    return send(b);
  }

  Reply post(String path, String body) throws IOException, InterruptedException {
    return post(path, body, Map.of());
  }

  Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> r = client.send(request.timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode json = null;
    String type = r.headers().firstValue("Content-Type").orElse("");
    if (type.contains("json") && !r.body().isEmpty()) {
      json = JSON.readTree(r.body());
    }
    return new Reply(r.statusCode(), r, json);
  }

  /** Submits a task and returns its reply. */
  Reply submit(String agentType, String inputJson, String query) throws IOException, InterruptedException {
    return post("/v1/tasks" + (query == null ? "" : query),
        "{\"agent_type\":\"" + agentType + "\",\"input\":" + inputJson + "}");
  }
}
