package io.agentbus.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentbus.api.Addresses;
import io.agentbus.api.AgentList;
import io.agentbus.api.AgentStatus;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.Json;
import io.agentbus.api.ToolList;
import io.agentbus.config.NodeContext;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.ext.web.RoutingContext;

/** Agents, tools, readiness and Prometheus metrics. */
final class InfoRoutes {

  private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(5000);

  private final Vertx vertx;
  private final NodeContext node;

  InfoRoutes(Vertx vertx, NodeContext node) {
    this.vertx = vertx;
    this.node = node;
  }

  void agents(RoutingContext ctx) {
    vertx.eventBus().<AgentList>request(Addresses.MEMBERSHIP_AGENTS, null, QUICK)
        .onFailure(err -> Problems.send(ctx, err))
        .onSuccess(reply -> {
          ObjectNode body = Json.object();
          ArrayNode agents = body.putArray("agents");
          for (AgentStatus s : reply.body().agents()) {
            ObjectNode a = Json.MAPPER.valueToTree(s.agent());
            a.put("suspect", s.suspect()).put("in_flight", s.inFlight()).put("dispatched", s.dispatched())
                .put("completed", s.completed());
            agents.add(a);
          }
          json(ctx, body);
        });
  }

  void tools(RoutingContext ctx) {
    vertx.eventBus().<ToolList>request(Addresses.TOOLS_LIST, null, QUICK)
        .onFailure(err -> Problems.send(ctx, err))
        .onSuccess(reply -> json(ctx, reply.body()));
  }

  void ready(RoutingContext ctx) {
    if (node.lifecycle().isReady()) {
      json(ctx, Json.object().put("status", "ready").put("node", node.nodeId()));
    } else if (node.lifecycle().isDraining()) {
      Problems.send(ctx, ErrorCode.NODE_DRAINING, "node " + node.nodeId() + " is shutting down");
    } else {
      Problems.send(ctx, ErrorCode.UNAVAILABLE, "node " + node.nodeId() + " is starting");
    }
  }

  void metrics(RoutingContext ctx) {
    vertx.executeBlocking(() -> node.registry().scrape())
        .onFailure(err -> Problems.send(ctx, err))
        .onSuccess(text -> ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            .end(text));
  }

  private static void json(RoutingContext ctx, Object body) {
    ctx.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(Json.toBytes(body)));
  }
}
