package io.agentbus.launcher;

import static io.agentbus.launcher.FakeNode.frame;
import static io.agentbus.launcher.FakeNode.sse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EventFollowerTest {

  private final List<SseEvent> received = new CopyOnWriteArrayList<>();
  private final StringWriter notices = new StringWriter();
  private final AtomicInteger connections = new AtomicInteger();
  private FakeNode node;

  @AfterEach
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  private EventFollower follower(Duration readTimeout, int maxFruitless) {
    return new EventFollower(new AgentbusApi(node.base()), received::add, new PrintWriter(notices), readTimeout,
        maxFruitless);
  }

  private List<String> lastEventIdsSent() {
    return node.requests.stream().map(r -> r.headers().get("Last-Event-ID")).toList();
  }

  @Test
  @DisplayName("a dropped stream is resumed with Last-Event-ID; the half-received and repeated events pass once")
  void resumesAfterDrop() throws Exception {
    node = new FakeNode((req, body) -> {
      sse(req);
      if (connections.incrementAndGet() == 1) {
        req.response().write(": events of t1\n\n" + frame(1, "submitted", "{}") + frame(2, "running", "{}")
            + "id: 3\nevent: progress\ndata: {\"half\":").onComplete(v -> req.connection().close());
      } else {
        req.response().end(frame(2, "running", "{}") + frame(3, "progress", "{\"percent\":50}")
            + frame(4, "succeeded", "{\"result\":1}"));
      }
    });
    EventFollower follower = follower(Duration.ofSeconds(5), 3);

    assertThat(follower.follow("t1")).isEqualTo("succeeded");

    assertThat(received).extracting(SseEvent::lastEventId).containsExactly("1", "2", "3", "4");
    assertThat(received).extracting(SseEvent::type).containsExactly("submitted", "running", "progress", "succeeded");
    assertThat(lastEventIdsSent()).containsExactly(null, "2");
    assertThat(follower.reconnects()).isEqualTo(1);
    assertThat(notices.toString()).contains("resuming after event 2");
  }

  @Test
  @DisplayName("a stream silent for longer than the read timeout is reopened where it stopped")
  void reopensSilentStream() throws Exception {
    node = new FakeNode((req, body) -> {
      sse(req);
      if (connections.incrementAndGet() == 1) {
        req.response().write(frame(1, "submitted", "{}"));
      } else {
        req.response().end(frame(2, "failed", "{\"error\":{\"code\":\"x\",\"message\":\"y\"}}"));
      }
    });

    assertThat(follower(Duration.ofMillis(300), 3).follow("t1")).isEqualTo("failed");

    assertThat(received).extracting(SseEvent::lastEventId).containsExactly("1", "2");
    assertThat(lastEventIdsSent()).containsExactly(null, "1");
  }

  @Test
  @DisplayName("a 4xx answer ends following at once with the node's problem")
  void stopsOnClientError() throws Exception {
    node = new FakeNode((req, body) -> FakeNode.json(req, 404,
        "{\"status\":404,\"code\":\"task-not-found\",\"detail\":\"no task t1\"}"));

    assertThatThrownBy(() -> follower(Duration.ofSeconds(5), 3).follow("t1"))
        .isInstanceOfSatisfying(ProblemException.class, e -> {
          assertThat(e.problem().code()).isEqualTo("task-not-found");
          assertThat(e.problem().detail()).isEqualTo("no task t1");
        });
    assertThat(node.requests).hasSize(1);
  }

  @Test
  @DisplayName("it gives up after a bounded number of connections that bring nothing new, honouring retry:")
  void givesUpWhenNothingComes() throws Exception {
    node = new FakeNode((req, body) -> {
      sse(req);
      req.response().end("retry: 10\n\n");
    });
    long start = System.nanoTime();

    assertThatThrownBy(() -> follower(Duration.ofSeconds(5), 2).follow("t1"))
        .isInstanceOf(IOException.class).hasMessageContaining("gave up following t1 after 3 reconnections");

    assertThat(node.requests).hasSize(3);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }
}
