package io.agentbus.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbus.api.Addresses;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.LifecycleNotice;
import io.agentbus.api.TaskEvent;
import io.agentbus.api.TaskEventType;
import io.agentbus.api.TaskView;
import io.agentbus.config.NodeContext;
import io.agentbus.config.Setting;
import io.agentbus.events.TaskLog;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.kafka.client.producer.RecordMetadata;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tasks this scheduler owns and everything that happens when one of them emits an event: the event gets the
 * next sequence number, goes to Kafka (lifecycle events always, stream events when configured), to the task's
 * watchers, and (lifecycle events) to the observer. A terminal event is retried until Kafka has it; only then do
 * watchers, waiters and readers see the task as finished. Finished tasks are kept for tasks.retention-ms (at most
 * tasks.retention-max of them, holding at most tasks.retention-max-events events together). Event-loop confined.
 */
final class TaskBook {

  private static final Logger LOG = LoggerFactory.getLogger(TaskBook.class);
  private static final long MAX_RETRY_DELAY_MS = 5000;

  private final Vertx vertx;
  private final NodeContext node;
  private final TaskLog log;
  private final TaskTable table;
  private final boolean recordStreamEvents;
  private final long retentionNanos;
  private final int retentionMax;
  private final long retentionMaxEvents;
  /** Events held by the finished tasks. */
  private long retainedEvents;
  private final Map<String, TaskRecord> tasks = new LinkedHashMap<>();
  private final ArrayDeque<TaskRecord> finished = new ArrayDeque<>();
  private final Map<String, List<Promise<TaskView>>> waiters = new HashMap<>();
  private final Counter logFailures;
  private final Counter givenUp;
  private final RecoveryMarks marks = new RecoveryMarks();
  private java.util.function.BooleanSupplier hold = () -> true;
  private java.util.function.Consumer<TaskRecord> onSettled = task -> { };

  TaskBook(Vertx vertx, NodeContext node, TaskLog log, TaskTable table) {
    this.vertx = vertx;
    this.node = node;
    this.log = log;
    this.table = table;
    this.recordStreamEvents = node.config().getBoolean(Setting.KAFKA_RECORD_STREAM_EVENTS);
    this.retentionNanos = node.config().getLong(Setting.TASKS_RETENTION_MS) * 1_000_000L;
    this.retentionMax = node.config().getInt(Setting.TASKS_RETENTION_MAX);
    this.retentionMaxEvents = node.config().getLong(Setting.TASKS_RETENTION_MAX_EVENTS);
    this.logFailures = Counter.builder("agentbus.kafka.send.failures")
        .description("Task events Kafka did not acknowledge (lifecycle events are retried)")
        .register(node.registry());
    this.givenUp = Counter.builder("agentbus.tasks.given.up")
        .description("Live tasks this scheduler let go without finishing them because it lost its owner lease")
        .register(node.registry());
  }

  TaskRecord get(String taskId) {
    return tasks.get(taskId);
  }

  /** Every owned task, oldest first. */
  List<TaskRecord> all() {
    return new ArrayList<>(tasks.values());
  }

  /**
   * Makes a new task's submitted event durable. Only when that succeeds is the task owned, counted and visible;
   * otherwise nothing of it remains here. A task whose event became durable after this scheduler lost its lease is
   * accepted but given up at once (marked abandoned): whoever takes this node's tasks over runs it.
   */
  Future<Void> accept(TaskRecord record, TaskEvent submitted) {
    if (!hold.getAsBoolean()) {
      return Future.failedFuture(notHeld());
    }
    return log.append(submitted, record.traceparent).map(meta -> {
      own(record, meta);
      notifyObserver(record, submitted, null);
      if (!hold.getAsBoolean()) {
        abandon(record);
      }
      return null;
    });
  }

  /** Whether this scheduler may write about its tasks now (it holds its owner lease). */
  boolean holds() {
    return hold.getAsBoolean();
  }

  AgentbusException notHeld() {
    return new AgentbusException(ErrorCode.NODE_CUT_OFF, "node " + node.nodeId()
        + " does not hold its tasks now (it cannot renew its owner lease in the cluster); submit to another node");
  }

  /**
   * Takes over a task of a lost node: its adoption event (which carries the whole task) is retried until durable;
   * then the task is owned here and listed in the task table so requests for it find this node.
   */
  Future<Void> adopt(TaskRecord record, TaskEvent adoption) {
    return appendDurably(record, adoption, 0).map(meta -> {
      own(record, meta);
      table.put(record.view());
      notifyObserver(record, adoption, null);
      if (!hold.getAsBoolean()) {
        abandon(record);
      }
      return null;
    });
  }

  private void own(TaskRecord record, RecordMetadata anchor) {
    tasks.put(record.id, record);
    node.lifecycle().taskStarted();
    marks.anchor(record.id, anchor.getPartition(), anchor.getOffset());
  }

  RecoveryMarks marks() {
    return marks;
  }

  /** Called once for every task whose terminal event became durable here. */
  void onSettled(java.util.function.Consumer<TaskRecord> listener) {
    this.onSettled = listener;
  }

  /** What says whether this scheduler still holds its tasks; no task event is written without it. */
  void holdBy(java.util.function.BooleanSupplier hold) {
    this.hold = hold;
  }

  /** Emits a non-terminal event of an owned task. */
  TaskEvent emit(TaskRecord record, TaskEventType type, JsonNode data) {
    TaskEvent event = record.append(type, data, Instant.now());
    if (type.isLifecycle()) {
      appendDurably(record, event, 0);
      notifyObserver(record, event, null);
    } else if (recordStreamEvents && hold.getAsBoolean()) {
      log.append(event, record.traceparent)
          .onSuccess(meta -> marks.seen(meta.getPartition(), meta.getOffset()))
          .onFailure(err -> logFailures.increment());
    }
    sendToWatchers(record, event);
    return event;
  }

  /**
   * Ends a task with a terminal event, exactly once: returns false (and does nothing) when it already ended. Callers
   * set the result or error on the record first.
   */
  boolean finish(TaskRecord record, TaskEventType type, JsonNode data, String errorCode) {
    if (record.isTerminal()) {
      return false;
    }
    TaskEvent event = record.append(type, data, Instant.now());
    if (record.timeoutTimer >= 0) {
      vertx.cancelTimer(record.timeoutTimer);
      record.timeoutTimer = -1;
    }
    appendDurably(record, event, 0).onSuccess(v -> settle(record, event, errorCode));
    return true;
  }

  private void settle(TaskRecord record, TaskEvent terminal, String errorCode) {
    if (record.abandoned) {
      return;
    }
    record.markTerminalDurable();
    node.lifecycle().taskEnded();
    notifyObserver(record, terminal, errorCode);
    sendToWatchers(record, terminal);
    record.watchers().clear();
    TaskView view = record.view();
    List<Promise<TaskView>> waiting = waiters.remove(record.id);
    if (waiting != null) {
      waiting.forEach(p -> p.tryComplete(view));
    }
    marks.release(record.id);
    onSettled.accept(record);
    record.finishedAtNanos = System.nanoTime();
    finished.addLast(record);
    retainedEvents += record.eventCount();
  }

  // lifecycle events must reach Kafka: retry with backoff for as long as the node runs
  private Future<RecordMetadata> appendDurably(TaskRecord record, TaskEvent event, int attempt) {
    if (record.abandoned || !hold.getAsBoolean()) {
      return Future.failedFuture("task " + record.id + " was given up by this scheduler");
    }
    return log.append(event, record.traceparent).onSuccess(meta -> marks.seen(meta.getPartition(), meta.getOffset()))
        .recover(err -> {
      logFailures.increment();
      if (node.lifecycle().phase() == io.agentbus.config.NodeLifecycle.Phase.STOPPED || record.abandoned) {
        return Future.failedFuture(err);
      }
      long delay = Math.min(MAX_RETRY_DELAY_MS, 100L << Math.min(attempt, 6));
      LOG.warn("task event {}:{} not acknowledged by Kafka ({}); retrying in {} ms", event.taskId(), event.seq(),
          err.toString(), delay);
      Promise<RecordMetadata> retried = Promise.promise();
      vertx.setTimer(delay, t -> appendDurably(record, event, attempt + 1).onComplete(retried));
      return retried.future();
    });
  }

  /**
   * The task's view once it has settled, or its current view after {@code waitMs}, whichever comes first
   * ({@code Long.MAX_VALUE}: no time limit).
   */
  Future<TaskView> awaitSettled(TaskRecord record, long waitMs) {
    if (record.isSettled() || waitMs <= 0) {
      return Future.succeededFuture(record.view());
    }
    Promise<TaskView> promise = Promise.promise();
    List<Promise<TaskView>> list = waiters.computeIfAbsent(record.id, id -> new ArrayList<>());
    list.add(promise);
    if (waitMs == Long.MAX_VALUE) {
      return promise.future();
    }
    long timer = vertx.setTimer(waitMs, t -> {
      List<Promise<TaskView>> current = waiters.get(record.id);
      if (current != null) {
        current.remove(promise);
        if (current.isEmpty()) {
          waiters.remove(record.id);
        }
      }
      promise.tryComplete(record.view());
    });
    return promise.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  void watch(TaskRecord record, String watcherAddress) {
    if (!record.isSettled()) {
      record.watchers().add(watcherAddress);
    }
  }

  void unwatch(TaskRecord record, String watcherAddress) {
    record.watchers().remove(watcherAddress);
  }

  private void sendToWatchers(TaskRecord record, TaskEvent event) {
    if (record.watchers().isEmpty() || (event.type().isTerminal() && !record.isSettled())) {
      return;
    }
    EventBus bus = vertx.eventBus();
    for (String address : record.watchers()) {
      bus.send(address, event);
    }
  }

  private void notifyObserver(TaskRecord record, TaskEvent event, String errorCode) {
    vertx.eventBus().publish(Addresses.OBSERVER_LIFECYCLE, new LifecycleNotice(record.id, record.agentType,
        event.type(), event.seq(), record.createdAt, event.time(), record.attempts(), record.agentId(), node.nodeId(),
        errorCode));
  }

  /**
   * Lets go of a live task without writing anything more about it (its new owner will): it leaves this book, its
   * waiters get its current view, its deadline clock stops.
   */
  void abandon(TaskRecord record) {
    record.abandoned = true;
    givenUp.increment();
    if (record.timeoutTimer >= 0) {
      vertx.cancelTimer(record.timeoutTimer);
      record.timeoutTimer = -1;
    }
    if (tasks.remove(record.id) != null) {
      node.lifecycle().taskEnded();
    }
    marks.release(record.id);
    record.watchers().clear();
    // a client waiting for it (a submit with ?wait included: the task is accepted) gets its view as it is now
    List<Promise<TaskView>> waiting = waiters.remove(record.id);
    if (waiting != null) {
      TaskView view = record.view();
      waiting.forEach(p -> p.tryComplete(view));
    }
  }

  /** Forgets finished tasks past retention; returns how many. */
  int evictExpired() {
    long now = System.nanoTime();
    int evicted = 0;
    while (!finished.isEmpty() && (finished.size() > retentionMax || retainedEvents > retentionMaxEvents
        || now - finished.peekFirst().finishedAtNanos > retentionNanos)) {
      TaskRecord r = finished.pollFirst();
      retainedEvents -= r.eventCount();
      tasks.remove(r.id);
      if (r.adopted) {
        table.remove(r.id);
      }
      evicted++;
    }
    return evicted;
  }

  int owned() {
    return tasks.size();
  }
}
