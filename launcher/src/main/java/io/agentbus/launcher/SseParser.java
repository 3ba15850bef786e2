package io.agentbus.launcher;

import java.util.Optional;

/**
 * Turns the lines of a text/event-stream into events, as the WHATWG HTML "event stream interpretation" says:
 * {@code data:} lines accumulate (joined by LF), {@code event:} names the type, {@code id:} sets the last event ID
 * (kept across events and connections, ignored when it contains NUL), {@code retry:} sets the reconnection delay,
 * lines starting with a colon are comments, one space after the colon is dropped, unknown fields are ignored, and an
 * empty line dispatches the event (none when no data was given).
 *
 * <p>Reconnection bookkeeping: {@link #lastEventId()} is what to send as {@code Last-Event-ID} on the next
 * connection; call {@link #endOfStream()} when a connection ends so a half-received event is discarded rather than
 * glued to the next connection's lines. Not thread-safe.
 */
final class SseParser {

  private final StringBuilder data = new StringBuilder();
  private boolean hasData;
  private String type = "";
  private String idBuffer = "";
  private String lastEventId = "";
  private long retryMs = -1;
  private long comments;
  private boolean firstLine = true;

  /** Feeds one line (without its line end); returns the event an empty line dispatches, if any. */
  Optional<SseEvent> accept(String line) {
    if (firstLine) {
      firstLine = false;
      if (line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
    }
    if (line.isEmpty()) {
      return dispatch();
    }
    if (line.charAt(0) == ':') {
      comments++;
      return Optional.empty();
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "data" -> {
        data.append(value).append('\n');
        hasData = true;
      }
      case "event" -> type = value;
      case "id" -> {
        if (value.indexOf('\0') < 0) {
          idBuffer = value;
        }
      }
      case "retry" -> {
        if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9') && value.length() < 12) {
          retryMs = Long.parseLong(value);
        }
      }
      default -> {
        // unknown fields are ignored, as the standard says
      }
    }
    return Optional.empty();
  }

  /** The connection ended: an event not yet dispatched by an empty line is discarded; the next line starts afresh. */
  void endOfStream() {
    resetEvent();
    idBuffer = lastEventId;
    firstLine = true;
  }

  /** The ID to send as Last-Event-ID when reconnecting; empty when the stream never set one. */
  String lastEventId() {
    return lastEventId;
  }

  /** The reconnection delay the stream asked for with {@code retry:}, or -1 when it did not. */
  long retryMs() {
    return retryMs;
  }

  /** Comment lines seen so far (the node sends them as keep-alives). */
  long comments() {
    return comments;
  }

  private Optional<SseEvent> dispatch() {
    lastEventId = idBuffer;
    if (!hasData) {
      resetEvent();
      return Optional.empty();
    }
    data.setLength(data.length() - 1);
    SseEvent event = new SseEvent(type.isEmpty() ? "message" : type, data.toString(), lastEventId);
    resetEvent();
    return Optional.of(event);
  }

  private void resetEvent() {
    data.setLength(0);
    hasData = false;
    type = "";
  }
}
