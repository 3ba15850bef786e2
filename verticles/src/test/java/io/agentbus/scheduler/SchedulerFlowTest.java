package io.agentbus.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbus.agents.AgentTask;
import io.agentbus.api.Addresses;
import io.agentbus.api.AgentReport;
import io.agentbus.api.CancelTask;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.Json;
import io.agentbus.api.SubmitTask;
import io.agentbus.api.TaskEvent;
import io.agentbus.api.TaskEventBatch;
import io.agentbus.api.TaskEventType;
import io.agentbus.api.TaskRef;
import io.agentbus.api.TaskState;
import io.agentbus.api.TaskView;
import io.agentbus.api.WatchTask;
import io.agentbus.testing.Await;
import io.agentbus.testing.ManualAgent;
import io.agentbus.testing.TestNode;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The scheduler on a real node (embedded Kafka, Hazelcast), driven over the event bus. */
class SchedulerFlowTest {

  private static final AtomicInteger TYPES = new AtomicInteger();
  private static TestNode node;
  private static Vertx vertx;
  private static EventBus bus;

  @BeforeAll
  static void startNode() throws Exception {
    node = TestNode.start(Map.of());
    vertx = node.node().vertx();
    bus = vertx.eventBus();
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  @AfterEach
  void noBlockedEventLoop() {
    node.assertNoBlockedEventLoop();
  }

  private static SubmitTask submit(String type, Object input, Long timeoutMs, String key, long waitMs) {
    return new SubmitTask(type, Json.tree(input), timeoutMs, Map.of(), key, null, waitMs);
  }

  private static TaskView call(String address, Object body) throws Exception {
    return Await.result(bus.<TaskView>request(address, body, new DeliveryOptions().setSendTimeout(20_000))
        .map(Message::body));
  }

  private static List<TaskEvent> events(String taskId) throws Exception {
    TaskEventBatch batch = Await.result(bus.<TaskEventBatch>request(Addresses.SCHEDULER_WATCH,
        new WatchTask(taskId, 0, "test.nowhere")).map(Message::body));
    return batch.events();
  }

  private static TaskView settled(String taskId) throws Exception {
    return call(Addresses.SCHEDULER_GET, new TaskRef(taskId, 15_000));
  }

  private ManualAgent deployAgent(String type, int capacity) throws Exception {
    ManualAgent agent = new ManualAgent(type + "-agent-" + TYPES.incrementAndGet(), type, capacity, node.node().nodeId());
    // membership publishes the new view before it confirms the registration, so the scheduler knows the agent
    Await.result(vertx.deployVerticle(agent));
    return agent;
  }

  private static String freshType() {
    return "manual-" + TYPES.incrementAndGet();
  }

  @Test
  @DisplayName("an echo task succeeds with its input, and its events run submitted..succeeded with seq 1..n")
  void echoSucceeds() throws Exception {
    TaskView view = call(Addresses.SCHEDULER_SUBMIT, submit("echo", Map.of("hello", "world"), null, null, 10_000));
    assertThat(view.state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(view.result().get("hello").asText()).isEqualTo("world");
    List<TaskEvent> events = events(view.id());
    assertThat(events).extracting(TaskEvent::type).containsExactly(TaskEventType.SUBMITTED, TaskEventType.ASSIGNED,
        TaskEventType.RUNNING, TaskEventType.PROGRESS, TaskEventType.PROGRESS, TaskEventType.PROGRESS,
        TaskEventType.SUCCEEDED);
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).seq()).isEqualTo(i + 1);
    }
    assertThat(view.lastSeq()).isEqualTo(events.size());
  }

  @Test
  @DisplayName("an unknown agent type is refused at once and names the known types")
  void unknownType() throws Exception {
    var failure = bus.request(Addresses.SCHEDULER_SUBMIT, submit("no-such-type", 1, null, null, 0));
    assertThat(Await.failure(failure)).isEqualTo(ErrorCode.UNKNOWN_AGENT_TYPE);
    assertThat(Await.failure(bus.request(Addresses.SCHEDULER_GET, TaskRef.of("tsk_nope"))))
        .isEqualTo(ErrorCode.TASK_NOT_FOUND);
  }

  @Test
  @DisplayName("a task past its deadline times out and its agent is told to stop")
  void timeout() throws Exception {
    String type = freshType();
    ManualAgent agent = deployAgent(type, 4);
    TaskView view = call(Addresses.SCHEDULER_SUBMIT, submit(type, "slow", 300L, null, 0));
    AgentTask task = agent.next(5);
    TaskView end = settled(view.id());
    assertThat(end.state()).isEqualTo(TaskState.TIMED_OUT);
    assertThat(end.error().code()).isEqualTo("task-timed-out");
    Await.until("the agent sees the stop", Duration.ofSeconds(5), task::stopped);
    assertThat(task.stopReason()).isEqualTo("timed out");
  }

  @Test
  @DisplayName("cancel stops the running agent; its late result is fenced and the task stays CANCELLED")
  void cancelAndFence() throws Exception {
    String type = freshType();
    ManualAgent agent = deployAgent(type, 4);
    TaskView view = call(Addresses.SCHEDULER_SUBMIT, submit(type, "work", null, null, 0));
    AgentTask task = agent.next(5);
    Await.until("running", Duration.ofSeconds(5), () -> {
      try {
        return call(Addresses.SCHEDULER_GET, TaskRef.of(view.id())).state() == TaskState.RUNNING;
      } catch (Exception e) {
        return false;
      }
    });
    TaskView cancelled = call(Addresses.SCHEDULER_CANCEL, new CancelTask(view.id(), "user changed their mind"));
    assertThat(cancelled.state()).isEqualTo(TaskState.CANCELLED);
    assertThat(cancelled.error().message()).isEqualTo("user changed their mind");
    Await.until("the agent sees the stop", Duration.ofSeconds(5), task::stopped);

    double fencedBefore = fenced();
    AgentReport late = new AgentReport(view.id(), task.epoch(), "x", AgentReport.Kind.RESULT, Json.tree("too late"));
    assertThat(Await.failure(bus.request(Addresses.schedulerReports(node.node().nodeId()), late)))
        .isEqualTo(ErrorCode.ATTEMPT_FENCED);
    assertThat(fenced()).isEqualTo(fencedBefore + 1);
    assertThat(settled(view.id()).state()).isEqualTo(TaskState.CANCELLED);
    assertThat(Await.failure(bus.request(Addresses.SCHEDULER_CANCEL, new CancelTask(view.id(), null))))
        .isEqualTo(ErrorCode.TASK_ALREADY_TERMINAL);
    assertThat(events(view.id())).filteredOn(e -> e.type().isTerminal()).hasSize(1);
  }

  private static double fenced() {
    Counter c = node.node().context().registry().find("agentbus.agent.reports.fenced").counter();
    return c == null ? 0 : c.count();
  }

  @Test
  @DisplayName("routing respects capacity: extra tasks wait, run when a slot frees, and a waiting task can be cancelled")
  void capacityAndQueue() throws Exception {
    String type = freshType();
    ManualAgent agent = deployAgent(type, 2);
    TaskView a = call(Addresses.SCHEDULER_SUBMIT, submit(type, "a", null, null, 0));
    TaskView b = call(Addresses.SCHEDULER_SUBMIT, submit(type, "b", null, null, 0));
    TaskView c = call(Addresses.SCHEDULER_SUBMIT, submit(type, "c", null, null, 0));
    TaskView d = call(Addresses.SCHEDULER_SUBMIT, submit(type, "d", null, null, 0));
    AgentTask first = agent.next(5);
    agent.next(5);
    agent.assertNothingWithin(300);
    assertThat(call(Addresses.SCHEDULER_GET, TaskRef.of(c.id())).state()).isEqualTo(TaskState.SUBMITTED);

    TaskView cancelled = call(Addresses.SCHEDULER_CANCEL, new CancelTask(c.id(), "not needed"));
    assertThat(cancelled.state()).isEqualTo(TaskState.CANCELLED);
    agent.onAgent(first, t -> t.complete(Json.tree("done")));
    AgentTask next = agent.next(5);
    assertThat(next.taskId()).as("the queued task that was not cancelled runs next").isEqualTo(d.id());
    assertThat(settled(first.taskId()).state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(List.of(a.id(), b.id())).contains(first.taskId());
  }

  @Test
  @DisplayName("a repeat with the same Idempotency-Key returns the same task; a different body with it is refused")
  void idempotencyKey() throws Exception {
    String key = "order-" + TYPES.incrementAndGet();
    Message<TaskView> first = Await.result(bus.request(Addresses.SCHEDULER_SUBMIT,
        submit("echo", Map.of("n", 1), null, key, 10_000)));
    Message<TaskView> again = Await.result(bus.request(Addresses.SCHEDULER_SUBMIT,
        submit("echo", Map.of("n", 1), null, key, 10_000)));
    assertThat(again.body().id()).isEqualTo(first.body().id());
    assertThat(again.headers().get(Submissions.REPLAYED)).isEqualTo("true");
    assertThat(first.headers().get(Submissions.REPLAYED)).isNull();
    assertThat(Await.failure(bus.request(Addresses.SCHEDULER_SUBMIT, submit("echo", Map.of("n", 2), null, key, 0))))
        .isEqualTo(ErrorCode.IDEMPOTENCY_KEY_REUSED);
  }

  @Test
  @DisplayName("when an agent vanishes mid-task, the task moves to another agent of its type as a new attempt")
  void agentLost() throws Exception {
    String type = freshType();
    ManualAgent doomed = deployAgent(type, 1);
    TaskView view = call(Addresses.SCHEDULER_SUBMIT, submit(type, "x", null, null, 0));
    AgentTask lost = doomed.next(5);
    ManualAgent survivor = deployAgent(type, 1);
    Await.result(vertx.undeploy(doomed.deploymentID()));
    AgentTask retried = survivor.next(5);
    assertThat(retried.taskId()).isEqualTo(view.id());
    assertThat(retried.epoch()).isGreaterThan(lost.epoch());
    AgentReport stale = new AgentReport(view.id(), lost.epoch(), "x", AgentReport.Kind.RESULT, Json.tree("stale"));
    assertThat(Await.failure(bus.request(Addresses.schedulerReports(node.node().nodeId()), stale)))
        .isEqualTo(ErrorCode.ATTEMPT_FENCED);
    survivor.onAgent(retried, t -> t.complete(Json.tree("fresh")));
    TaskView end = settled(view.id());
    assertThat(end.state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(end.result().asText()).isEqualTo("fresh");
    assertThat(end.attempt()).isEqualTo(2);
    assertThat(events(view.id())).extracting(TaskEvent::type).contains(TaskEventType.REQUEUED);
  }

  @Test
  @DisplayName("a result racing a cancel ends the task exactly once")
  void terminalExactlyOnce() throws Exception {
    String type = freshType();
    ManualAgent agent = deployAgent(type, 8);
    for (int i = 0; i < 20; i++) {
      TaskView view = call(Addresses.SCHEDULER_SUBMIT, submit(type, i, null, null, 0));
      AgentTask task = agent.next(5);
      agent.onAgent(task, t -> t.complete(Json.tree("done")));
      bus.request(Addresses.SCHEDULER_CANCEL, new CancelTask(view.id(), "race"));
      TaskView end = settled(view.id());
      assertThat(end.state()).isIn(TaskState.SUCCEEDED, TaskState.CANCELLED);
      assertThat(events(view.id())).filteredOn(e -> e.type().isTerminal()).hasSize(1);
    }
  }
}
