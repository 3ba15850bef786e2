package io.agentbus.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbus.agents.StreamerAgent;
import io.agentbus.api.Addresses;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.Failures;
import io.agentbus.api.Json;
import io.agentbus.api.SubmitTask;
import io.agentbus.api.TaskRef;
import io.agentbus.api.TaskState;
import io.agentbus.api.TaskView;
import io.agentbus.config.Setting;
import io.agentbus.testing.Await;
import io.agentbus.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Finished tasks are forgotten oldest first once they hold more than tasks.retention-max-events events together. */
class RetentionTest {

  /** A streamer task of 60 chunks has 64 events: submitted, assigned, running, the chunks, succeeded. */
  private static final int EVENTS_PER_TASK = 64;
  private static TestNode node;
  private static EventBus bus;

  @BeforeAll
  static void startNode() throws Exception {
    node = TestNode.start(Map.of(Setting.AGENTS_STREAMER_INSTANCES.key(), "1",
        Setting.TASKS_RETENTION_MAX_EVENTS.key(), String.valueOf(2 * EVENTS_PER_TASK + 10)));
    bus = node.node().vertx().eventBus();
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  private static TaskView run() throws Exception {
    SubmitTask submit = new SubmitTask(StreamerAgent.TYPE, Json.object().put("chunks", EVENTS_PER_TASK - 4), null,
        Map.of(), null, null, 15_000);
    return Await.result(bus.<TaskView>request(Addresses.SCHEDULER_SUBMIT, submit,
        new DeliveryOptions().setSendTimeout(20_000)).map(Message::body));
  }

  /** True when the node still answers for the task; false when it answers task-not-found; fails otherwise. */
  private static boolean known(String taskId) {
    Future<Object> get = bus.request(Addresses.SCHEDULER_GET, TaskRef.of(taskId)).map(Message::body);
    try {
      Await.result(get);
      return true;
    } catch (Exception e) {
      if (Failures.toException(e).code() != ErrorCode.TASK_NOT_FOUND) {
        throw new AssertionError("asking for " + taskId + " failed otherwise", e);
      }
      return false;
    }
  }

  @Test
  @DisplayName("a third task of 64 events past a bound of 138 makes the node forget the first one, and only it")
  void forgetsTheOldestPastTheEventBound() throws Exception {
    TaskView first = run();
    TaskView second = run();
    assertThat(first.state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(second.lastSeq()).isEqualTo(EVENTS_PER_TASK);
    assertThat(known(first.id())).isTrue();

    TaskView third = run();

    Await.until("the first task is forgotten", Duration.ofSeconds(10), () -> !known(first.id()));
    assertThat(known(second.id())).isTrue();
    assertThat(known(third.id())).isTrue();
    node.assertNoBlockedEventLoop();
  }
}
