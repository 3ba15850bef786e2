package io.agentbus.gateway;

import io.agentbus.api.Addresses;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.TaskRef;
import io.agentbus.api.TaskView;
import io.agentbus.api.Tenants;
import io.agentbus.gateway.auth.Principal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.ext.web.RoutingContext;

/**
 * The object-level check of every task lookup (get, cancel, events; REST, SSE, gRPC and the bridge alike): a task
 * of another tenant is answered exactly as a task that does not exist, before anything else is done with it.
 */
public final class TaskOwnership {

  private static final long LOOKUP_TIMEOUT_MS = 30_000;
  private final Vertx vertx;

  public TaskOwnership(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Succeeds when the task exists and belongs to the principal's tenant; fails TASK_NOT_FOUND otherwise. */
  public Future<Void> check(Principal principal, String taskId) {
    return vertx.eventBus().<TaskView>request(Addresses.SCHEDULER_GET, new TaskRef(taskId, 0),
            new DeliveryOptions().setSendTimeout(LOOKUP_TIMEOUT_MS))
        .compose(reply -> Tenants.owns(principal.tenant(), reply.body()) ? Future.<Void>succeededFuture()
            : Future.failedFuture(Tenants.notFound(taskId)));
  }

  /** Route handler for /v1/tasks/:id...: goes on only for the caller's own task. */
  void route(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    String lastEventId = ctx.request().getHeader("Last-Event-ID");
    if (!io.agentbus.scheduler.TaskIds.wellFormed(id) || (lastEventId != null && !lastEventId.matches("\\d{1,18}"))) {
      // a request the route refuses whatever the task (malformed id or Last-Event-ID: 400) reveals no task
      ctx.next();
      return;
    }
    check(HttpAuth.principal(ctx), id).onComplete(done -> {
      if (done.succeeded()) {
        ctx.next();
      } else {
        AgentbusException e = io.agentbus.api.Failures.toException(done.cause());
        Problems.send(ctx, e.code() == ErrorCode.TASK_NOT_FOUND ? Tenants.notFound(id) : e);
      }
    });
  }
}
