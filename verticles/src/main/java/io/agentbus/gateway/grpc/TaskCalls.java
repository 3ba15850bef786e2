package io.agentbus.gateway.grpc;

import io.agentbus.api.Addresses;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.CancelTask;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.Failures;
import io.agentbus.api.SubmitTask;
import io.agentbus.api.Tenants;
import io.agentbus.api.TaskRef;
import io.agentbus.api.TaskView;
import io.agentbus.config.NodeContext;
import io.agentbus.config.Setting;
import io.agentbus.gateway.SubmitRequests;
import io.agentbus.grpc.v1.BatchResult;
import io.agentbus.grpc.v1.CancelTaskRequest;
import io.agentbus.grpc.v1.GetTaskRequest;
import io.agentbus.grpc.v1.RunBatchRequest;
import io.agentbus.grpc.v1.RunBatchResponse;
import io.agentbus.grpc.v1.StreamRequest;
import io.agentbus.grpc.v1.SubmitRequest;
import io.agentbus.grpc.v1.Task;
import io.agentbus.grpc.v1.TaskEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * The TaskService RPCs. They reach the scheduler over the event bus exactly as the HTTP routes do. A call that runs
 * a task (Run, Stream of a submitted task, RunBatch) first has the task accepted, then waits at its owner; so the
 * task id is known early, and a call abandoned by its client (deadline, cancel) cancels its task even when that
 * happens before the task was accepted.
 */
final class TaskCalls {

  /** Reply header the scheduler sets when a submit returned the task of an earlier one with the same key. */
  private static final String REPLAYED = "agentbus-replayed";
  private static final long ACCEPT_TIMEOUT_MS = 35_000;
  private static final long SETTLE_MARGIN_MS = 5_000;
  private static final int MAX_WAITS = 10;

  private final Vertx vertx;
  private final NodeContext node;
  private final ProtoTasks protos;
  private final TaskEventFeed feed;
  private final String submitAddress;
  private final io.agentbus.gateway.TaskOwnership ownership;
  private final long defaultTimeoutMs;
  private final long maxWaitMs;
  private final int maxBatch;
  private final boolean cancelOnClientCancel;

  TaskCalls(Vertx vertx, NodeContext node, ProtoTasks protos, TaskEventFeed feed, String submitAddress) {
    this.vertx = vertx;
    this.node = node;
    this.protos = protos;
    this.feed = feed;
    this.submitAddress = submitAddress;
    this.ownership = new io.agentbus.gateway.TaskOwnership(vertx);
    this.defaultTimeoutMs = node.config().getLong(Setting.TASKS_DEFAULT_TIMEOUT_MS);
    this.maxWaitMs = node.config().getLong(Setting.HTTP_MAX_WAIT_MS);
    this.maxBatch = node.config().getInt(Setting.GRPC_MAX_BATCH);
    this.cancelOnClientCancel = node.config().getBoolean(Setting.GRPC_CANCEL_TASK_ON_CLIENT_CANCEL);
  }

  void submit(Call<SubmitRequest, Task> call, SubmitRequest request) {
    SubmitTask submit = parse(call, request);
    if (submit != null) {
      accept(submit).onSuccess(a -> call.reply(ProtoTasks.task(a.view, a.replayed))).onFailure(call::fail);
    }
  }

  void run(Call<SubmitRequest, Task> call, SubmitRequest request) {
    SubmitTask submit = parse(call, request);
    if (submit != null) {
      runTask(call, submit).onSuccess(a -> call.reply(ProtoTasks.task(a.view, a.replayed))).onFailure(call::fail);
    }
  }

  void stream(Call<StreamRequest, TaskEvent> call, StreamRequest request) {
    switch (request.getTargetCase()) {
      case FOLLOW -> {
        if (request.getFollow().getTaskId().isEmpty() || request.getFollow().getAfterSeq() < 0) {
          call.fail(ErrorCode.INVALID_REQUEST, "follow needs a task_id and an after_seq of 0 or more");
          return;
        }
        ownership.check(call.principal(), request.getFollow().getTaskId()).onSuccess(v ->
            feed.follow(request.getFollow().getTaskId(), request.getFollow().getAfterSeq(), call)).onFailure(call::fail);
      }
      case SUBMIT -> {
        if (!call.principal().has(io.agentbus.gateway.auth.Scope.SUBMIT)) {
          call.fail(ErrorCode.FORBIDDEN, "a Stream that submits needs the 'submit' scope, which the credential does"
              + " not have");
          return;
        }
        SubmitTask submit = parse(call, request.getSubmit());
        if (submit != null) {
          accept(submit).onSuccess(a -> {
            cancelWhenAbandoned(call, a.view.id());
            if (!call.ended()) {
              feed.follow(a.view.id(), 0, call);
            }
          }).onFailure(call::fail);
        }
      }
      default -> call.fail(ErrorCode.INVALID_REQUEST, "a StreamRequest needs submit or follow");
    }
  }

  void get(Call<GetTaskRequest, Task> call, GetTaskRequest request) {
    if (request.getTaskId().isEmpty() || request.getWaitMs() < 0) {
      call.fail(ErrorCode.INVALID_REQUEST, "Get needs a task_id and a wait_ms of 0 or more");
      return;
    }
    long waitMs = Math.min(request.getWaitMs(), maxWaitMs);
    ownership.check(call.principal(), request.getTaskId())
        .compose(v -> this.<TaskView>request(Addresses.SCHEDULER_GET, new TaskRef(request.getTaskId(), waitMs), waitMs))
        .onSuccess(view -> call.reply(ProtoTasks.task(view, false))).onFailure(call::fail);
  }

  void cancel(Call<CancelTaskRequest, Task> call, CancelTaskRequest request) {
    if (request.getTaskId().isEmpty() || request.getReason().length() > 1024) {
      call.fail(ErrorCode.INVALID_REQUEST, "Cancel needs a task_id and a reason of at most 1024 characters");
      return;
    }
    String reason = request.getReason().isEmpty() ? null : request.getReason();
    ownership.check(call.principal(), request.getTaskId())
        .compose(v -> this.<TaskView>request(Addresses.SCHEDULER_CANCEL, new CancelTask(request.getTaskId(), reason), 0))
        .onSuccess(view -> call.reply(ProtoTasks.task(view, false))).onFailure(call::fail);
  }

  void runBatch(Call<RunBatchRequest, RunBatchResponse> call, RunBatchRequest request) {
    if (request.getTasksCount() == 0 || request.getTasksCount() > maxBatch) {
      call.fail(ErrorCode.INVALID_REQUEST, "a batch holds 1 to " + maxBatch + " tasks (grpc.max-batch), not "
          + request.getTasksCount());
      return;
    }
    List<Future<BatchResult>> results = new ArrayList<>();
    for (SubmitRequest r : request.getTasksList()) {
      Future<Accepted> ran;
      try {
        ran = runTask(call, Tenants.stamp(protos.submit(r, call.headers(), 0), call.principal().tenant()));
      } catch (AgentbusException e) {
        ran = Future.failedFuture(e);
      } catch (SubmitRequests.Invalid e) {
        ran = Future.failedFuture(new AgentbusException(ErrorCode.INVALID_REQUEST, e.errors.stream()
            .map(f -> f.pointer() + ": " + f.detail()).reduce((a, b) -> a + "; " + b).orElse("invalid")));
      }
      results.add(ran.map(a -> BatchResult.newBuilder().setTask(ProtoTasks.task(a.view, a.replayed)).build())
          .otherwise(err -> BatchResult.newBuilder().setError(GrpcStatuses.problem(err)).build()));
    }
    Future.join(results).onComplete(ar -> call.reply(RunBatchResponse.newBuilder()
        .addAllResults(results.stream().map(Future::result).toList()).build()));
  }

  private SubmitTask parse(Call<?, ?> call, SubmitRequest request) {
    if (node.lifecycle().isDraining()) {
      call.fail(ErrorCode.NODE_DRAINING, "node " + node.nodeId() + " is shutting down; submit elsewhere");
      return null;
    }
    try {
      return Tenants.stamp(protos.submit(request, call.headers(), 0), call.principal().tenant());
    } catch (AgentbusException e) {
      call.fail(e);
    } catch (SubmitRequests.Invalid e) {
      call.fail(e.code(), "the task request has " + e.errors.size() + " invalid field(s)", e.errors);
    }
    return null;
  }

  /** The outcome of a submit: the task, and whether it is the task of an earlier submit with the same key. */
  private record Accepted(TaskView view, boolean replayed) {
  }

  private Future<Accepted> accept(SubmitTask submit) {
    return vertx.eventBus().<TaskView>request(submitAddress, submit,
            new DeliveryOptions().setSendTimeout(ACCEPT_TIMEOUT_MS))
        .map(reply -> new Accepted(reply.body(), "true".equals(reply.headers().get(REPLAYED))));
  }

  // accepted first, then awaited at the owner: the call knows the task id while it waits
  private Future<Accepted> runTask(Call<?, ?> call, SubmitTask submit) {
    return accept(submit).compose(a -> {
      cancelWhenAbandoned(call, a.view.id());
      return awaitEnd(call, a.view, 0).map(view -> new Accepted(view, a.replayed));
    });
  }

  private Future<TaskView> awaitEnd(Call<?, ?> call, TaskView view, int waits) {
    if (view.isTerminal() || call.ended() || waits >= MAX_WAITS) {
      return Future.succeededFuture(view);
    }
    long timeout = view.timeoutMs() > 0 ? view.timeoutMs() : defaultTimeoutMs;
    long left = view.createdAt() == null ? timeout
        : timeout - (System.currentTimeMillis() - view.createdAt().toEpochMilli());
    long waitMs = Math.max(1000, left + SETTLE_MARGIN_MS);
    String owner = view.ownerNode() == null ? Addresses.SCHEDULER_GET
        : Addresses.schedulerOn(view.ownerNode(), Addresses.SCHEDULER_GET);
    return this.<TaskView>request(owner, new TaskRef(view.id(), waitMs), waitMs)
        .compose(next -> awaitEnd(call, next, waits + 1));
  }

  private void cancelWhenAbandoned(Call<?, ?> call, String taskId) {
    call.onAbandon((reason, byClient) -> {
      if (byClient && !cancelOnClientCancel) {
        return;
      }
      vertx.eventBus().request(Addresses.SCHEDULER_CANCEL, new CancelTask(taskId, reason),
          new DeliveryOptions().setSendTimeout(30_000));
    });
  }

  private <T> Future<T> request(String address, Object body, long waitMs) {
    return vertx.eventBus().<T>request(address, body, new DeliveryOptions().setSendTimeout(waitMs + 30_000))
        .map(Message::body)
        .recover(err -> Future.failedFuture(Failures.toException(err)));
  }
}
