package io.agentbus.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbus.api.AgentDescriptor;
import io.agentbus.api.MembershipSummary;
import io.agentbus.testing.Await;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Three membership replicators in one JVM, each with its own Hazelcast member and clustered Vert.x, on loopback. */
class MembershipClusterTest {

  private static final Logger LOG = LoggerFactory.getLogger(MembershipClusterTest.class);
  private static final Duration CONVERGE = Duration.ofSeconds(10);
  private static final Map<String, String> FAST_ANTI_ENTROPY = Map.of("membership.anti-entropy-ms", "300");

  private InProcessCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      try {
        cluster.assertNoEventLoopBlocked();
      } finally {
        cluster.close();
      }
    }
  }

  private List<ClusterNode> threeNodes(Map<String, String> settingsOfA) throws Exception {
    cluster = new InProcessCluster(3);
    Map<String, String> a = new HashMap<>(FAST_ANTI_ENTROPY);
    a.putAll(settingsOfA);
    return List.of(cluster.start("a", a), cluster.start("b", FAST_ANTI_ENTROPY), cluster.start("c", FAST_ANTI_ENTROPY));
  }

  private static AgentDescriptor agent(String id, String type) {
    return new AgentDescriptor(id, Set.of(type), 2, Map.of(), "a", null);
  }

  private static void awaitIdenticalStates(List<ClusterNode> nodes) throws InterruptedException {
    Await.until("identical states on " + nodes.stream().map(n -> n.nodeId).toList(), CONVERGE,
        () -> nodes.stream().map(n -> n.summary().stateHash()).distinct().count() == 1);
  }

  @Test
  @DisplayName("an agent registered on A is seen by B and C, and all three end with identical states")
  void registrationReachesEveryNode() throws Exception {
    List<ClusterNode> nodes = threeNodes(Map.of());
    nodes.get(0).register(agent("x", "echo"));

    for (ClusterNode n : nodes) {
      Await.until(n.nodeId + " sees x", CONVERGE, () -> n.agentIds().contains("x"));
      assertThat(n.agent("x").agent().nodeId()).isEqualTo("a");
    }
    awaitIdenticalStates(nodes);
    nodes.get(0).deregister("x");
    for (ClusterNode n : nodes) {
      Await.until(n.nodeId + " drops x", CONVERGE, () -> n.agentIds().isEmpty());
    }
  }

  @Test
  @DisplayName("concurrent re-registrations of one id on two nodes converge to one descriptor everywhere")
  void concurrentReRegistrationConverges() throws Exception {
    List<ClusterNode> nodes = threeNodes(Map.of());
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch go = new CountDownLatch(1);
      Future<?> onA = pool.submit(() -> registerAfter(go, nodes.get(0), agent("x", "echo")));
      Future<?> onB = pool.submit(() -> registerAfter(go, nodes.get(1), agent("x", "planner")));
      go.countDown();
      onA.get();
      onB.get();
    } finally {
      pool.shutdownNow();
    }

    awaitIdenticalStates(nodes);
    Await.until("one entry of x left", CONVERGE, () -> nodes.stream().allMatch(n -> n.agents().size() == 1));
    awaitIdenticalStates(nodes);
    Set<String> homes = Set.of(nodes.get(0).agent("x").agent().nodeId());
    for (ClusterNode n : nodes) {
      assertThat(Set.of(n.agent("x").agent().nodeId())).isEqualTo(homes);
    }
  }

  private static Void registerAfter(CountDownLatch go, ClusterNode node, AgentDescriptor agent) throws Exception {
    go.await();
    node.register(agent);
    return null;
  }

  @Test
  @DisplayName("with A's deltas dropped, B and C still converge, through anti-entropy only")
  void antiEntropyHealsDroppedDeltas() throws Exception {
    List<ClusterNode> nodes = threeNodes(Map.of("membership.drop-outgoing-deltas", "true"));
    ClusterNode a = nodes.get(0);
    a.register(agent("x", "echo"));
    a.register(agent("y", "planner"));

    for (ClusterNode n : nodes.subList(1, 3)) {
      Await.until(n.nodeId + " sees x and y", CONVERGE, () -> n.agentIds().equals(Set.of("x", "y")));
      MembershipSummary s = n.summary();
      assertThat(s.deltasReceived()).as("no delta reached " + n.nodeId).isZero();
      assertThat(s.itemsHealed()).as(n.nodeId + " healed by anti-entropy").isPositive();
    }
    assertThat(a.summary().deltasDropped()).isPositive();
    assertThat(a.summary().deltasSent()).isZero();
    awaitIdenticalStates(nodes);
  }

  @Test
  @DisplayName("when a member crashes, the survivors drop its agents and agree")
  void crashedMembersAgentsAreDropped() throws Exception {
    List<ClusterNode> nodes = threeNodes(Map.of());
    nodes.get(0).register(agent("on-a", "echo"));
    nodes.get(2).register(agent("on-c", "echo"));
    for (ClusterNode n : nodes) {
      Await.until(n.nodeId + " sees both", CONVERGE, () -> n.agentIds().size() == 2);
    }

    long crashed = System.nanoTime();
    nodes.get(2).crash();
    List<ClusterNode> survivors = nodes.subList(0, 2);
    for (ClusterNode n : survivors) {
      Await.until(n.nodeId + " drops on-c", Duration.ofSeconds(15), () -> n.agentIds().equals(Set.of("on-a")));
    }
    LOG.info("a crashed member's agents were gone on every survivor after {} ms",
        (System.nanoTime() - crashed) / 1_000_000);
    awaitIdenticalStates(survivors);
    assertThat(survivors.get(0).summary().replicasRetired()).isEqualTo(1);
  }

  @Test
  @DisplayName("a late joiner gets 10,000 agents in chunks before its replicator reports started, identical to the rest")
  void lateJoinerGetsFullStateFast() throws Exception {
    cluster = new InProcessCluster(3);
    Map<String, String> withHooks = Map.of("membership.bench-hooks", "true");
    ClusterNode a = cluster.start("a", withHooks);
    ClusterNode b = cluster.start("b", Map.of());
    a.registerSynthetic("bench-a", 10_000);
    Await.until("b sees 10,000 agents", CONVERGE, () -> b.summary().agents() == 10_000);

    ClusterNode c = cluster.start("c", Map.of());
    MembershipSummary joined = c.summary();
    LOG.info("late joiner: replicator started in {} ms, state transfer {} ms", c.deployMillis,
        joined.lastFullSyncMs());
    assertThat(joined.agents()).as("every agent arrived during start-up").isEqualTo(10_000);
    assertThat(joined.lastFullSyncMs()).isBetween(0L, 5000L);
    awaitIdenticalStates(cluster.nodes());
  }
}
