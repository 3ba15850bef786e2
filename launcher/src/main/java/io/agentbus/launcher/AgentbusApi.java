package io.agentbus.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentbus.api.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.StringJoiner;

/**
 * A blocking client of a node's REST task API, one request at a time, for the command line; it sends
 * $AGENTBUS_TOKEN as its bearer credential. Error answers become
 * {@link ProblemException}; a node that cannot be reached is an {@link IOException}.
 */
final class AgentbusApi {

  private static final int CONNECT_TIMEOUT_MS = 5_000;
  private static final int READ_TIMEOUT_MS = 30_000;
  // the node answers a waiting submit within its wait plus 35 s (its scheduler margin)
  private static final long SUBMIT_READ_MARGIN_MS = 40_000;
  private static final int MAX_BODY_BYTES = 64 << 20;

  private final URI base;

  AgentbusApi(URI base) {
    this.base = base;
  }

  URI base() {
    return base;
  }

  /** POST /v1/tasks; with a non-zero {@code wait} the node answers once the task ended or the wait ran out. */
  ApiReply submit(JsonNode body, String idempotencyKey, Duration wait) throws IOException, ProblemException {
    String query = wait == null || wait.isZero() ? "" : "?wait=" + wait.toMillis() + "ms";
    HttpURLConnection c = open("/v1/tasks" + query, READ_TIMEOUT_MS + (wait == null ? 0 : wait.toMillis())
        + SUBMIT_READ_MARGIN_MS);
    if (idempotencyKey != null) {
      c.setRequestProperty("Idempotency-Key", idempotencyKey);
    }
    return exchange(c, "POST", body);
  }

  ApiReply get(String taskId) throws IOException, ProblemException {
    return exchange(open(taskPath(taskId), READ_TIMEOUT_MS), "GET", null);
  }

  ApiReply list(String state, String agentType, int limit) throws IOException, ProblemException {
    StringJoiner query = new StringJoiner("&", "?", "");
    query.add("limit=" + limit);
    if (state != null) {
      query.add("state=" + encode(state));
    }
    if (agentType != null) {
      query.add("agent_type=" + encode(agentType));
    }
    return exchange(open("/v1/tasks" + query, READ_TIMEOUT_MS), "GET", null);
  }

  ApiReply cancel(String taskId, String reason) throws IOException, ProblemException {
    ObjectNode body = Json.object();
    if (reason != null) {
      body.put("reason", reason);
    }
    return exchange(open(taskPath(taskId) + "/cancel", READ_TIMEOUT_MS), "POST", body);
  }

  /**
   * Opens the task's Server-Sent Events, resuming after {@code lastEventId} when it is not empty. A read that sees
   * nothing (not even a keep-alive comment) for {@code readTimeout} fails with an {@link IOException}.
   */
  SseConnection events(String taskId, String lastEventId, Duration readTimeout) throws IOException, ProblemException {
    HttpURLConnection c = open(taskPath(taskId) + "/events", Math.toIntExact(readTimeout.toMillis()));
    c.setRequestProperty("Accept", "text/event-stream");
    if (lastEventId != null && !lastEventId.isEmpty()) {
      c.setRequestProperty("Last-Event-ID", lastEventId);
    }
    int status = c.getResponseCode();
    if (status != 200) {
      String body = readBody(c.getErrorStream() != null ? c.getErrorStream() : c.getInputStream());
      c.disconnect();
      throw new ProblemException(Problem.parse(status, body));
    }
    return new SseConnection(c);
  }

  private HttpURLConnection open(String pathAndQuery, long readTimeoutMs) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(base + pathAndQuery).toURL().openConnection();
    c.setConnectTimeout(CONNECT_TIMEOUT_MS);
    c.setReadTimeout(Math.toIntExact(Math.min(Integer.MAX_VALUE, readTimeoutMs)));
    c.setUseCaches(false);
    // the credential of a node with authentication: a JWT (e.g. the token `up` prints) or an abk_ API key
    String token = System.getenv("AGENTBUS_TOKEN");
    if (token != null && !token.isBlank()) {
      c.setRequestProperty("Authorization", "Bearer " + token.strip());
    }
    return c;
  }

  private static ApiReply exchange(HttpURLConnection c, String method, JsonNode body)
      throws IOException, ProblemException {
    try {
      c.setRequestMethod(method);
      c.setRequestProperty("Accept", "application/json, application/problem+json");
      if (body != null) {
        byte[] bytes = Json.toBytes(body);
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json");
        c.setFixedLengthStreamingMode(bytes.length);
        try (OutputStream out = c.getOutputStream()) {
          out.write(bytes);
        }
      }
      int status = c.getResponseCode();
      if (status >= 400) {
        throw new ProblemException(Problem.parse(status, readBody(c.getErrorStream())));
      }
      String raw = readBody(c.getInputStream());
      return new ApiReply(status, parseJson(raw), raw, "true".equalsIgnoreCase(c.getHeaderField("Idempotent-Replayed")));
    } finally {
      c.disconnect();
    }
  }

  private static String readBody(InputStream in) throws IOException {
    if (in == null) {
      return "";
    }
    try (in) {
      return new String(in.readNBytes(MAX_BODY_BYTES), StandardCharsets.UTF_8);
    }
  }

  private static JsonNode parseJson(String raw) throws IOException {
    try {
      return raw.isBlank() ? Json.object() : Json.MAPPER.readTree(raw);
    } catch (UncheckedIOException | IOException e) {
      throw new IOException("the node answered something that is not JSON: " + abbreviate(raw), e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }

  private static String taskPath(String taskId) {
    return "/v1/tasks/" + encode(taskId);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
