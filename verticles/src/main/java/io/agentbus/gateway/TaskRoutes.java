package io.agentbus.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbus.api.Addresses;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.CancelTask;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.Json;
import io.agentbus.api.SubmitTask;
import io.agentbus.api.TaskQuery;
import io.agentbus.api.TaskRef;
import io.agentbus.api.TaskState;
import io.agentbus.api.TaskView;
import io.agentbus.config.NodeContext;
import io.agentbus.config.Setting;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/** The REST task API: submit (async or waiting), get, cancel, list. */
final class TaskRoutes {

  /** Reply header the scheduler sets when a submit returned the task of an earlier one with the same key. */
  private static final String REPLAYED = "agentbus-replayed";
  private static final long ACCEPT_MARGIN_MS = 35_000;

  private final Vertx vertx;
  private final NodeContext node;
  private final JsonBodies bodies;
  private final long maxWaitMs;
  private final String submitAddress;

  TaskRoutes(Vertx vertx, NodeContext node, JsonBodies bodies) {
    this.vertx = vertx;
    this.node = node;
    this.bodies = bodies;
    this.maxWaitMs = node.config().getLong(Setting.HTTP_MAX_WAIT_MS);
    this.submitAddress = SubmitRequests.submitAddress(node);
  }

  void submit(RoutingContext ctx) {
    if (node.lifecycle().isDraining()) {
      Problems.send(ctx, ErrorCode.NODE_DRAINING, "node " + node.nodeId() + " is shutting down; submit elsewhere");
      return;
    }
    String contentType = ctx.request().getHeader("Content-Type");
    if (contentType != null && !isJson(contentType)) {
      Problems.send(ctx, ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "send the body as application/json (curl: -H 'Content-Type: application/json'), not " + contentType);
      return;
    }
    SubmitTask submit;
    Waits.Wait wait;
    try {
      wait = Waits.of(ctx.request(), maxWaitMs);
      JsonNode body = bodies.parse(ctx.body().buffer());
      submit = io.agentbus.api.Tenants.stamp(SubmitRequests.parse(body, idempotencyKey(ctx), traceparent(ctx),
          wait.ms()), HttpAuth.principal(ctx).tenant());
    } catch (AgentbusException e) {
      Problems.send(ctx, e);
      return;
    } catch (SubmitRequests.Invalid e) {
      Problems.send(ctx, e.code(), "the task request has " + e.errors.size() + " invalid field(s)", e.errors);
      return;
    }
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(wait.ms() + ACCEPT_MARGIN_MS);
    vertx.eventBus().<TaskView>request(submitAddress, submit, options)
        .onSuccess(reply -> {
          HttpServerResponse response = ctx.response();
          if ("true".equals(reply.headers().get(REPLAYED))) {
            response.putHeader("Idempotent-Replayed", "true");
          }
          if (wait.fromPrefer()) {
            response.putHeader("Preference-Applied", "wait=" + wait.ms() / 1000);
          }
          sendView(ctx, reply.body(), true);
        })
        .onFailure(err -> {
          AgentbusException e = io.agentbus.api.Failures.toException(err);
          if (e.code() == ErrorCode.UPSTREAM_TIMEOUT) {
            Problems.send(ctx, ErrorCode.UPSTREAM_TIMEOUT, "the scheduler did not answer in time; the task may or may"
                + " not have been accepted: retry with the same Idempotency-Key to find out");
          } else {
            Problems.send(ctx, e);
          }
        });
  }

  void get(RoutingContext ctx) {
    long waitMs;
    try {
      waitMs = Waits.of(ctx.request(), maxWaitMs).ms();
    } catch (AgentbusException e) {
      Problems.send(ctx, e);
      return;
    }
    this.<TaskView>request(ctx, Addresses.SCHEDULER_GET, new TaskRef(ctx.pathParam("id"), waitMs), waitMs)
        .onSuccess(reply -> sendView(ctx, reply.body(), false));
  }

  void cancel(RoutingContext ctx) {
    String reason = null;
    Buffer body = ctx.body() == null ? null : ctx.body().buffer();
    if (body != null && body.length() > 0) {
      try {
        JsonNode json = bodies.parse(body);
        reason = json.path("reason").isTextual() ? json.get("reason").asText() : null;
        if (reason != null && reason.length() > 1024) {
          reason = reason.substring(0, 1024);
        }
      } catch (AgentbusException e) {
        Problems.send(ctx, e);
        return;
      }
    }
    this.<TaskView>request(ctx, Addresses.SCHEDULER_CANCEL, new CancelTask(ctx.pathParam("id"), reason), 0)
        .onSuccess(reply -> sendView(ctx, reply.body(), false));
  }

  void list(RoutingContext ctx) {
    TaskState state = null;
    String stateParam = ctx.request().getParam("state");
    String type = ctx.request().getParam("agent_type");
    int limit = 50;
    try {
      if (stateParam != null) {
        state = TaskState.valueOf(stateParam.toUpperCase(Locale.ROOT));
      }
      String limitParam = ctx.request().getParam("limit");
      if (limitParam != null) {
        limit = Integer.parseInt(limitParam);
        if (limit < 1 || limit > 1000) {
          throw new NumberFormatException();
        }
      }
    } catch (IllegalArgumentException e) {
      Problems.send(ctx, ErrorCode.INVALID_PARAMETER, "state must be one of "
          + java.util.Arrays.toString(TaskState.values()) + " and limit a whole number from 1 to 1000");
      return;
    }
    request(ctx, Addresses.SCHEDULER_LIST, new TaskQuery(state, type, limit, HttpAuth.principal(ctx).tenant()), 0).onSuccess(reply ->
        ctx.response().putHeader("Content-Type", "application/json")
            .end(Buffer.buffer(Json.toBytes(reply.body()))));
  }

  private <T> io.vertx.core.Future<Message<T>> request(RoutingContext ctx, String address, Object body, long waitMs) {
    return vertx.eventBus().<T>request(address, body, new DeliveryOptions().setSendTimeout(waitMs + 30_000))
        .onFailure(err -> Problems.send(ctx, err));
  }

  private static void sendView(RoutingContext ctx, TaskView view, boolean created) {
    HttpServerResponse response = ctx.response();
    int status = 200;
    if (created && !view.isTerminal()) {
      status = 202;
    }
    if (created) {
      response.putHeader("Location", "/v1/tasks/" + view.id());
    }
    response.setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(Buffer.buffer(Json.toBytes(view)));
  }

  private static boolean isJson(String contentType) {
    String type = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
  }

  private static String idempotencyKey(RoutingContext ctx) {
    return SubmitRequests.idempotencyKey(ctx.request().getHeader("Idempotency-Key"));
  }

  private static String traceparent(RoutingContext ctx) {
    return SubmitRequests.traceparent(ctx.request().getHeader("traceparent"));
  }
}
