package io.agentbus.agents;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbus.api.Json;
import java.util.Map;
import java.util.Set;

/**
 * Streams a given number of content chunks, then returns how many it sent. Deterministic, for streaming benchmarks
 * and tests: chunk {@code i} (from 1) is the text {@code "chunk-<i> "} repeated and cut to {@code chunk_bytes}
 * characters, and only the last chunk has {@code final: true}. An object input may set {@code chunks} (1 to
 * {@value #MAX_CHUNKS}, default {@value #DEFAULT_CHUNKS}), {@code chunk_bytes} (1 to {@value #MAX_CHUNK_BYTES},
 * default {@value #DEFAULT_CHUNK_BYTES}) and {@code chunk_delay_ms} (0 to {@value #MAX_DELAY_MS}, default 0: the
 * chunks go out {@value #BURST} per event-loop turn). The result is {@code {chunks, bytes}}. A stop ends the stream.
 */
public final class StreamerAgent extends AgentVerticle {

  public static final String TYPE = "streamer";
  static final int DEFAULT_CHUNKS = 100;
  static final int MAX_CHUNKS = 10_000;
  static final int DEFAULT_CHUNK_BYTES = 32;
  static final int MAX_CHUNK_BYTES = 65_536;
  static final long MAX_DELAY_MS = 60_000;
  /** Chunks sent in one go before the event loop is given back, when there is no delay. */
  static final int BURST = 64;

  public StreamerAgent(String id, String nodeId, int capacity) {
    super(id, Set.of(TYPE), capacity, Map.of("builtin", "true"), nodeId);
  }

  @Override
  protected void run(AgentTask task) {
    JsonNode input = task.input() != null && task.input().isObject() ? task.input() : Json.object();
    int chunks = (int) bounded(input.path("chunks").asLong(DEFAULT_CHUNKS), 1, MAX_CHUNKS);
    int bytes = (int) bounded(input.path("chunk_bytes").asLong(DEFAULT_CHUNK_BYTES), 1, MAX_CHUNK_BYTES);
    long delayMs = bounded(input.path("chunk_delay_ms").asLong(0), 0, MAX_DELAY_MS);
    send(task, 1, chunks, bytes, delayMs);
  }

  private void send(AgentTask task, int from, int chunks, int bytes, long delayMs) {
    if (task.stopped()) {
      return;
    }
    int last = delayMs > 0 ? from : Math.min(chunks, from + BURST - 1);
    for (int i = from; i <= last; i++) {
      task.content(chunk(i, bytes), i == chunks);
    }
    if (last == chunks) {
      task.complete(Json.object().put("chunks", chunks).put("bytes", (long) chunks * bytes));
    } else if (delayMs > 0) {
      task.timer(delayMs, () -> send(task, last + 1, chunks, bytes, delayMs));
    } else {
      vertx.runOnContext(v -> send(task, last + 1, chunks, bytes, delayMs));
    }
  }

  /** The text of chunk {@code i}: {@code "chunk-<i> "} repeated and cut to {@code bytes} characters. */
  static String chunk(int i, int bytes) {
    String unit = "chunk-" + i + " ";
    StringBuilder text = new StringBuilder(bytes);
    while (text.length() < bytes) {
      text.append(unit, 0, Math.min(unit.length(), bytes - text.length()));
    }
    return text.toString();
  }

  private static long bounded(long value, long min, long max) {
    return Math.max(min, Math.min(max, value));
  }
}
