package io.agentbus.system;

import static io.agentbus.system.AgentViews.agentIds;
import static io.agentbus.system.AgentViews.agentNodes;
import static io.agentbus.system.TasksTopic.SUCCEEDED;
import static io.agentbus.system.TasksTopic.adoptionIndex;
import static io.agentbus.system.TasksTopic.describe;
import static io.agentbus.system.TasksTopic.terminals;
import static org.assertj.core.api.Assertions.assertThat;

import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A node that does not die but stops (kill -STOP: a long GC pause, a hung VM, a host that stops answering) while it
 * owns tasks, and then runs on (kill -CONT). Its survivors take its tasks over once its owner lease has run out; when
 * it thaws it must have given them up: it writes nothing more about them, refuses new work until it is back in the
 * cluster, and every task still ends exactly once. Three JVMs, one Kafka, split-brain protection
 * (cluster-config/tcp-ip-quorum.xml), the configuration in which that guarantee is documented to hold.
 */
class FrozenNodeSystemTest {

  private static final int ON_FROZEN = 40;
  private static final int ELSEWHERE = 10;
  /** Long enough that the frozen node's tasks are still running when it stops, however slow the submits are. */
  private static final String SLOW = "{\"delay_ms\":10000,\"n\":%d}";

  @Test
  @DisplayName("kill -STOP of a node owning 40 tasks: survivors adopt them after its lease, the thawed node gives them"
      + " up and answers 503 until it is back, and every task ends exactly once")
  void frozenOwnerGivesItsTasksUp() throws Exception {
    Map<String, String> quorum = Map.of("cluster.config",
        NodeProcess.projectRoot().resolve("cluster-config/tcp-ip-quorum.xml").toString());
    try (LocalCluster cluster = LocalCluster.start(3, List.of(quorum, quorum, quorum))) {
      Api a = new Api(cluster.node(0).url());
      Api b = new Api(cluster.node(1).url());
      Api c = new Api(cluster.node(2).url());
      String frozen = cluster.nodeId(1);
      Eventually.until("every node sees the echo agents of all three and is ready (a majority is there)",
          Duration.ofSeconds(30), () -> agentNodes(a, "echo").size() == 3 && agentNodes(b, "echo").size() == 3
              && agentNodes(c, "echo").size() == 3
              && status(a, "/ready") == 200 && status(b, "/ready") == 200 && status(c, "/ready") == 200);

      List<String> ownedByFrozen = submit(b, ON_FROZEN);
      List<String> accepted = new ArrayList<>(ownedByFrozen);
      accepted.addAll(submit(a, ELSEWHERE));
      accepted.addAll(submit(c, ELSEWHERE));

      cluster.node(1).freeze();
      long frozenAt = System.nanoTime();
      Map<String, List<CloudEvent>> atFreeze = byTask(cluster);
      Set<String> toAdopt = ownedByFrozen.stream().filter(id -> terminals(atFreeze.get(id)).isEmpty())
          .collect(Collectors.toCollection(TreeSet::new));
      assertThat(toAdopt).as("tasks of the frozen node still running when it stopped").isNotEmpty();

      Eventually.until("the survivors adopted every running task of the frozen node", Duration.ofSeconds(60),
          () -> adoptedFrom(byTask(cluster), frozen).containsAll(toAdopt));
      long adoptedMs = (System.nanoTime() - frozenAt) / 1_000_000;
      System.out.println("[frozen node] " + toAdopt.size() + " tasks adopted by the survivors " + adoptedMs
          + " ms after kill -STOP");
      assertThat(metric(a, "agentbus_tasks_adopted_total") + metric(c, "agentbus_tasks_adopted_total"))
          .as("the survivors count what they adopted").isEqualTo(toAdopt.size());

      cluster.node(1).thaw();
      long thawedAt = System.nanoTime();
      List<String> refusals = new ArrayList<>();
      boolean notReadySeen = false;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      int n = 0;
      while ((refusals.isEmpty() || !notReadySeen) && System.nanoTime() < deadline) {
        Api.Reply ready = quietly(() -> b.get("/ready"));
        if (ready != null && ready.status() == 503 && "node-cut-off".equals(ready.problemCode())) {
          notReadySeen = true;
        }
        Api.Reply r = quietly(() -> b.submit("echo", "{\"delay_ms\":500,\"after_thaw\":true}", null));
        if (r != null && r.status() == 202) {
          accepted.add(r.json().get("id").asText());
        } else if (r != null && r.status() == 503) {
          assertThat(r.header("Content-Type")).startsWith("application/problem+json");
          assertThat(r.problemCode()).as(r.raw().body()).isEqualTo("node-cut-off");
          assertThat(r.json().get("detail").asText()).as(r.raw().body()).contains(frozen);
          refusals.add(r.raw().body());
        }
        n++;
        Thread.sleep(100);
      }
      System.out.println("[frozen node] after thawing: " + refusals.size() + " of " + n + " submits refused, "
          + (accepted.size() - ownedByFrozen.size() - 2 * ELSEWHERE) + " accepted; first refusal: "
          + (refusals.isEmpty() ? "none" : refusals.get(0)));
      assertThat(refusals).as("submits to the thawed node while it has lost its hold on tasks are refused").isNotEmpty();
      assertThat(notReadySeen).as("GET /ready on the thawed node says it is cut off").isTrue();
      assertThat(metric(b, "agentbus_tasks_given_up_total")).as("the thawed node gave its running tasks up")
          .isGreaterThanOrEqualTo(toAdopt.size());

      Eventually.until("the thawed node is back in the cluster and ready", Duration.ofSeconds(120),
          () -> status(b, "/ready") == 200);
      System.out.println("[frozen node] ready again " + (System.nanoTime() - thawedAt) / 1_000_000
          + " ms after kill -CONT");
      Api.Reply again = b.submit("echo", "{\"after_rejoin\":true}", "?wait=30");
      assertThat(again.status()).as(again.raw().body()).isEqualTo(200);
      assertThat(again.json().get("state").asText()).isEqualTo("SUCCEEDED");
      assertThat(again.json().get("owner_node").asText()).isEqualTo(frozen);
      accepted.add(again.json().get("id").asText());

      Eventually.until("every accepted task has ended", Duration.ofSeconds(120),
          () -> byTask(cluster).entrySet().stream().filter(e -> accepted.contains(e.getKey()))
              .filter(e -> !terminals(e.getValue()).isEmpty()).count() == accepted.size());
      Map<String, List<CloudEvent>> log = byTask(cluster);
      for (String id : accepted) {
        List<CloudEvent> events = log.get(id);
        assertThat(terminals(events)).as(id + " ends exactly once: " + describe(events)).containsExactly(SUCCEEDED);
      }
      for (String id : toAdopt) {
        List<CloudEvent> events = log.get(id);
        int adoption = adoptionIndex(events, frozen);
        List<String> writtenByFrozenLater = events.subList(adoption, events.size()).stream()
            .filter(e -> frozen.equals(TasksTopic.node(e))).map(CloudEvent::getType).toList();
        assertThat(writtenByFrozenLater).as(id + ": nothing from the frozen node after its adoption " + describe(events))
            .isEmpty();
      }
      String moved = toAdopt.iterator().next();
      Api.Reply asked = b.get("/v1/tasks/" + moved);
      assertThat(asked.status()).as("the thawed node forwards a question about a task it gave up: " + asked.raw().body())
          .isEqualTo(200);
      assertThat(asked.json().get("state").asText()).isEqualTo("SUCCEEDED");
      assertThat(asked.json().get("owner_node").asText()).isNotEqualTo(frozen);

      Eventually.until("the three nodes converge to the same agents, the thawed node's included",
          Duration.ofSeconds(60), () -> agentNodes(a, "echo").contains(frozen)
              && agentIds(a).equals(agentIds(b)) && agentIds(b).equals(agentIds(c)));
    }
  }

  private static List<String> submit(Api api, int count) throws IOException, InterruptedException {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Api.Reply r = api.submit("echo", String.format(SLOW, i), null);
      assertThat(r.status()).as(r.raw().body()).isEqualTo(202);
      ids.add(r.json().get("id").asText());
    }
    return ids;
  }

  private static Map<String, List<CloudEvent>> byTask(LocalCluster cluster) {
    return TasksTopic.byTask(cluster.kafkaBootstrap());
  }

  private static Set<String> adoptedFrom(Map<String, List<CloudEvent>> log, String lostNode) {
    Set<String> adopted = new HashSet<>();
    log.forEach((id, events) -> {
      if (adoptionIndex(events, lostNode) >= 0) {
        adopted.add(id);
      }
    });
    return adopted;
  }

  /** The sum of a Prometheus metric's samples on a node (all label sets); 0 when it has none. */
  private static double metric(Api api, String name) throws IOException, InterruptedException {
    double sum = 0;
    for (String line : api.get("/metrics").raw().body().split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  private static int status(Api api, String path) {
    Api.Reply r = quietly(() -> api.get(path));
    return r == null ? -1 : r.status();
  }

  private interface Call {
    Api.Reply run() throws IOException, InterruptedException;
  }

  // a request to a node that may be frozen or merging: no answer (a timeout, a refused connection) counts as none
  private static Api.Reply quietly(Call call) {
    try {
      return call.run();
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
