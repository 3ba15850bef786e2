package io.agentbus.system;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** What a node's GET /v1/agents and GET /v1/cluster say; empty when the node does not answer. */
final class AgentViews {

  private AgentViews() {
  }

  static JsonNode clusterView(Api api) {
    try {
      return api.get("/v1/cluster").json();
    } catch (Exception e) {
      return Api.JSON.createObjectNode();
    }
  }

  static Set<String> agentIds(Api api) {
    return agents(api).stream().map(a -> a.get("id").asText()).collect(Collectors.toCollection(TreeSet::new));
  }

  /** The nodes that host an agent of this type. */
  static Set<String> agentNodes(Api api, String type) {
    return agents(api).stream().filter(a -> a.get("types").toString().contains("\"" + type + "\""))
        .map(a -> a.get("node_id").asText()).collect(Collectors.toCollection(TreeSet::new));
  }

  static List<JsonNode> agents(Api api) {
    try {
      List<JsonNode> out = new ArrayList<>();
      api.get("/v1/agents").json().get("agents").forEach(out::add);
      return out;
    } catch (Exception e) {
      return List.of();
    }
  }
}
