package io.agentbus.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hazelcast.cluster.Member;
import io.agentbus.api.Addresses;
import io.agentbus.api.Json;
import io.agentbus.api.MemberAttributes;
import io.agentbus.api.MembershipSummary;
import io.agentbus.config.NodeContext;
import io.agentbus.membership.MembershipVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * GET /v1/cluster: every member (node id, Hazelcast address, roles, HTTP address, which one answered) with a summary
 * of its replicated agent membership, asked of each node directly; {@code converged} is true when every node that
 * answered holds the identical replicated state.
 */
final class ClusterRoute {

  private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(3000);

  private final Vertx vertx;
  private final NodeContext node;

  ClusterRoute(Vertx vertx, NodeContext node) {
    this.vertx = vertx;
    this.node = node;
  }

  void handle(RoutingContext ctx) {
    List<Member> members = new ArrayList<>(node.hazelcast().getCluster().getMembers());
    List<Future<MembershipSummary>> summaries = new ArrayList<>();
    for (Member m : members) {
      String id = m.getAttribute(MemberAttributes.NODE_ID);
      summaries.add(id == null ? Future.succeededFuture() : vertx.eventBus()
          .<MembershipSummary>request(Addresses.membershipOn(id, MembershipVerticle.SUMMARY), null, QUICK)
          .map(Message::body));
    }
    Future.join(summaries).onComplete(ar -> {
      ObjectNode body = Json.object()
          .put("cluster_name", node.hazelcast().getConfig().getClusterName())
          .put("answered_by", node.nodeId());
      ArrayNode nodes = body.putArray("nodes");
      Set<String> hashes = new HashSet<>();
      for (int i = 0; i < members.size(); i++) {
        Member m = members.get(i);
        ObjectNode n = nodes.addObject()
            .put("node_id", m.getAttribute(MemberAttributes.NODE_ID))
            .put("member", m.getAddress().getHost() + ":" + m.getAddress().getPort())
            .put("local", m.localMember());
        String roles = m.getAttribute(MemberAttributes.ROLES);
        ArrayNode roleList = n.putArray("roles");
        if (roles != null) {
          for (String r : roles.split(",")) {
            roleList.add(r);
          }
        }
        n.put("http", m.getAttribute(MemberAttributes.HTTP));
        Future<MembershipSummary> f = summaries.get(i);
        if (f.succeeded() && f.result() != null) {
          n.set("membership", Json.tree(f.result()));
          hashes.add(f.result().stateHash());
        } else {
          n.put("membership_error", f.cause() == null ? "no node id" : f.cause().getMessage());
        }
      }
      body.put("converged", hashes.size() == 1);
      ctx.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(Json.toBytes(body)));
    });
  }
}
