package io.agentbus.system;

import static io.agentbus.system.AgentViews.agentIds;
import static io.agentbus.system.AgentViews.agentNodes;
import static io.agentbus.system.AgentViews.clusterView;
import static io.agentbus.system.TasksTopic.ASSIGNED;
import static io.agentbus.system.TasksTopic.REQUEUED;
import static io.agentbus.system.TasksTopic.SUCCEEDED;
import static io.agentbus.system.TasksTopic.adoptionIndex;
import static io.agentbus.system.TasksTopic.describe;
import static io.agentbus.system.TasksTopic.terminals;
import static java.util.stream.Collectors.toSet;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
      Eventually.until("node a sees node c's echo agents (deltas) and node b's planner (anti-entropy only)",
          Duration.ofSeconds(20), () -> agentNodes(a, "echo").contains(cluster.nodeId(2))
              && agentNodes(a, "planner").contains(cluster.nodeId(1)));
      Eventually.until("the three nodes hold the same agents", Duration.ofSeconds(20),
          () -> agentIds(a).equals(agentIds(b)) && agentIds(b).equals(agentIds(c)));
      assertThat(agentNodes(a, "echo")).containsOnly(cluster.nodeId(2));
      Eventually.until("GET /v1/cluster on any node reports three members holding one replicated state",
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
      Eventually.until("every node sees every node's agents", Duration.ofSeconds(20),
          () -> agentNodes(apis.get(0), "echo").size() == 3 && agentNodes(apis.get(1), "echo").size() == 3);
      Set<String> victimAgents = AgentViews.agents(apis.get(0)).stream()
          .filter(a -> a.get("node_id").asText().equals(victim)).map(a -> a.get("id").asText()).collect(toSet());
      List<String> accepted = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        Api.Reply r = apis.get(i % 3).submit("echo", "{\"delay_ms\":8000,\"n\":" + i + "}", null);
        assertThat(r.status()).as(r.raw().body()).isEqualTo(202);
        accepted.add(r.json().get("id").asText());
      }

      cluster.node(2).kill();
      long killedAt = System.nanoTime();
      Map<String, List<CloudEvent>> atKill = TasksTopic.byTask(cluster.kafkaBootstrap());
      Eventually.until("the survivors drop the dead node's agents", Duration.ofSeconds(15),
          () -> !agentNodes(apis.get(0), "echo").contains(victim) && !agentNodes(apis.get(1), "echo").contains(victim));
      long goneMs = (System.nanoTime() - killedAt) / 1_000_000;
      System.out.println("[node loss] the dead node's agents were gone on both survivors after " + goneMs + " ms");
      assertThat(goneMs).as("agents of the dead node gone within the failure-detection budget").isLessThan(10_000);

      // what the dead node was doing, by the record: its own live tasks, and others' tasks on its agents
      List<String> live = accepted.stream().filter(id -> terminals(atKill.get(id)).isEmpty()).toList();
      Set<String> ownedByVictim = live.stream().filter(id -> id.endsWith("_" + victim)).collect(toSet());
      Set<String> onVictimAgents = live.stream().filter(id -> !ownedByVictim.contains(id))
          .filter(id -> victimAgents.contains(lastAgent(atKill.get(id)))).collect(toSet());
      assertThat(ownedByVictim).as("tasks of the killed node still running when it died").isNotEmpty();

      Eventually.until("every accepted task has ended (the tasks topic says so)", Duration.ofSeconds(120),
          () -> {
            Map<String, List<CloudEvent>> log = TasksTopic.byTask(cluster.kafkaBootstrap());
            return accepted.stream().allMatch(id -> !terminals(log.get(id)).isEmpty());
          });
      Map<String, List<CloudEvent>> byTask = TasksTopic.byTask(cluster.kafkaBootstrap());
      for (String id : accepted) {
        List<CloudEvent> events = byTask.get(id);
        assertThat(events.get(0).getType()).as(id).isEqualTo("io.agentbus.task.submitted");
        assertThat(terminals(events)).as(id + " ends exactly once: " + describe(events)).containsExactly(SUCCEEDED);
      }
      for (String id : ownedByVictim) {
        assertThat(adoptionIndex(byTask.get(id), victim)).as(id + " was taken over: " + describe(byTask.get(id)))
            .isNotNegative();
      }
      for (String id : onVictimAgents) {
        List<CloudEvent> events = byTask.get(id);
        int lastOnVictim = -1;
        for (int i = 0; i < events.size(); i++) {
          if (events.get(i).getType().equals(ASSIGNED)
              && victimAgents.contains(TasksTopic.data(events.get(i)).path("agent_id").asText())) {
            lastOnVictim = i;
          }
        }
        List<String> after = events.subList(lastOnVictim + 1, events.size()).stream().map(CloudEvent::getType).toList();
        assertThat(after).as(id + " moved to another agent: " + describe(events)).contains(REQUEUED);
      }
      System.out.println("[node loss] " + accepted.size() + " tasks all SUCCEEDED once; of those live at the kill, "
          + ownedByVictim.size() + " owned by the dead node were taken over and " + onVictimAgents.size()
          + " on its agents were moved");
      String moved = ownedByVictim.iterator().next();
      Api.Reply asked = apis.get(0).get("/v1/tasks/" + moved);
      assertThat(asked.status()).as("a survivor answers for a task of the dead node: " + asked.raw().body())
          .isEqualTo(200);
      assertThat(asked.json().get("state").asText()).isEqualTo("SUCCEEDED");

      cluster.restart(2, Map.of());
      Api back = new Api(cluster.node(2).url());
      Eventually.until("the restarted node rejoins and all three converge to the same agents", Duration.ofSeconds(30),
          () -> agentNodes(apis.get(0), "echo").contains(victim) && agentIds(apis.get(0)).equals(agentIds(apis.get(1)))
              && agentIds(apis.get(1)).equals(agentIds(back)));
    }
  }

  // the agent of the task's latest attempt
  private static String lastAgent(List<CloudEvent> events) {
    String agent = null;
    for (CloudEvent e : events) {
      if (e.getType().equals(ASSIGNED)) {
        agent = TasksTopic.data(e).path("agent_id").asText(null);
      }
    }
    return agent;
  }
}
