package io.agentbus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SseParserTest {

  private final SseParser parser = new SseParser();

  private List<SseEvent> feed(String... lines) {
    List<SseEvent> events = new ArrayList<>();
    for (String line : lines) {
      parser.accept(line).ifPresent(events::add);
    }
    return events;
  }

  @Test
  @DisplayName("id, event and data fields make one event when an empty line ends it")
  void dispatchesOnEmptyLine() {
    List<SseEvent> events = feed("id: 7", "event: progress", "data: {\"seq\":7}");
    assertThat(events).isEmpty();
    events = feed("");
    assertThat(events).containsExactly(new SseEvent("progress", "{\"seq\":7}", "7"));
    assertThat(parser.lastEventId()).isEqualTo("7");
  }

  @Test
  @DisplayName("several data lines are joined with LF, without a trailing LF")
  void joinsMultiLineData() {
    assertThat(feed("data: first", "data:second", "data:  third", "data", ""))
        .containsExactly(new SseEvent("message", "first\nsecond\n third\n", ""));
  }

  @Test
  @DisplayName("comments are skipped and counted, and do not end an event")
  void skipsComments() {
    List<SseEvent> events = feed(": agentbus events of t1", "", "data: a", ": keepalive", "data: b", "");
    assertThat(events).containsExactly(new SseEvent("message", "a\nb", ""));
    assertThat(parser.comments()).isEqualTo(2);
  }

  @Test
  @DisplayName("an event without data is not dispatched but its id still counts, and the type resets")
  void idWithoutDataStillMovesLastEventId() {
    assertThat(feed("id: 4", "event: ignored", "")).isEmpty();
    assertThat(parser.lastEventId()).isEqualTo("4");
    assertThat(feed("data: x", "")).containsExactly(new SseEvent("message", "x", "4"));
  }

  @Test
  @DisplayName("the last event id persists across events until a new id, and an id with NUL is ignored")
  void lastEventIdPersists() {
    feed("id: 1", "data: a", "");
    assertThat(feed("data: b", "")).containsExactly(new SseEvent("message", "b", "1"));
    assertThat(feed("id: 2\0", "data: c", "")).containsExactly(new SseEvent("message", "c", "1"));
    assertThat(feed("id", "data: d", "")).containsExactly(new SseEvent("message", "d", ""));
  }

  @Test
  @DisplayName("retry takes only digits; unknown fields and a leading BOM are ignored")
  void retryUnknownFieldsAndBom() {
    feed("\uFEFFretry: 1500", "retry: soon", "colour: red", "");
    assertThat(parser.retryMs()).isEqualTo(1500);
    assertThat(feed("\uFEFFdata: x", "")).as("a BOM is only stripped at the start of a stream").isEmpty();
  }

  @Test
  @DisplayName("a connection that ends mid-event discards it and resumes from the last dispatched id")
  void endOfStreamDiscardsPendingEvent() {
    feed("id: 3", "event: progress", "data: complete", "");
    feed("id: 4", "event: progress", "data: {\"half\":");
    parser.endOfStream();
    assertThat(parser.lastEventId()).as("what to send as Last-Event-ID").isEqualTo("3");
    List<SseEvent> resumed = feed("data: fresh", "");
    assertThat(resumed).containsExactly(new SseEvent("message", "fresh", "3"));
  }
}
