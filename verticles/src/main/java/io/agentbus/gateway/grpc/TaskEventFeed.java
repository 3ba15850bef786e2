package io.agentbus.gateway.grpc;

import io.agentbus.api.Addresses;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.Failures;
import io.agentbus.api.TaskEvent;
import io.agentbus.api.TaskEventBatch;
import io.agentbus.api.WatchTask;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Task events for Stream calls. This gateway instance watches a task at its owner's scheduler once, however many
 * calls follow it. Each call holds at most {@code bufferLimit} events its client has not taken yet: while the HTTP/2
 * stream cannot take more, events queue there up to the limit, and events past it are dropped and fetched again
 * from the owner (which keeps every event of a retained task) once the client caught up. So a slow reader costs a
 * bounded amount of memory and still gets every event, in order, once. A gap in the sequence (an event lost on the
 * bus) is filled the same way; a periodic refresh finds a task's new owner after a node loss. Event-loop confined.
 */
final class TaskEventFeed {

  private static final long WATCH_TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final String address;
  private final int bufferLimit;
  private final long refreshMs;
  private final GrpcMetrics metrics;
  private final Map<String, List<Follower>> byTask = new HashMap<>();
  private MessageConsumer<TaskEvent> consumer;
  private long refreshTimer = -1;

  TaskEventFeed(Vertx vertx, String address, int bufferLimit, long refreshMs, GrpcMetrics metrics) {
    this.vertx = vertx;
    this.address = address;
    this.bufferLimit = bufferLimit;
    this.refreshMs = refreshMs;
    this.metrics = metrics;
  }

  Future<Void> start() {
    consumer = vertx.eventBus().consumer(address, msg -> onEvent(msg.body()));
    refreshTimer = vertx.setPeriodic(refreshMs, t -> byTask.values().stream().flatMap(List::stream).toList()
        .forEach(Follower::fetch));
    return consumer.completion();
  }

  Future<Void> stop() {
    vertx.cancelTimer(refreshTimer);
    byTask.values().stream().flatMap(List::stream).toList().forEach(f -> f.call.fail(ErrorCode.UNAVAILABLE,
        "the gateway is stopping; follow the task again after seq " + f.lastSeq));
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /** Streams the events of {@code taskId} after {@code afterSeq} to {@code call}, ending it after the terminal one. */
  void follow(String taskId, long afterSeq, Call<?, io.agentbus.grpc.v1.TaskEvent> call) {
    Follower f = new Follower(taskId, afterSeq, call);
    byTask.computeIfAbsent(taskId, id -> new ArrayList<>()).add(f);
    call.drainHandler(v -> f.pump());
    f.fetch();
  }

  private void onEvent(TaskEvent event) {
    List<Follower> followers = byTask.get(event.taskId());
    if (followers != null) {
      for (Follower f : List.copyOf(followers)) {
        f.offer(event);
      }
    }
  }

  private Future<TaskEventBatch> watch(String taskId, long after) {
    return vertx.eventBus().<TaskEventBatch>request(Addresses.SCHEDULER_WATCH, new WatchTask(taskId, after, address),
        new DeliveryOptions().setSendTimeout(WATCH_TIMEOUT_MS)).map(Message::body);
  }

  /** One Stream call following one task. */
  private final class Follower {
    final String taskId;
    final Call<?, io.agentbus.grpc.v1.TaskEvent> call;
    final ArrayDeque<TaskEvent> buffer = new ArrayDeque<>();
    /** Sequence number of the newest event buffered or written. */
    long lastSeq;
    /** Events were dropped (buffer full, or a gap): fetch from lastSeq once the buffer is empty. */
    boolean behind = true;
    boolean fetching;
    /** An event came while a fetch was under way and was not kept. */
    boolean missed;
    boolean closed;

    Follower(String taskId, long afterSeq, Call<?, io.agentbus.grpc.v1.TaskEvent> call) {
      this.taskId = taskId;
      this.lastSeq = afterSeq;
      this.call = call;
    }

    void offer(TaskEvent event) {
      if (closed || event.seq() <= lastSeq) {
        return;
      }
      if (behind || event.seq() > lastSeq + 1 || buffer.size() >= bufferLimit) {
        missed |= fetching;
        if (!behind) {
          behind = true;
          if (buffer.size() >= bufferLimit) {
            metrics.streamOverflow();
          }
        }
        pump();
        return;
      }
      hold(event);
      pump();
    }

    private void hold(TaskEvent event) {
      buffer.addLast(event);
      metrics.buffered.incrementAndGet();
      lastSeq = event.seq();
    }

    void pump() {
      while (!closed && !buffer.isEmpty()) {
        if (call.ended()) {
          close();
          return;
        }
        if (call.writeQueueFull()) {
          metrics.streamStalled();
          return;
        }
        TaskEvent event = buffer.pollFirst();
        metrics.buffered.decrementAndGet();
        if (event.type().isTerminal()) {
          call.end(ProtoTasks.event(event));
          close();
          return;
        }
        call.write(ProtoTasks.event(event));
      }
      if (call.ended()) {
        close();
      } else if (behind && buffer.isEmpty()) {
        fetch();
      }
    }

    // asks the owner for everything after lastSeq (also how a call starts); keeps what fits, drops the rest
    void fetch() {
      if (closed || fetching || !buffer.isEmpty() && !behind) {
        return;
      }
      fetching = true;
      watch(taskId, lastSeq).onComplete(ar -> {
        fetching = false;
        if (closed) {
          return;
        }
        if (ar.failed()) {
          if (lastSeq == 0 || Failures.toException(ar.cause()).code() == ErrorCode.TASK_NOT_FOUND) {
            call.fail(ar.cause());
            close();
          }
          return;
        }
        boolean complete = true;
        for (TaskEvent e : ar.result().events()) {
          if (e.seq() <= lastSeq) {
            continue;
          }
          if (buffer.size() >= bufferLimit) {
            complete = false;
            break;
          }
          hold(e);
        }
        behind = !complete || missed;
        missed = false;
        pump();
      });
    }

    void close() {
      if (closed) {
        return;
      }
      closed = true;
      metrics.buffered.addAndGet(-buffer.size());
      buffer.clear();
      List<Follower> followers = byTask.get(taskId);
      if (followers != null && followers.remove(this) && followers.isEmpty()) {
        byTask.remove(taskId);
        vertx.eventBus().send(Addresses.SCHEDULER_UNWATCH, new WatchTask(taskId, 0, address));
      }
    }
  }
}
