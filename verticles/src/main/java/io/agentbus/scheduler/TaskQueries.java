package io.agentbus.scheduler;

import io.agentbus.api.Addresses;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.CancelTask;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.Failures;
import io.agentbus.api.Json;
import io.agentbus.api.TaskError;
import io.agentbus.api.TaskEventBatch;
import io.agentbus.api.TaskEventType;
import io.agentbus.api.TaskPage;
import io.agentbus.api.TaskQuery;
import io.agentbus.api.TaskRef;
import io.agentbus.api.TaskView;
import io.agentbus.api.WatchTask;
import io.agentbus.config.NodeContext;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Answers questions about single tasks (get, cancel, watch) and lists recent ones. A request for a task this
 * scheduler does not own, arriving on a generic address, is forwarded to the owner's scheduler.
 */
final class TaskQueries {

  private static final String NODE_ADDRESSES = "agentbus.scheduler.node.";
  private static final long FORWARD_TIMEOUT_MS = 90_000;
  private static final long LIST_TIMEOUT_MS = 5_000;

  private static final int MAX_LIST = 1000;

  private final Vertx vertx;
  private final NodeContext node;
  private final TaskBook book;
  private final Dispatcher dispatcher;
  private final OwnerRequests owners;

  TaskQueries(Vertx vertx, NodeContext node, TaskBook book, Dispatcher dispatcher, OwnerRequests owners) {
    this.vertx = vertx;
    this.node = node;
    this.book = book;
    this.dispatcher = dispatcher;
    this.owners = owners;
  }

  void get(Message<TaskRef> msg) {
    TaskRef ref = msg.body();
    withTask(msg, ref.taskId(), task -> book.awaitSettled(task, ref.waitMs()).onSuccess(msg::reply));
  }

  void cancel(Message<CancelTask> msg) {
    CancelTask cancel = msg.body();
    withTask(msg, cancel.taskId(), task -> {
      if (task.isTerminal()) {
        book.awaitSettled(task, Long.MAX_VALUE).onSuccess(view -> alreadyTerminal(msg, view));
        return;
      }
      String reason = cancel.reason() == null || cancel.reason().isBlank() ? "cancelled by request" : cancel.reason();
      dispatcher.stopAttempt(task, reason);
      task.fail(TaskError.of(ErrorCode.TASK_CANCELLED, reason));
      book.finish(task, TaskEventType.CANCELLED, Json.object().put("reason", reason), ErrorCode.TASK_CANCELLED.slug());
      book.awaitSettled(task, Long.MAX_VALUE).onSuccess(msg::reply);
    });
  }

  private static void alreadyTerminal(Message<?> msg, TaskView view) {
    Failures.fail(msg, new AgentbusException(ErrorCode.TASK_ALREADY_TERMINAL,
        "task " + view.id() + " already ended: " + view.state()));
  }

  void watch(Message<WatchTask> msg) {
    WatchTask watch = msg.body();
    withTask(msg, watch.taskId(), task -> {
      msg.reply(new TaskEventBatch(task.id, task.eventsAfter(watch.afterSeq()), task.isSettled(), task.ownerNode));
      book.watch(task, watch.watcherAddress());
    });
  }

  void unwatch(Message<WatchTask> msg) {
    withTask(msg, msg.body().taskId(), task -> {
      book.unwatch(task, msg.body().watcherAddress());
      msg.reply(null);
    });
  }

  /**
   * Recent tasks. On the generic address the answer covers the whole cluster: this scheduler asks every member's
   * scheduler for its own and merges them, newest first (members that do not answer in time are left out).
   */
  void list(Message<TaskQuery> msg) {
    TaskQuery q = msg.body();
    int limit = q.limit() <= 0 ? 50 : Math.min(q.limit(), MAX_LIST);
    List<TaskView> local = localList(q, limit);
    if (msg.address().startsWith(NODE_ADDRESSES)) {
      msg.reply(new TaskPage(local));
      return;
    }
    List<io.vertx.core.Future<TaskPage>> others = new ArrayList<>();
    for (String member : ClusterMembers.nodeIds(node.hazelcast())) {
      if (!member.equals(node.nodeId())) {
        others.add(vertx.eventBus().<TaskPage>request(Addresses.schedulerOn(member, Addresses.SCHEDULER_LIST), q,
            new DeliveryOptions().setSendTimeout(LIST_TIMEOUT_MS)).map(Message::body));
      }
    }
    io.vertx.core.Future.join(others).onComplete(ar -> {
      List<TaskView> all = new ArrayList<>(local);
      others.stream().filter(io.vertx.core.Future::succeeded).forEach(f -> all.addAll(f.result().tasks()));
      all.sort(java.util.Comparator.comparing(TaskView::createdAt).reversed());
      msg.reply(new TaskPage(all.subList(0, Math.min(limit, all.size()))));
    });
  }

  private List<TaskView> localList(TaskQuery q, int limit) {
    List<TaskRecord> all = book.all();
    List<TaskView> out = new ArrayList<>();
    for (int i = all.size() - 1; i >= 0 && out.size() < limit; i--) {
      TaskView view = all.get(i).view();
      if ((q.state() == null || view.state() == q.state())
          && (q.agentType() == null || view.agentType().equals(q.agentType()))
          && (q.tenant() == null || io.agentbus.api.Tenants.owns(q.tenant(), view))) {
        out.add(view);
      }
    }
    return out;
  }

  /**
   * Runs {@code owned} with the task if this scheduler owns it. On a generic address, a request for a task accepted
   * on another node (its id says which) is forwarded to that node's scheduler, and one for a task this node accepted
   * and gave up to the node that took it over. Otherwise the task is unknown here: it never existed, or it ended
   * more than tasks.retention-ms ago.
   */
  private <T> void withTask(Message<T> msg, String taskId, Consumer<TaskRecord> owned) {
    TaskRecord task = TaskIds.wellFormed(taskId) ? book.get(taskId) : null;
    if (task != null) {
      owned.accept(task);
      return;
    }
    String acceptedBy = TaskIds.wellFormed(taskId) ? TaskIds.acceptedBy(taskId) : null;
    if (acceptedBy == null || msg.address().startsWith(NODE_ADDRESSES)) {
      Failures.fail(msg, notFound(taskId));
    } else if (!acceptedBy.equals(node.nodeId())) {
      forward(msg, taskId, acceptedBy);
    } else {
      // accepted here and not here any more: it ended long ago, or this node gave it up and another took it over
      owners.toNewOwner(taskId, msg.address(), msg.body(), FORWARD_TIMEOUT_MS)
          .onSuccess(reply -> msg.reply(reply.body(), new DeliveryOptions().setHeaders(reply.headers())))
          .onFailure(err -> Failures.fail(msg, err));
    }
  }

  static AgentbusException notFound(String taskId) {
    return io.agentbus.api.Tenants.notFound(taskId);
  }

  private <T> void forward(Message<T> msg, String taskId, String acceptedBy) {
    owners.request(taskId, acceptedBy, msg.address(), msg.body(), FORWARD_TIMEOUT_MS)
        .onSuccess(reply -> msg.reply(reply.body(), new DeliveryOptions().setHeaders(reply.headers())))
        .onFailure(err -> Failures.fail(msg, err));
  }
}
