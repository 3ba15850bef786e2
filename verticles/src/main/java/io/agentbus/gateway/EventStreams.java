package io.agentbus.gateway;

import io.agentbus.api.Addresses;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.Failures;
import io.agentbus.api.Json;
import io.agentbus.api.TaskEvent;
import io.agentbus.api.TaskEventBatch;
import io.agentbus.api.WatchTask;
import io.agentbus.config.NodeContext;
import io.agentbus.config.Setting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Server-Sent Events of tasks. Each event is written with {@code id: <seq>}; a client reconnecting with
 * {@code Last-Event-ID} (or {@code ?after=}) gets exactly the events after it, then the live ones. This gateway
 * instance watches a task at its owner's scheduler once, however many clients follow it; a gap in the sequence
 * (an event lost on the bus) is filled by asking the owner again. The stream ends after the terminal event. A
 * client that does not keep up is disconnected (it may resume) so memory stays bounded. Event-loop confined.
 */
final class EventStreams {

  private static final int MAX_UNWRITTEN = 1000;
  private static final long WATCH_TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final String address;
  private final long keepaliveMs;
  private final Map<String, List<Stream>> byTask = new HashMap<>();
  private MessageConsumer<TaskEvent> consumer;
  private long refreshTimer = -1;

  EventStreams(Vertx vertx, NodeContext node) {
    this.vertx = vertx;
    this.address = Addresses.gatewayTaskEvents(node.nodeId(), UUID.randomUUID().toString().substring(0, 8));
    this.keepaliveMs = node.config().getLong(Setting.HTTP_SSE_KEEPALIVE_MS);
  }

  Future<Void> start() {
    consumer = vertx.eventBus().consumer(address, msg -> onEvent(msg.body()));
    refreshTimer = vertx.setPeriodic(keepaliveMs, t -> refreshAll());
    return consumer.completion();
  }

  /**
   * Watches every followed task again from the last event written: this finds a task's new owner after its node
   * was lost, and fills in anything the event bus dropped. Streams whose task no longer exists end.
   */
  void refreshAll() {
    for (String taskId : List.copyOf(byTask.keySet())) {
      List<Stream> streams = byTask.get(taskId);
      long oldest = streams.stream().filter(s -> !s.replaying).mapToLong(s -> s.lastSeq).min().orElse(-1);
      if (oldest < 0) {
        continue;
      }
      watch(taskId, oldest).onComplete(ar -> {
        List<Stream> now = byTask.getOrDefault(taskId, List.of());
        for (Stream s : List.copyOf(now)) {
          if (s.replaying || s.closed) {
            continue;
          }
          if (ar.succeeded()) {
            ar.result().events().forEach(e -> write(s, e));
          } else if (Failures.toException(ar.cause()).code() == ErrorCode.TASK_NOT_FOUND) {
            s.response.end();
            close(s);
          }
        }
      });
    }
  }

  void open(RoutingContext ctx) {
    String taskId = ctx.pathParam("id");
    long after;
    try {
      after = afterSeq(ctx);
    } catch (AgentbusException e) {
      Problems.send(ctx, e);
      return;
    }
    String accept = ctx.request().getHeader("Accept");
    if (accept != null && !accept.contains("text/event-stream") && !accept.contains("*/*")
        && !accept.contains("text/*")) {
      Problems.send(ctx, ErrorCode.NOT_ACCEPTABLE, "this resource is a text/event-stream");
      return;
    }
    Stream stream = new Stream(taskId, ctx.response(), after);
    byTask.computeIfAbsent(taskId, id -> new ArrayList<>()).add(stream);
    ctx.response().closeHandler(v -> close(stream));
    watch(taskId, after).onComplete(ar -> {
      if (stream.closed) {
        return;
      }
      if (ar.failed()) {
        detach(stream);
        Problems.send(ctx, ar.cause());
        return;
      }
      HttpServerResponse r = ctx.response();
      r.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
          .putHeader("Cache-Control", "no-cache").putHeader("X-Accel-Buffering", "no");
      r.write(": agentbus events of " + taskId + "\n\n");
      stream.keepalive = vertx.setPeriodic(keepaliveMs, t -> {
        if (!stream.closed) {
          r.write(": keepalive\n\n");
        }
      });
      catchUp(stream, ar.result());
    });
  }

  private Future<TaskEventBatch> watch(String taskId, long after) {
    return vertx.eventBus().<TaskEventBatch>request(Addresses.SCHEDULER_WATCH, new WatchTask(taskId, after, address),
        new DeliveryOptions().setSendTimeout(WATCH_TIMEOUT_MS)).map(m -> m.body());
  }

  // writes a replayed batch, then whatever arrived live meanwhile, in order and without repeats
  private void catchUp(Stream stream, TaskEventBatch batch) {
    batch.events().forEach(e -> write(stream, e));
    stream.replaying = false;
    List<TaskEvent> pending = stream.pending;
    stream.pending = new ArrayList<>();
    pending.forEach(e -> deliver(stream, e));
  }

  private void onEvent(TaskEvent event) {
    List<Stream> streams = byTask.get(event.taskId());
    if (streams == null) {
      return;
    }
    for (Stream s : List.copyOf(streams)) {
      if (s.replaying) {
        s.pending.add(event);
      } else {
        deliver(s, event);
      }
    }
  }

  private void deliver(Stream stream, TaskEvent event) {
    if (stream.closed || event.seq() <= stream.lastSeq) {
      return;
    }
    if (event.seq() > stream.lastSeq + 1) {
      // an event went missing on the way: ask the owner for everything since the last one written
      stream.replaying = true;
      stream.pending.add(event);
      watch(stream.taskId, stream.lastSeq).onComplete(ar -> {
        if (ar.succeeded()) {
          catchUp(stream, ar.result());
        } else {
          stream.response.end();
          close(stream);
        }
      });
      return;
    }
    write(stream, event);
  }

  private void write(Stream stream, TaskEvent event) {
    if (stream.closed || event.seq() <= stream.lastSeq) {
      return;
    }
    stream.lastSeq = event.seq();
    String frame = "id: " + event.seq() + "\nevent: " + event.type().wireName() + "\ndata: " + Json.toString(event)
        + "\n\n";
    stream.unwritten++;
    stream.response.write(Buffer.buffer(frame)).onComplete(ar -> stream.unwritten--);
    if (event.type().isTerminal()) {
      stream.response.end();
      close(stream);
    } else if (stream.unwritten > MAX_UNWRITTEN) {
      stream.response.reset();
      close(stream);
    }
  }

  private void close(Stream stream) {
    if (stream.closed) {
      return;
    }
    stream.closed = true;
    if (stream.keepalive >= 0) {
      vertx.cancelTimer(stream.keepalive);
    }
    detach(stream);
  }

  private void detach(Stream stream) {
    stream.closed = true;
    List<Stream> streams = byTask.get(stream.taskId);
    if (streams != null && streams.remove(stream) && streams.isEmpty()) {
      byTask.remove(stream.taskId);
      vertx.eventBus().send(Addresses.SCHEDULER_UNWATCH, new WatchTask(stream.taskId, 0, address));
    }
  }

  private static long afterSeq(RoutingContext ctx) {
    String header = ctx.request().getHeader("Last-Event-ID");
    String param = ctx.request().getParam("after");
    String value = header != null ? header.trim() : param;
    if (value == null || value.isEmpty()) {
      return 0;
    }
    try {
      long after = Long.parseLong(value);
      if (after < 0) {
        throw new NumberFormatException();
      }
      return after;
    } catch (NumberFormatException e) {
      throw new AgentbusException(header != null ? ErrorCode.INVALID_HEADER : ErrorCode.INVALID_PARAMETER,
          "Last-Event-ID / after must be the non-negative sequence number of the last event seen");
    }
  }

  Future<Void> stop() {
    vertx.cancelTimer(refreshTimer);
    byTask.values().stream().flatMap(List::stream).toList().forEach(s -> {
      s.response.end();
      close(s);
    });
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /** One client following one task. */
  private static final class Stream {
    final String taskId;
    final HttpServerResponse response;
    long lastSeq;
    boolean replaying = true;
    boolean closed;
    List<TaskEvent> pending = new ArrayList<>();
    long keepalive = -1;
    int unwritten;

    Stream(String taskId, HttpServerResponse response, long lastSeq) {
      this.taskId = taskId;
      this.response = response;
      this.lastSeq = lastSeq;
    }
  }
}
