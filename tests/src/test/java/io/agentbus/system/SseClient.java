package io.agentbus.system;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Follows one task's Server-Sent Events; events are read on a background thread and taken with bounded waits.
 * {@link #close()} drops the connection mid-stream, as a client losing its network would.
 */
final class SseClient implements AutoCloseable {

  /** One SSE event. */
  record Event(long id, String type, JsonNode data) {
  }

  private static final Event END = new Event(-1, "<end of stream>", null);

  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final HttpResponse<InputStream> response;
  private final Thread reader;

  private SseClient(HttpResponse<InputStream> response) {
    this.response = response;
    this.reader = new Thread(this::read, "sse-reader");
    reader.setDaemon(true);
    reader.start();
  }

  static SseClient open(HttpClient client, String url, Long lastEventId) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").GET();
    if (lastEventId != null) {
      b.header("Last-Event-ID", Long.toString(lastEventId));
    }
    HttpResponse<InputStream> r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    if (r.statusCode() != 200) {
      String body = new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
      throw new IllegalStateException("SSE answered " + r.statusCode() + ": " + body);
    }
    return new SseClient(r);
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      long id = -1;
      String type = "message";
      StringBuilder data = new StringBuilder();
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isEmpty()) {
          if (data.length() > 0) {
            events.add(new Event(id, type, Api.JSON.readTree(data.toString())));
          }
          id = -1;
          type = "message";
          data.setLength(0);
        } else if (line.startsWith("id:")) {
          id = Long.parseLong(line.substring(3).trim());
        } else if (line.startsWith("event:")) {
          type = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          data.append(line.substring(5).trim());
        }
      }
    } catch (IOException e) {
      // the connection was dropped (by us or by the server)
    } finally {
      events.add(END);
    }
  }

  /** The next event, or null when the stream ended; fails if nothing comes within {@code bound}. */
  Event next(Duration bound) throws InterruptedException {
    Event e = events.poll(bound.toMillis(), TimeUnit.MILLISECONDS);
    if (e == null) {
      throw new AssertionError("no SSE event within " + bound.toMillis() + " ms");
    }
    return e == END ? null : e;
  }

  @Override
  public void close() throws IOException {
    response.body().close();
    reader.interrupt();
  }
}
