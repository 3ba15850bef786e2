package io.agentbus.launcher;

import io.agentbus.api.TaskEventType;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Follows one task's Server-Sent Events to its terminal event. When the connection drops (or stays silent longer
 * than the read timeout, which outlasts the node's keep-alives), it reconnects with {@code Last-Event-ID} so the node
 * sends only what was missed; an event seen twice is passed on once. It gives up after a bounded number of
 * consecutive connections that brought nothing new, and at once on a 4xx answer (unknown task, bad request).
 */
final class EventFollower {

  /** Three keep-alive intervals of a node with default settings. */
  static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(45);
  static final int DEFAULT_MAX_FRUITLESS_ATTEMPTS = 8;
  private static final long DEFAULT_RETRY_MS = 250;
  private static final long MAX_RETRY_MS = 5_000;

  private final AgentbusApi api;
  private final Consumer<SseEvent> sink;
  private final PrintWriter notices;
  private final Duration readTimeout;
  private final int maxFruitlessAttempts;
  private int reconnects;

  EventFollower(AgentbusApi api, Consumer<SseEvent> sink, PrintWriter notices, Duration readTimeout,
      int maxFruitlessAttempts) {
    this.api = api;
    this.sink = sink;
    this.notices = notices;
    this.readTimeout = readTimeout;
    this.maxFruitlessAttempts = maxFruitlessAttempts;
  }

  /**
   * Passes every event of the task to the sink, in order and once, until the terminal one.
   *
   * @return the terminal event's type (e.g. {@code succeeded})
   */
  String follow(String taskId) throws IOException, ProblemException, InterruptedException {
    SseParser parser = new SseParser();
    long lastSeq = 0;
    int fruitless = 0;
    while (true) {
      long seqBefore = lastSeq;
      String interruption;
      try (SseConnection connection = api.events(taskId, parser.lastEventId(), readTimeout)) {
        String line;
        while ((line = connection.readLine()) != null) {
          Optional<SseEvent> event = parser.accept(line);
          if (event.isEmpty()) {
            continue;
          }
          long seq = sequenceOf(event.get());
          if (seq > 0 && seq <= lastSeq) {
            continue;
          }
          lastSeq = Math.max(lastSeq, seq);
          sink.accept(event.get());
          if (isTerminal(event.get().type())) {
            return event.get().type();
          }
        }
        interruption = "the stream ended before the task did";
      } catch (ProblemException e) {
        if (e.problem().status() < 500) {
          throw e;
        }
        interruption = e.problem().describe();
      } catch (IOException e) {
        interruption = e.toString();
      }
      parser.endOfStream();
      fruitless = lastSeq > seqBefore ? 0 : fruitless + 1;
      if (fruitless > maxFruitlessAttempts) {
        throw new IOException("gave up following " + taskId + " after " + fruitless
            + " reconnections without a new event; last: " + interruption);
      }
      long delay = backoff(parser.retryMs(), fruitless);
      notices.println("agentbus: event stream interrupted (" + interruption + "); resuming after event "
          + (parser.lastEventId().isEmpty() ? "0" : parser.lastEventId()) + " in " + delay + " ms");
      notices.flush();
      reconnects++;
      Thread.sleep(delay);
    }
  }

  /** How many times the stream was reopened. */
  int reconnects() {
    return reconnects;
  }

  static boolean isTerminal(String type) {
    try {
      return TaskEventType.ofWireName(type).isTerminal();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static long sequenceOf(SseEvent event) {
    try {
      return Long.parseLong(event.lastEventId());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static long backoff(long retryMs, int fruitless) {
    long base = retryMs >= 0 ? retryMs : DEFAULT_RETRY_MS;
    return Math.min(MAX_RETRY_MS, base << Math.min(fruitless, 5));
  }
}
