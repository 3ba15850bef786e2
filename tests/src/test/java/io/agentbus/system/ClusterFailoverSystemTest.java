package io.agentbus.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Three nodes in three JVMs, one Hazelcast cluster over TCP-IP on loopback, one Kafka: replicated agent membership,
 * cross-node dispatch, healing of lost membership deltas, and a node killed with kill -9 while tasks are in flight.
 */
class ClusterFailoverSystemTest {

  private static final Map<String, String> NO_AGENTS = Map.of("agents.echo.instances", "0",
      "agents.planner.instances", "0");

  @Test
  @DisplayName("agents registered on one node are seen by all (even when its deltas are dropped) and run tasks submitted elsewhere")
  void membershipAndRemoteDispatch() throws Exception {
    List<Map<String, String>> settings = List.of(
        NO_AGENTS,
        Map.of("agents.echo.instances", "0", "membership.drop-outgoing-deltas", "true"),
        Map.of("agents.planner.instances", "0"));
    try (LocalCluster cluster = LocalCluster.start(3, settings)) {
      Api a = new Api(cluster.node(0).url());
      Api b = new Api(cluster.node(1).url());
      Api c = new Api(cluster.node(2).url());
      awaitTrue("node a sees node c's echo agents (deltas) and node b's planner (anti-entropy only)",
          Duration.ofSeconds(20), () -> agentNodes(a, "echo").contains(cluster.nodeId(2))
              && agentNodes(a, "planner").contains(cluster.nodeId(1)));
      awaitTrue("the three nodes hold the same agents", Duration.ofSeconds(20),
          () -> agentIds(a).equals(agentIds(b)) && agentIds(b).equals(agentIds(c)));
      assertThat(agentNodes(a, "echo")).containsOnly(cluster.nodeId(2));
      awaitTrue("GET /v1/cluster on any node reports three members holding one replicated state",
          Duration.ofSeconds(20), () -> clusterView(c).path("converged").asBoolean());
      JsonNode view = clusterView(c);
      assertThat(view.get("nodes")).hasSize(3);
      JsonNode nodeB = null;
      for (JsonNode n : view.get("nodes")) {
        assertThat(n.get("roles").toString()).contains("gateway").contains("scheduler");
        assertThat(n.get("http").asText()).startsWith("http://127.0.0.1:");
        if (n.get("node_id").asText().equals(cluster.nodeId(1))) {
          nodeB = n;
        }
      }
      assertThat(nodeB.get("membership").get("deltas_sent").asLong()).as("node b's deltas were all dropped").isZero();
      assertThat(nodeB.get("membership").get("deltas_dropped").asLong()).isPositive();

      Api.Reply run = a.submit("echo", "{\"from\":\"node a\"}", "?wait=15");
      assertThat(run.status()).as(run.raw().body()).isEqualTo(200);
      assertThat(run.json().get("state").asText()).isEqualTo("SUCCEEDED");
      assertThat(run.json().get("agent_id").asText()).as("a node-a task ran on node c").contains(cluster.nodeId(2));
      assertThat(run.json().get("owner_node").asText()).isEqualTo(cluster.nodeId(0));

      Api.Reply plan = c.submit("planner", "{\"goal\":\"plan across nodes\"}", "?wait=20");
      assertThat(plan.json().get("state").asText()).as(plan.raw().body()).isEqualTo("SUCCEEDED");
      assertThat(plan.json().get("agent_id").asText()).contains(cluster.nodeId(1));
      assertThat(b.get("/v1/tasks/" + run.json().get("id").asText()).json().get("state").asText())
          .as("any node answers for any task").isEqualTo("SUCCEEDED");
    }
  }

  @Test
  @DisplayName("kill -9 of one of three nodes with tasks in flight: its agents vanish everywhere and every accepted task ends exactly once")
  void nodeLoss() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(3, List.of())) {
      List<Api> apis = List.of(new Api(cluster.node(0).url()), new Api(cluster.node(1).url()),
          new Api(cluster.node(2).url()));
      String victim = cluster.nodeId(2);
      awaitTrue("every node sees every node's agents", Duration.ofSeconds(20),
          () -> agentNodes(apis.get(0), "echo").size() == 3 && agentNodes(apis.get(1), "echo").size() == 3);
      List<String> accepted = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        Api.Reply r = apis.get(i % 3).submit("echo", "{\"delay_ms\":2500,\"n\":" + i + "}", null);
        assertThat(r.status()).as(r.raw().body()).isEqualTo(202);
        accepted.add(r.json().get("id").asText());
      }

      cluster.node(2).kill();
      long killedAt = System.nanoTime();
      awaitTrue("the survivors drop the dead node's agents", Duration.ofSeconds(15),
          () -> !agentNodes(apis.get(0), "echo").contains(victim) && !agentNodes(apis.get(1), "echo").contains(victim));
      long goneMs = (System.nanoTime() - killedAt) / 1_000_000;
      System.out.println("[node loss] the dead node's agents were gone on both survivors after " + goneMs + " ms");
      assertThat(goneMs).as("agents of the dead node gone within the failure-detection budget").isLessThan(10_000);

      Api survivor = apis.get(0);
      for (String id : accepted) {
        awaitTrue("task " + id + " ends", Duration.ofSeconds(60), () -> {
          try {
            Api.Reply r = survivor.get("/v1/tasks/" + id + "?wait=5");
            return r.status() == 200 && r.json().get("state").asText().matches("SUCCEEDED|FAILED|CANCELLED|TIMED_OUT");
          } catch (java.io.IOException | InterruptedException e) {
            return false;
          }
        });
      }
      Map<String, List<CloudEvent>> byTask = TasksTopic.readAll(cluster.kafkaBootstrap(), "agentbus.tasks").stream()
          .collect(Collectors.groupingBy(CloudEvent::getSubject));
      int adopted = 0;
      for (String id : accepted) {
        List<String> types = byTask.get(id).stream().map(CloudEvent::getType).toList();
        assertThat(types).as(id).contains("io.agentbus.task.submitted");
        assertThat(types.stream().filter(t -> t.matches(".*\\.(succeeded|failed|cancelled|timed_out)$")).toList())
            .as(id + " ends exactly once: " + types).containsExactly("io.agentbus.task.succeeded");
        if (types.contains("io.agentbus.task.requeued")) {
          adopted++;
        }
      }
      System.out.println("[node loss] " + accepted.size() + " tasks all SUCCEEDED once; " + adopted + " were moved");
      assertThat(adopted).as("the dead node's own tasks and its agents' tasks were moved").isGreaterThanOrEqualTo(20);

      cluster.restart(2, Map.of());
      Api back = new Api(cluster.node(2).url());
      awaitTrue("the restarted node rejoins and all three converge to the same agents", Duration.ofSeconds(30),
          () -> agentNodes(apis.get(0), "echo").contains(victim) && agentIds(apis.get(0)).equals(agentIds(apis.get(1)))
              && agentIds(apis.get(1)).equals(agentIds(back)));
    }
  }

  private static JsonNode clusterView(Api api) {
    try {
      return api.get("/v1/cluster").json();
    } catch (Exception e) {
      return Api.JSON.createObjectNode();
    }
  }

  private static Set<String> agentIds(Api api) {
    return agents(api).stream().map(a -> a.get("id").asText()).collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> agentNodes(Api api, String type) {
    return agents(api).stream().filter(a -> a.get("types").toString().contains("\"" + type + "\""))
        .map(a -> a.get("node_id").asText()).collect(Collectors.toCollection(TreeSet::new));
  }

  private static List<JsonNode> agents(Api api) {
    try {
      List<JsonNode> out = new ArrayList<>();
      api.get("/v1/agents").json().get("agents").forEach(out::add);
      return out;
    } catch (Exception e) {
      return List.of();
    }
  }

  private static void awaitTrue(String what, Duration bound, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (true) {
      boolean ok;
      try {
        ok = condition.getAsBoolean();
      } catch (RuntimeException e) {
        ok = false;
      }
      if (ok) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + bound.toSeconds() + " s: " + what);
      }
      Thread.sleep(100);
    }
  }
}
